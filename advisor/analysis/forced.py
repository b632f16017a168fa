"""The indexes a table hint names, as the table has them: WITH (INDEX(IX_Enrollment_personID)) on
a query that filters on endYear makes SQL Server read every row of that index, and look up each one
in the table, however well another index would have served; an index the table does not have makes
it refuse the query."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis import model as m
from advisor.catalog.model import Index, Table


@dataclass(frozen=True)
class Forced:
    """What the INDEX hints of a relation allow: these indexes, and whether the table itself (its
    heap or clustered index) may be scanned; `missing`: the names the table has no index for."""

    indexes: tuple[Index, ...]
    whole_table: bool
    missing: tuple[str, ...] = ()

    def allows(self, index: Index) -> bool:
        return index in self.indexes


def forced_indexes(relation: m.Relation, table: Table) -> Forced | None:
    """The indexes the relation's INDEX hints name, None without one. INDEX(0) scans the table
    itself; INDEX(1) uses its clustered index."""
    named = [argument for hint in relation.hints if hint.name == "INDEX" for argument in hint.arguments]
    if not named:
        return None
    clustered = next((index for index in table.indexes if index.clustered), None)
    by_name = {index.name.lower(): index for index in table.indexes}
    indexes: list[Index] = []
    missing: list[str] = []
    for name in named:
        index = None if name == "0" else clustered if name == "1" else by_name.get(name.lower())
        if index is not None:
            indexes.append(index)
        elif name not in ("0", "1"):
            missing.append(name)
    return Forced(tuple(indexes), not indexes or any(index.clustered for index in indexes), tuple(missing))

"""The indexes a table hint leaves SQL Server: WITH (INDEX(IX_Enrollment_personID)) on a query
that filters on endYear makes it read every row of that index, and look up each one in the
table, however well another index would have served."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis import model as m
from advisor.catalog.model import Index, Table


@dataclass(frozen=True)
class Forced:
    """What an INDEX hint allows: these indexes, and whether the table itself (its heap or
    clustered index) may be scanned."""

    indexes: tuple[Index, ...]
    whole_table: bool

    def allows(self, index: Index) -> bool:
        return index in self.indexes


def forced_indexes(relation: m.Relation, table: Table) -> Forced | None:
    """The indexes an INDEX hint on the relation forces; None without one, or where it names an
    index the catalog does not know (SQL Server refuses such a query, and the plan it would run
    cannot be told). INDEX(0) scans the table itself; INDEX(1) uses its clustered index."""
    named = [argument for hint in relation.hints if hint.name == "INDEX" for argument in hint.arguments]
    if not named:
        return None
    clustered = next((index for index in table.indexes if index.clustered), None)
    by_name = {index.name.lower(): index for index in table.indexes}
    indexes: list[Index] = []
    for name in named:
        if name == "0":
            continue
        index = clustered if name == "1" else by_name.get(name.lower())
        if index is None and name != "1":
            return None
        if index is not None:
            indexes.append(index)
    return Forced(tuple(indexes), whole_table=not indexes or any(index.clustered for index in indexes))

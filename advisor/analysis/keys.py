"""Which rows of a SELECT its conditions make one: the keys of the catalog's tables followed
through joins, and through the queries of views, CTEs and derived tables."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis import model as m
from advisor.analysis.predicates import equated

# A column the conditions fix: (its relation, its name as written, the block's relation whose column
# the other side is, or None for a constant, a variable or the outer row's column; and the
# constant's value as written, lower-case)
Fixed = tuple[m.Relation, str, "m.Relation | None", "str | None"]


@dataclass(frozen=True)
class Unpinned:
    """The first relation of a SELECT that its conditions do not make one row of."""

    relation: m.Relation
    found_by: list[str]  # its columns the conditions fix, as written
    within: Unpinned | None  # for a view, CTE or derived table: what in its query returns the rows

    @property
    def innermost(self) -> Unpinned:
        """The table whose rows they are: this relation's, or one a view's query reads."""
        return self if self.within is None else self.within.innermost


class CannotTell(Exception):
    """A relation whose rows sqladvise cannot follow: a function's, a UNION's, a table the catalog
    lacks."""


def unpinned(block: m.Block, given: dict[str, str | None], fixed_too: tuple[Fixed, ...] = (),
             before_top: bool = False) -> Unpinned | None:
    """What the SELECT can return two rows of when its output columns `given` (lower-case name ->
    the constant they equal, lower-case, or None) and its columns `fixed_too` are fixed as well as
    its own conditions fix; None when it returns a row at most. A view, CTE or derived table it
    reads is judged by its query, given the columns fixed on it. `before_top`: of the rows its
    TOP picks from."""
    if (block.top and not before_top) or block.empty or block.grouped or not block.relations or block.node.args.get("for_"):
        return None  # TOP 1 or a row per TOP n; no row; one aggregate row, or one per group; FOR XML's one document
    fixed = _fixed_columns(block) + _given_columns(block, given) + list(fixed_too)
    values = {id(relation): {name.lower(): value for owner, name, _, value in fixed if owner is relation and value}
              for relation in block.relations}
    known: set[int] = set()  # the relations found as one row
    while True:
        found = {id(relation): {name.lower() for owner, name, other, _ in fixed if owner is relation
                                and (other is None or id(other) in known)} for relation in block.relations}
        newly = {id(r) for r in block.relations if id(r) not in known and _pinned(r, found[id(r)], values[id(r)])}
        if not newly:
            break
        known |= newly
    returned = [p.plain for p in block.projections]
    if block.distinct and all(ref is not None and ref.name.lower() in found.get(id(ref.relation), ()) for ref in returned):
        return None  # DISTINCT of values the conditions fix: one row
    missing = next((relation for relation in block.relations if id(relation) not in known), None)
    if missing is None:
        return None
    written = {name.lower(): name for relation, name, _, _ in fixed if relation is missing}
    within = None if missing.kind == m.TABLE else _within(missing, found[id(missing)], values[id(missing)])
    return Unpinned(missing, [written[name] for name in sorted(found[id(missing)])], within)


def _pinned(relation: m.Relation, found: set[str], values: dict[str, str]) -> bool:
    """Whether the columns fixed on a relation make it one row: a table's key or unique index, an
    indexed view's unique index, or what the query of a view, CTE or derived table returns."""
    if relation.kind == m.TABLE and relation.table is not None:
        return relation.table.unique_by(found, values)
    indexes = relation.view.indexes if relation.view is not None else ()
    if any(index.unique and {column.lower() for column in index.columns} <= found for index in indexes):
        return True
    return _within(relation, found, values) is None


def _within(relation: m.Relation, found: set[str], values: dict[str, str]) -> Unpinned | None:
    if relation.kind not in (m.VIEW, m.CTE, m.DERIVED) or len(relation.inner) != 1:
        raise CannotTell  # a function's rows, a UNION's, a table the catalog lacks, a temp table's
    return unpinned(relation.inner[0], {name: values.get(name) for name in found})


def _given_columns(block: m.Block, given: dict[str, str | None]) -> list[Fixed]:
    """The block's own columns behind the output columns its reader fixes, in _fixed_columns' form."""
    columns = []
    for name, value in given.items():
        source = source_column(block, name)
        if source is None:
            raise CannotTell  # computed (a.number + ' ' + a.street): what fixes it is not followed
        columns.append((*source, None, value))
    return columns


def source_column(block: m.Block, name: str) -> tuple[m.Relation, str] | None:
    """The relation and column an output column of the block returns as it is, if it does."""
    for projection in block.projections:
        if projection.star_of is not None:
            owner = next((r for r in projection.star_of if r.offers(name)), None)
            if owner is not None:
                return owner, name
        elif projection.name.lower() == name:
            ref = projection.plain
            return (ref.relation, ref.name) if ref is not None and ref.relation is not None and not ref.outer else None
    return None


def _fixed_columns(block: m.Block) -> list[Fixed]:
    """The block's columns its conditions make equal to something."""
    fixed = []
    for predicate in block.predicates:
        sides = equated(predicate.node)
        if sides is None or predicate.on_groups:
            continue
        own = {id(ref.node): ref for ref in predicate.columns if not ref.outer and ref.relation is not None}
        for side, other in (sides, sides[::-1]):
            ref = own.get(id(side))
            if ref is None:
                continue
            readers = [own[id(node)] for node in other.walk() if id(node) in own]
            if not readers:
                fixed.append((ref.relation, ref.name, None, block.value_written(other)))
            elif len(readers) == 1 and readers[0].node is other:
                fixed.append((ref.relation, ref.name, readers[0].relation, None))
    return fixed

"""JN004: a SUM or COUNT over the rows of one table, grouped by a row of another, with a second
table joined to that row as well: each gives several rows for it and nothing joins the two to
each other, so the join pairs every row of the one with every row of the other, and the total
counts each row as many times as the other has rows (a student's absences times their courses)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.joins import grouped_by_columns, several_per_grouped_row
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names

_TOTALS = (exp.Sum, exp.Count)


@statement_rule("JN004")
def multiplied_total(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not grouped_by_columns(block):
            continue
        several = _several_per_group_row(block)
        if len(several) < 2:
            continue
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for total in projection.node.find_all(_TOTALS):
                counted = _counted(total, refs)
                if counted is None or counted not in several or window_of(total) is not None:
                    continue
                group_row, on = several[counted]
                other = next((x for x in several if x is not counted and several[x][0] is group_row
                              and not _joined(block, x, counted)), None)
                if other is not None:
                    yield _hit(query, total, counted, on, other, several[other][1], group_row)


def _several_per_group_row(block: m.Block) -> dict[m.Relation, tuple[m.Relation, list[str]]]:
    """The catalog tables with several rows for a row of the one relation the block groups by that
    each is joined to: each, with that relation and its columns joined to it, as written."""
    found = {}
    for relation in block.relations:
        partners = several_per_grouped_row(block, relation)
        if len(partners) == 1:
            written = {sides[0].name.lower(): f"{relation.alias}.{sides[0].name}" for key in block.join_keys
                       if (sides := key.side(relation)) and sides[1].relation is partners[0]}
            found[relation] = (partners[0], sorted(written.values()))
    return found


def _counted(total: exp.Expression, refs: dict[int, m.ColumnRef]) -> m.Relation | None:
    """The one relation whose rows a SUM or COUNT totals: that of the columns it reads; None for
    COUNT(*), a DISTINCT total (each value once however often it comes), or columns of several."""
    if isinstance(total.this, (exp.Distinct, exp.Star)):
        return None
    relations = {id(ref.relation): ref.relation for column in total.find_all(exp.Column)
                 if (ref := refs.get(id(column))) is not None}
    return next(iter(relations.values())) if len(relations) == 1 else None


def _joined(block: m.Block, one: m.Relation, other: m.Relation) -> bool:
    return any(key.side(one) is not None and key.side(other) is not None for key in block.join_keys)


def _hit(query: Query, total: exp.Expression, counted: m.Relation, on: list[str], other: m.Relation, other_on: list[str],
         group_row: m.Relation) -> Hit:
    written = as_in_file(query, total)
    verb = "counts" if isinstance(total, exp.Count) else "adds up"
    key = counted.table.primary_key
    distinct = (f" For a count of {counted.table.name} rows, COUNT(DISTINCT {counted.alias}.{key[0]}) counts each once."
                if isinstance(total, exp.Count) and len(key) == 1 else "")
    return Hit(
        query.span_of(total),
        f"{written} {verb} each {counted.table.name} row once for every {other.name} row of the same {group_row.name} "
        f"row: {counted.label()} (on {names(on)}) and {other.label()} (on {names(other_on)}) each have "
        f"several rows for one {group_row.label()} row and nothing joins them to each other, so the join pairs every "
        f"{counted.table.name} row with every {other.name} row, and the total is multiplied by how many {other.name} "
        "rows there are.",
        f"Total {counted.table.name} in a derived table of its own, grouped by {names(on)} with its conditions, "
        f"and join that one row per {group_row.name} row instead of {counted.label()}; the same for {other.name}."
        + distinct,
        (counted.table.name, other.name),
    )

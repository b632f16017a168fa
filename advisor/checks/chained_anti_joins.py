"""JN011: a test that no row exists, written as two joins and an IS NULL on the second, a LEFT JOIN:
`LEFT JOIN Enrollment e26 ON e26.personID = e25.personID LEFT JOIN Calendar c26 ON c26.calendarID
= e26.calendarID AND c26.endYear = 2026 WHERE c26.calendarID IS NULL`. The first LEFT JOIN finds
every enrollment of the person, of every year; each one the second finds no 2026 calendar for
passes, the 2025 enrollment itself among them, so the students who stayed are kept as well."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.joins import join_columns
from advisor.checks.multiplicity import one_row_each
from advisor.checks.registry import Hit, statement_rule


@statement_rule("JN011")
def chained_anti_join(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for predicate in block.predicates:
            tested = _tested_missing(predicate)
            if tested is None or tested.relation is None or tested.relation.join != m.LEFT:
                continue
            second = tested.relation
            first = _joined_through(block, second)
            if first is None or first.join_condition is None or second.join_condition is None:
                continue  # a table of a comma-separated FROM list has no ON to move into NOT EXISTS
            conditions = [p for p in block.predicates if p.clause == "on" and p.on is second
                          and all(ref.relation is second for ref in p.columns) and p.columns]
            if not conditions:
                continue
            yield _hit(query, predicate, first, second, conditions)


def _tested_missing(predicate: m.Predicate) -> m.ColumnRef | None:
    """WHERE x.col IS NULL, AND-ed with the rest, on a column the table never holds NULL in:
    true only where the LEFT JOIN found no row."""
    node = predicate.node.unnest()
    if predicate.clause != "where" or not isinstance(node, exp.Is) or not isinstance(node.expression, exp.Null):
        return None
    ref = next((ref for ref in predicate.columns if ref.node is node.this), None)
    if ref is None or ref.relation is None or ref.relation.table is None:
        return None
    column = ref.relation.table.column(ref.name)
    return ref if column is not None and not column.nullable else None


def _joined_through(block: m.Block, second: m.Relation) -> m.Relation | None:
    """The table the second one is joined to, and only to, where it has several rows for each
    row it is joined to on its own columns and the query returns neither: what the IS NULL is
    meant to find none of."""
    partners = list(join_columns(block, second)[0])
    if len(partners) != 1 or partners[0].table is None or partners[0].join == m.FROM:
        return None
    first = partners[0]
    if block.returned_ids() & {id(first), id(second)}:
        return None  # their rows are what the query lists: the enrollments of other years, say
    joined, fixed = join_columns(block, first)
    others = set().union(*(columns for other, columns in joined.items() if other is not second))
    return first if others and one_row_each(first, others | fixed) is False else None


def _hit(query: Query, predicate: m.Predicate, first: m.Relation, second: m.Relation,
         conditions: list[m.Predicate]) -> Hit:
    first_on, second_on = query.written(first.join_condition), query.written(second.join_condition)
    limits = " AND ".join(query.written(p.node) for p in conditions)
    written = query.written(predicate.node)
    return Hit(
        query.span_of(predicate.node),
        f"{written} keeps more than the rows with no {first.label()} row where {limits}: {first.alias} is joined "
        f"on {first_on} alone, so it brings all the rows that match, and each one {second.label()} finds no "
        f"match for passes the test, keeping the row once for each, whether or not another one has a match.",
        f"Test that no such row exists with NOT EXISTS, in place of both joins and the IS NULL: NOT EXISTS "
        f"(SELECT 1 FROM {query.written(first.node)} JOIN {query.written(second.node)} ON {second_on} WHERE "
        f"{first_on}).",
        (first.table.name, second.name),
    )

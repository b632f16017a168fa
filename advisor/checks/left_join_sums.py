"""JN008: a HAVING that compares the SUM of a LEFT JOIN's column with a number that 0 passes,
or a WHERE that compares such a SUM made in a CTE or derived table: a group the LEFT JOIN found
nothing for sums NULLs to NULL, not 0, so the comparison drops the very rows the LEFT JOIN was
written to keep (students with no transcript under HAVING SUM(tc.creditsEarned) < 18)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import literal_number
from advisor.analysis.resolve import null_with_its_columns, window_of
from advisor.catalog.model import Catalog
from advisor.checks.oriented import MIRRORED
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

_TESTS: dict[type, Callable[[float, float], bool]] = {
    exp.EQ: operator.eq, exp.NEQ: operator.ne, exp.LT: operator.lt, exp.LTE: operator.le, exp.GT: operator.gt,
    exp.GTE: operator.ge,
}


@statement_rule("JN008")
def sum_of_left_joined_rows_compared(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for predicate in block.predicates:
            compared = _zero_passes(predicate.node.unnest()) if predicate.clause in ("having", "where") else None
            if isinstance(compared, exp.Sum) and predicate.clause == "having":
                optional = _optional(block, predicate.columns, compared)
                if optional is not None:
                    yield _hit(query, predicate.node, compared, optional)
            elif isinstance(compared, exp.Column) and predicate.clause == "where":
                found = _summed_inside(predicate, compared)
                if found is not None:
                    yield _hit_outside(query, predicate.node, compared, *found)


def _zero_passes(node: exp.Expression) -> exp.Expression | None:
    """What a comparison tests, where 0 would pass it: SUM(x) < 18, 0 = SUM(x), SUM(x) BETWEEN 0
    AND 5; not where the other side is anything but a number."""
    if isinstance(node, exp.Between):
        low, high = _number(node.args.get("low")), _number(node.args.get("high"))
        return node.this.unnest() if low is not None and high is not None and low <= 0 <= high else None
    kind = type(node)
    if kind not in _TESTS:
        return None
    left, right = node.this.unnest(), node.expression.unnest()
    for tested, other, test in ((left, right, _TESTS[kind]), (right, left, _TESTS[MIRRORED[kind]])):
        number = _number(other)
        if number is not None and test(0.0, number):
            return tested
    return None


def _summed_inside(predicate: m.Predicate, column: exp.Column) -> tuple[m.Relation, exp.Sum, m.Relation] | None:
    """A WHERE on a CTE's or derived table's column that its one grouped SELECT sums over a LEFT
    JOIN (WITH credits AS (... SUM(tc.creditsEarned) AS earned ... GROUP BY s.personID) ...
    WHERE c.earned < 18): the relation, the SUM, and the LEFT JOIN's relation."""
    ref = next((ref for ref in predicate.columns if ref.node is column), None)
    relation = ref.relation if ref is not None and not ref.outer else None
    if relation is None or relation.kind not in (m.CTE, m.DERIVED) or len(relation.inner) != 1:
        return None
    inner = relation.inner[0]
    if not inner.grouped:
        return None
    projection = next((p for p in inner.projections if p.name.lower() == ref.name.lower()), None)
    total = projection.node.unalias() if projection is not None else None
    optional = _optional(inner, projection.columns, total) if isinstance(total, exp.Sum) else None
    return (relation, total, optional) if optional is not None else None


def _number(node: exp.Expression | None) -> float | None:
    if isinstance(node, exp.Neg):
        value = literal_number(node.this.unnest())
        return -value if value is not None else None
    return literal_number(node.unnest()) if node is not None else None


def _optional(block: m.Block, refs: list[m.ColumnRef], total: exp.Sum) -> m.Relation | None:
    """The LEFT JOIN's relation whose column makes the SUM NULL where it found no row: not made
    inner by the WHERE, not grouped on (its missing row is then a group of its own)."""
    summed = total.this
    if isinstance(summed, exp.Distinct) and len(summed.expressions) == 1:  # SUM(DISTINCT x)
        summed = summed.expressions[0]
    if window_of(total) is not None or not null_with_its_columns(summed):
        return None
    grouped = {id(ref.relation) for ref in block.group_by if ref is not None}
    for ref in refs:
        relation = ref.relation
        if relation is not None and relation.join == m.LEFT and relation.made_inner_by is None and not ref.outer \
                and id(relation) not in grouped and any(ref.node is column for column in summed.find_all(exp.Column)):
            return relation
    return None


def _hit(query: Query, node: exp.Expression, total: exp.Sum, optional: m.Relation) -> Hit:
    written, summed = as_in_file(query, node), as_in_file(query, total)
    return Hit(
        query.span_of(node),
        f"HAVING {written} drops every group {optional.label()} has no row for: there the LEFT JOIN gives NULL in "
        f"{optional.label()}'s columns, {summed} is NULL, not 0, and a comparison with NULL is not true. The rows the "
        "LEFT JOIN keeps are dropped as an inner join would drop them.",
        f"Count them as 0: compare ISNULL({summed}, 0) instead of {summed}. If they are not wanted, write JOIN, "
        "which says so.",
        (optional.table.name if optional.table is not None else optional.name,),
    )


def _hit_outside(query: Query, node: exp.Expression, column: exp.Column, relation: m.Relation, total: exp.Sum,
                 optional: m.Relation) -> Hit:
    written, summed, named = as_in_file(query, node), as_in_file(query, total), as_in_file(query, column)
    return Hit(
        query.span_of(node),
        f"WHERE {written} drops every row of {relation.label()} that {optional.label()} has no row for: {named} is "
        f"{summed} over a LEFT JOIN, which is NULL, not 0, where the LEFT JOIN found nothing, and a comparison with "
        "NULL is not true. The rows the LEFT JOIN keeps are dropped as an inner join would drop them.",
        f"Count them as 0: write ISNULL({summed}, 0) in {relation.name}, or compare ISNULL({named}, 0). If they are not "
        "wanted, write JOIN there, which says so.",
        (optional.table.name if optional.table is not None else optional.name,),
    )

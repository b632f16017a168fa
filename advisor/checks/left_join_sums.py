"""JN008: a HAVING that compares the SUM of a LEFT JOIN's column with a number that 0 passes:
a group the LEFT JOIN found nothing for sums NULLs to NULL, not 0, so the comparison drops the
very rows the LEFT JOIN was written to keep (students with no transcript under HAVING
SUM(tc.creditsEarned) < 18)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import literal_number
from advisor.analysis.resolve import null_with_its_columns, window_of
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# How each comparison tests its left side against its right, and the same with its sides swapped
_TESTS: dict[type, tuple[Callable[[float, float], bool], Callable[[float, float], bool]]] = {
    exp.EQ: (operator.eq, operator.eq),
    exp.NEQ: (operator.ne, operator.ne),
    exp.LT: (operator.lt, operator.gt),
    exp.LTE: (operator.le, operator.ge),
    exp.GT: (operator.gt, operator.lt),
    exp.GTE: (operator.ge, operator.le),
}


@statement_rule("JN008")
def sum_of_left_joined_rows_compared(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.grouped:
            continue
        for predicate in block.predicates:
            if predicate.clause != "having":
                continue
            found = _zero_passes(predicate.node.unnest())
            optional = _optional(block, predicate, found) if found is not None else None
            if optional is not None:
                yield _hit(query, predicate.node, found, optional)


def _zero_passes(node: exp.Expression) -> exp.Sum | None:
    """The SUM a comparison tests, where a sum of 0 would pass it: SUM(x) < 18, 0 = SUM(x),
    SUM(x) BETWEEN 0 AND 5; not where the other side is anything but a number."""
    if isinstance(node, exp.Between):
        low, high = _number(node.args.get("low")), _number(node.args.get("high"))
        total = node.this.unnest()
        return total if isinstance(total, exp.Sum) and low is not None and high is not None and low <= 0 <= high else None
    tests = _TESTS.get(type(node))
    if tests is None:
        return None
    left, right = node.this.unnest(), node.expression.unnest()
    for total, other, test in ((left, right, tests[0]), (right, left, tests[1])):
        number = _number(other)
        if isinstance(total, exp.Sum) and number is not None and test(0.0, number):
            return total
    return None


def _number(node: exp.Expression | None) -> float | None:
    if isinstance(node, exp.Neg):
        value = literal_number(node.this.unnest())
        return -value if value is not None else None
    return literal_number(node.unnest()) if node is not None else None


def _optional(block: m.Block, predicate: m.Predicate, total: exp.Sum) -> m.Relation | None:
    """The LEFT JOIN's relation whose column makes the SUM NULL where it found no row: not made
    inner by the WHERE, not grouped on (its missing row is then a group of its own)."""
    summed = total.this
    if isinstance(summed, exp.Distinct) and len(summed.expressions) == 1:  # SUM(DISTINCT x)
        summed = summed.expressions[0]
    if window_of(total) is not None or not null_with_its_columns(summed):
        return None
    grouped = {id(ref.relation) for ref in block.group_by if ref is not None}
    for ref in predicate.columns:
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

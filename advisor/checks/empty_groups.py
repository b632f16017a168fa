"""SH042: a grouped query's HAVING that asks for groups of no rows (COUNT(*) = 0, COUNT(*) < 1).
A group exists only where rows do, so each counts at least one, and the query keeps nothing: the
rooms with no sections are found by counting a LEFT JOIN's column, or with NOT EXISTS."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import conjuncts, literal_number
from advisor.catalog.model import Catalog
from advisor.checks.indexes import sides_of
from advisor.checks.oriented import OPERATORS, Oriented, seen_from
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# A count compared so that only a count of 0 passes: = 0, < 1, <= 0
_NONE_PASS = {exp.EQ: lambda n: n < 1, exp.LT: lambda n: n <= 1, exp.LTE: lambda n: n < 1}


@statement_rule("SH042")
def groups_of_no_rows(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.group_by or block.group_all or block.adds_totals:
            continue  # no GROUP BY, or a grand total: a group even of no rows; GROUP BY ALL: one for each value the WHERE drops
        for predicate in block.predicates:
            if predicate.clause != "having":
                continue
            for condition in conjuncts(predicate.node):
                counted = _count_of_none(condition, predicate)
                if counted is not None:
                    yield _hit(query, block, condition, *counted)


def _count_of_none(condition: exp.Expression, predicate: m.Predicate) -> tuple[exp.Count, Oriented] | None:
    """The COUNT the condition asks to be 0, where every group counts at least one (COUNT(*), a
    constant's, or a column no row of an inner-joined table leaves NULL), with the comparison as
    the COUNT sees it."""
    for count in (side for side in (condition.this, condition.args.get("expression")) if isinstance(side, exp.Count)):
        oriented = seen_from(condition, count)
        bound = literal_number(oriented[1][0]) if oriented is not None and oriented[1][0] is not None else None
        if oriented is None or bound is None or oriented[0] not in _NONE_PASS or not _NONE_PASS[oriented[0]](bound):
            continue
        if _never_null(count.this, predicate):
            return count, oriented
    return None


def _never_null(counted: exp.Expression, predicate: m.Predicate) -> bool:
    if isinstance(counted, exp.Distinct) and len(counted.expressions) == 1:  # COUNT(DISTINCT x): as many as x
        counted = counted.expressions[0]
    if isinstance(counted, (exp.Star, exp.Literal)):
        return True
    ref = next((r for r in predicate.columns if r.node is counted), None)
    relation = ref.relation if ref is not None else None
    if relation is None or relation.optional or relation.table is None:
        return False
    column = relation.table.column(ref.name)
    return column is not None and not column.nullable


def _hit(query: Query, block: m.Block, condition: exp.Expression, count: exp.Count, oriented: Oriented) -> Hit:
    joined = next((sides for r in block.relations if r.optional and (sides := sides_of(block, r))), None)
    if joined:
        kept = joined[0][0]
        fix = (f"Count a column of {kept.relation.label()}, which is NULL where the LEFT JOIN finds none: HAVING "
               f"COUNT({kept.relation.alias}.{kept.name}) {OPERATORS[oriented[0]]} {as_in_file(query, oriented[1][0])}.")
    else:
        fix = ("To find what has none, start from the table that lists it and LEFT JOIN the counted rows, counting a "
               "column of theirs, which is NULL where the join finds none (HAVING COUNT(x.id) = 0); or test with NOT "
               "EXISTS (SELECT 1 FROM ... WHERE ...).")
    return Hit(query.span_of(condition),
               f"{as_in_file(query, condition)} keeps no group: a group exists only where it has rows, and "
               f"{as_in_file(query, count)} counts at least one in each, so the query returns nothing.",
               fix)

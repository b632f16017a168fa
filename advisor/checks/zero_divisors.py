"""SH026: a division by a value that is 0 for some rows: DATEDIFF of two dates on the same day,
SUM of values that are all 0, COUNT of a column that is NULL in every row counted. SQL Server
stops the whole statement at the first such row."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import literal_number
from advisor.analysis.resolve import own_nodes
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# Text a statement must hold for this rule to find anything in it: a / before DATEDIFF, SUM or COUNT
_MAYBE = re.compile(r"/\s*\(*\s*(?:DATEDIFF|SUM|COUNT)\s*\(", re.IGNORECASE)
_COMPARED = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_OUTER = (m.LEFT, m.RIGHT, m.FULL, m.OUTER_APPLY)
_STOPS = "a division by 0 stops the whole statement with error 8134 (\"Divide by zero error encountered\")"


@statement_rule("SH026")
def divisor_can_be_zero(query: Query, catalog: Catalog) -> Iterator[Hit]:
    span = query.statement.span
    if not _MAYBE.search(query.lines.text, span.start, span.end):
        return
    for block in query.user_blocks:
        clauses = [*block.projections, *block.predicates]  # the block's own: a subquery's are its block's
        refs = {id(ref.node): ref for clause in clauses for ref in clause.columns}
        for division in (node for clause in clauses for node in own_nodes(clause.node) if isinstance(node, exp.Div)):
            divisor = division.expression.unnest()
            when = _zero_when(query, divisor, refs)
            if when is None or _guarded(division, divisor, block) or _sums_positives(divisor, block):
                continue
            written = as_in_file(query, divisor)
            yield Hit(
                query.span_of(divisor),
                f"{written} is 0 {when}, and {_STOPS}: it runs until the first such row.",
                f"Divide by NULLIF({as_in_file(query, divisor, cut=False)}, 0), which gives NULL where it is 0, not "
                "an error (wrap the division in ISNULL(..., 0) where a number is wanted there); or leave those rows "
                "out with a WHERE or HAVING condition on it.",
            )


def _zero_when(query: Query, divisor: exp.Expression, refs: dict[int, m.ColumnRef]) -> str | None:
    """Where the divisor is 0, if it is one that can be."""
    if isinstance(divisor, exp.DateDiff):
        unit = str(divisor.args.get("unit") or "day").lower()
        if unit == "day":
            return "where its two dates are the same day (a student who enrolls and leaves on one day)"
        return f"where its two dates fall in the same {unit}"
    if isinstance(divisor, exp.Sum):
        return "where every value it sums is 0"
    if isinstance(divisor, exp.Count) and not isinstance(divisor.this, exp.Star):
        counted = divisor.this
        if isinstance(counted, exp.Distinct) and counted.expressions:
            counted = counted.expressions[0]
        if _may_be_null(counted, refs):
            return f"where {as_in_file(query, counted)} is NULL in every row it counts"
    return None


def _may_be_null(counted: exp.Expression, refs: dict[int, m.ColumnRef]) -> bool:
    """Whether a counted value is NULL in some rows: a column the catalog lets be NULL, or one of a
    table outer-joined; a CASE with no ELSE. Not a value sqladvise cannot judge."""
    if isinstance(counted, exp.Case):
        return counted.args.get("default") is None
    ref = refs.get(id(counted)) if isinstance(counted, exp.Column) else None
    if ref is None or ref.relation is None:
        return False
    if ref.relation.join in _OUTER and ref.relation.made_inner_by is None:
        return True
    facts = known(ref)
    return facts is not None and facts.column.nullable


def _guarded(division: exp.Div, divisor: exp.Expression, block: m.Block) -> bool:
    """Whether the author already keeps the divisor's 0 away: a CASE WHEN or IIF around the division
    that compares it (= 0, > 0, <> 0), or a WHERE or HAVING condition that does."""
    tests = [predicate.node for predicate in block.predicates if predicate.clause != "on"]
    node: exp.Expression | None = division
    while node is not None and node is not block.node:
        if isinstance(node, exp.If):
            tests.append(node.this)
        elif isinstance(node, exp.Case):
            tests.extend(branch.this for branch in node.args.get("ifs") or [])
        node = node.parent
    written = divisor.sql("tsql")
    return any(isinstance(part, _COMPARED) and written in (part.this.unnest().sql("tsql"), part.expression.unnest().sql("tsql"))
               for test in tests for part in test.walk())


# x > 0, x >= 1 and their mirror images: the values of x kept are all above 0 (the bound it is
# compared with: above, or at least, a number)
_POSITIVE = {exp.GT: (lambda bound: bound >= 0), exp.GTE: (lambda bound: bound > 0)}
_MIRRORED = {exp.LT: exp.GT, exp.LTE: exp.GTE}


def _sums_positives(divisor: exp.Expression, block: m.Block) -> bool:
    """SUM(tc.gpaWeight) WHERE tc.gpaWeight > 0: every value summed is above 0, and so is the sum
    of any group."""
    if not isinstance(divisor, exp.Sum):
        return False
    summed = divisor.this.unnest().sql("tsql")
    for predicate in block.predicates:
        node = predicate.node
        if predicate.clause != "where" or type(node) not in (*_POSITIVE, *_MIRRORED):
            continue
        kind, tested, bound = ((type(node), node.this, node.expression) if type(node) in _POSITIVE
                               else (_MIRRORED[type(node)], node.expression, node.this))
        number = literal_number(bound.unnest())
        if number is not None and tested.unnest().sql("tsql") == summed and _POSITIVE[kind](number):
            return True
    return False

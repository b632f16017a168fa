"""A comparison as one of its sides sees it (2025 < YEAR(d) is YEAR(d) > 2025; NOT (d < x) is
d >= x), and whether one holds where that is known before the query runs."""

from __future__ import annotations

import operator
from datetime import date

from sqlglot import exp

from advisor.analysis.predicates import (
    DAY_SPELLINGS,
    NOW,
    literal_number,
    string_text,
    unconverted,
    written_date,
)

# The comparison read from the other side: 2025 < YEAR(d) is YEAR(d) > 2025.
MIRRORED = {exp.EQ: exp.EQ, exp.NEQ: exp.NEQ, exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE}
OPERATORS = {exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}
_TESTS = {exp.EQ: operator.eq, exp.NEQ: operator.ne, exp.GT: operator.gt, exp.GTE: operator.ge, exp.LT: operator.lt,
          exp.LTE: operator.le}
_TODAY = object()  # GETDATE(), CURRENT_TIMESTAMP, SYSDATETIME(): a day not known until the query runs
# The comparison under NOT: NOT (YEAR(d) < 2026) is YEAR(d) >= 2026. NOT (x = y) keeps no one range.
_NEGATED = {exp.GT: exp.LTE, exp.GTE: exp.LT, exp.LT: exp.GTE, exp.LTE: exp.GT}

Oriented = tuple[type, tuple[exp.Expression | None, ...]]


def seen_from(node: exp.Expression, side: exp.Expression) -> Oriented | None:
    """The comparison as `side` sees it: its operator as if `side` were on the left and not
    negated, and what it is compared with (a BETWEEN's two bounds)."""
    kind = type(node)
    if node.this is side:
        values = (node.args.get("low"), node.args.get("high")) if kind is exp.Between else (node.args.get("expression"),)
    elif node.args.get("expression") is side and kind in MIRRORED:
        kind, values = MIRRORED[kind], (node.this,)
    else:
        return None
    if negated(node):
        kind = _NEGATED.get(kind)
    return (kind, values) if kind is not None else None


def negated(node: exp.Expression) -> bool:
    """Under a NOT, or a NOT LIKE, which sqlglot keeps as a LIKE with a flag rather than under a NOT."""
    return negation(node) is not None or bool(node.args.get("negate"))


def negation(node: exp.Expression) -> exp.Not | None:
    """The NOT around a comparison, through any parentheses."""
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    return parent if isinstance(parent, exp.Not) else None


def holds(left: exp.Expression, kind: type, right: exp.Expression) -> bool | None:
    """Whether `left kind right` is true, where that is known before the query runs: a value and
    itself, two numbers, two dates written out, a placeholder date (before 1901, from 2099) against
    today, or two texts compared for equality as Campus's collation does (case, trailing spaces)."""
    if left == right:  # ISNULL(d, @asOf) >= @asOf: one value, read once per run
        return kind in (exp.EQ, exp.GTE, exp.LTE)
    known = known_value(left), known_value(right)
    if _TODAY in known:  # today is some day between the placeholders: any such day gives the answer
        other = known[1] if known[0] is _TODAY else known[0]
        if not isinstance(other, date) or 1900 < other.year < 2099:
            return None
        known = tuple(date(2000, 1, 1) if value is _TODAY else value for value in known)
    first, second = known
    if first is None or second is None or type(first) is not type(second):
        return None
    if isinstance(first, str) and kind not in (exp.EQ, exp.NEQ):
        return None
    return _TESTS[kind](first, second)


def known_value(node: exp.Expression) -> float | str | date | object | None:
    """A literal's value (a text that is a date as the date), or `_TODAY` for the current date or
    time; None for anything else."""
    node = unconverted(node)
    if isinstance(node, NOW):
        return _TODAY
    text = string_text(node)
    if text is None:
        return literal_number(node) if isinstance(node, exp.Literal) else None
    return written_date(text, DAY_SPELLINGS) or text.lower().rstrip()

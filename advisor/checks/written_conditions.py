"""Conditions written out as SQL for a fix to give: joined with AND or OR (an OR kept in
parentheses), and the conditions a CASE compared with a value stands for (PR001, VW005)."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from advisor.analysis.written import as_written
from advisor.checks.oriented import OPERATORS, Oriented, holds


def case_conditions(case: exp.Case, oriented: Oriented | None) -> list[exp.Expression] | None:
    """The WHEN conditions a row passes `CASE ... END op value` under (`oriented`, as the CASE sees
    the comparison), where OR can say it without the CASE: a CASE whose WHENs with a passing value
    all come before those with a failing one, and whose ELSE (NULL when there is none) fails. A row
    then passes exactly when one of those WHENs holds; a WHEN that is unknown (NULL) is not taken,
    as OR does not keep it. Or a CASE whose WHENs all fail and whose ELSE passes, when none of
    the WHENs can be unknown (_none_of)."""
    if oriented is None or oriented[0] not in OPERATORS:
        return None
    kind, (value,) = oriented
    whens = case.args.get("ifs") or []
    passing = [holds(when.args.get("true"), kind, value) for when in whens]
    first = passing.index(False) if False in passing else len(passing)
    default = case.args.get("default")
    if whens and all(p is False for p in passing) and default is not None and holds(default, kind, value) is True:
        return _none_of([when.this for when in whens]) if case.this is None else None
    if None in passing or first == 0 or any(passing[first:]) or (default is not None and holds(default, kind, value) is not False):
        return None
    if case.this is None:
        return [when.this for when in whens[:first]]
    # CASE x WHEN 'A' THEN ...: each WHEN is x = 'A'
    return [exp.EQ(this=case.this.copy(), expression=when.this.copy()) for when in whens[:first]]


def _none_of(failing: list[exp.Expression]) -> list[exp.Expression] | None:
    """CASE WHEN x IS NULL THEN 0 ELSE 1 END = 1: a row passes when none of the WHENs holds. Written
    as their negations only where each is true or false, never unknown (an IS NULL test): the ELSE
    takes a row whose WHEN is unknown, which NOT (x = 'A') would not keep."""
    if not all(isinstance(condition.unnest(), exp.Is) or (isinstance(condition, exp.Not) and isinstance(condition.this, exp.Is))
               for condition in failing):
        return None
    negated = [condition.this.copy() if isinstance(condition, exp.Not) else exp.Not(this=condition.unnest().copy())
               for condition in failing]
    return [exp.and_(*negated) if len(negated) > 1 else negated[0]]


def any_of(conditions: list[exp.Expression], written: Callable[[exp.Expression], str] = as_written) -> str:
    """Conditions joined with OR, each AND or OR of its own in parentheses; in parentheses as a
    whole when it is an OR, to stand where the comparison stood, beside an AND."""
    if len(conditions) == 1:
        alone = conditions[0]
        return f"({written(alone)})" if isinstance(alone, exp.Or) else written(alone)
    return "(" + " OR ".join(f"({written(c)})" if isinstance(c, exp.Connector) else written(c) for c in conditions) + ")"


def all_of(conditions: list[exp.Expression], written: Callable[[exp.Expression], str] = as_written) -> str:
    """Conditions joined with AND, each OR in parentheses."""
    return " AND ".join(f"({written(c)})" if isinstance(c.unnest(), exp.Or) and len(conditions) > 1 and not
                        isinstance(c, exp.Paren) else written(c) for c in conditions)

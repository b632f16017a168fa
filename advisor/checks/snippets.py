"""A piece of the author's SQL, quoted in a message the way they wrote it."""

from __future__ import annotations

from sqlglot import exp

_LONGEST = 70


def shown(node: exp.Expression) -> str:
    """The expression as T-SQL, without the casts sqlglot adds when it reads date functions
    (DATEDIFF(day, d, GETDATE()) would come back as DATEDIFF(DAY, CAST(d AS DATETIME2), ...))."""
    text = node.transform(_unwrapped, copy=True).sql("tsql")
    return text if len(text) <= _LONGEST else text[: _LONGEST - 3] + "..."


def _unwrapped(node: exp.Expression) -> exp.Expression:
    if isinstance(node, (exp.TsOrDsToDate, exp.TimeStrToTime)):
        return node.this
    if (isinstance(node, exp.Cast) and isinstance(node.parent, (exp.DateDiff, exp.DateAdd))
            and node.to.this == exp.DataType.Type.DATETIME2):
        return node.this
    return node

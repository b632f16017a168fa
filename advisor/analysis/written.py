"""An expression as T-SQL the way the author wrote it: without the conversions sqlglot adds when
it reads date functions (DATEDIFF(day, d, GETDATE()) would come back as DATEDIFF(DAY,
CAST(d AS DATETIME2), ...)), and a temp table's name with its #."""

from __future__ import annotations

from sqlglot import exp


def as_written(node: exp.Expression, copy: bool = True) -> str:
    """`copy=False` for a node the caller copied for it: its conversions are taken out in place."""
    return node.transform(_unwrapped, copy=copy).sql("tsql")


def _unwrapped(node: exp.Expression) -> exp.Expression:
    if isinstance(node, (exp.TsOrDsToDate, exp.TimeStrToTime)):
        return node.this
    if (isinstance(node, exp.Cast) and isinstance(node.parent, (exp.DateDiff, exp.DateAdd))
            and node.to.this == exp.DataType.Type.DATETIME2):
        return node.this
    return node


def identifier_name(identifier: exp.Identifier) -> str:
    """An identifier as SQL Server names it: a temp table's # or ##, which sqlglot keeps as a flag
    (#d.dt's table is d, marked temporary)."""
    prefix = "##" if identifier.args.get("global_") else "#" if identifier.args.get("temporary") else ""
    return prefix + identifier.name


def matchable(node: exp.Expression) -> str:
    """A node's T-SQL as SQL Server matches one expression with another (a SELECT list item with a
    GROUP BY or ORDER BY one): without case, and without the brackets or quotes around names."""
    return node.sql("tsql").lower().replace("[", "").replace("]", "").replace('"', "")

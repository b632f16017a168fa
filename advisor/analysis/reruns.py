"""How many times the expression around a subquery runs it for each row. SQL Server rewrites
COALESCE(x, y) as CASE WHEN x IS NOT NULL THEN x ELSE y END and NULLIF(x, y) as CASE WHEN x = y
THEN NULL ELSE x END, so a subquery written as x runs twice; CASE x WHEN ... WHEN ... tests x once
for each WHEN. ISNULL is a function and runs it once."""

from __future__ import annotations

from sqlglot import exp


def reruns(subquery: exp.Expression) -> tuple[int, exp.Expression] | None:
    """The times the expression around a subquery runs it, and that expression (a COALESCE, a
    NULLIF or a CASE); None where it runs once: COALESCE's last value is its ELSE, reached once."""
    node, around = subquery, subquery.parent
    while isinstance(around, exp.Paren):
        node, around = around, around.parent
    if isinstance(around, exp.Coalesce) and not around.args.get("is_null") and around.expressions \
            and around.expressions[-1] is not node:
        return 2, around
    if isinstance(around, exp.Nullif) and around.this is node:
        return 2, around
    whens = len(around.args.get("ifs") or []) if isinstance(around, exp.Case) and around.this is node else 0
    return (whens, around) if whens > 1 else None

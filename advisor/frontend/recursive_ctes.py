"""A WITH that SQL Server refuses before it runs: two CTEs of one name (error 239), or a recursive
CTE in a shape it does not take. A recursive CTE (one that reads itself: a list of days, a chain
of managers) joins its anchor to the part that recurs with UNION ALL (error 252), and that part
has no DISTINCT (460), TOP (461), outer join (462), GROUP BY, HAVING or aggregate (467). sqlglot
reads them all."""

from __future__ import annotations

from sqlglot import exp

from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree


def check_ctes(with_: exp.With, text: str) -> None:
    named: set[str] = set()
    for cte in with_.expressions:
        name = cte.alias
        if name.lower() in named:
            raise WrongTree(f"two CTEs of this WITH are named {name}, and SQL Server rejects it (error 239): give each a "
                            "name of its own", text_bounds(cte.args["alias"], text))
        named.add(name.lower())
        arms = _arms(cte.this)
        recurring = [at for at, arm in enumerate(arms) if _reads(arm, name)]
        if not recurring or recurring[0] == 0:
            continue  # not recursive; or its first query reads itself, which SQL Server takes for no anchor
        _check_unions(cte.this, arms[recurring[0]], name, text)
        for at in recurring:
            _check_recurring(arms[at], name, text)


def _arms(body: exp.Expression) -> list[exp.Expression]:
    """The queries a UNION, EXCEPT or INTERSECT chain joins, in order."""
    if isinstance(body, exp.SetOperation):
        return [*_arms(body.this), *_arms(body.expression)]
    return [body]


def _reads(query: exp.Expression, name: str) -> bool:
    return any(not table.db and table.name.lower() == name.lower() for table in query.find_all(exp.Table))


def _check_unions(body: exp.Expression, first_recurring: exp.Expression, name: str, text: str) -> None:
    """Each set operation from the one before the first recurring query on is UNION ALL."""
    operation = first_recurring.parent
    while isinstance(operation, exp.SetOperation):
        if not isinstance(operation, exp.Union) or operation.args.get("distinct"):
            raise WrongTree(f"{name} reads itself, so it is recursive, and SQL Server joins a recursive CTE's queries with "
                            "UNION ALL only (error 252): UNION, EXCEPT and INTERSECT are refused there",
                            text_bounds(first_recurring, text))
        operation = operation.parent if operation is not body else None


def _check_recurring(arm: exp.Expression, name: str, text: str) -> None:
    """What the part of a recursive CTE that reads itself may not have."""
    if not isinstance(arm, exp.Select):
        return
    refused = None
    if arm.args.get("distinct"):
        refused = "DISTINCT (error 460)"
    elif arm.args.get("limit") is not None:
        refused = "TOP (error 461)"
    elif any(join.side for join in arm.args.get("joins") or []):
        refused = "an outer join (error 462)"
    elif arm.args.get("group") is not None or arm.args.get("having") is not None or any(
            isinstance(node, exp.AggFunc) and not isinstance(node.parent, exp.Window) for node in arm.find_all(exp.AggFunc)):
        refused = "GROUP BY, HAVING or an aggregate (error 467)"
    if refused is not None:
        raise WrongTree(f"the part of {name} that reads itself has {refused}, which SQL Server refuses in the recursive "
                        "part of a CTE, since it reads one level's rows at a time: do it in the query that reads "
                        f"{name}, over all its rows", text_bounds(arm, text))

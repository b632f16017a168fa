"""A reserved word used bare as a name: SELECT ... AS Percent, ... ) AS key, WITH open AS (...).
sqlglot takes it for the name; SQL Server rejects the statement (error 156, "Incorrect syntax near
the keyword") unless the name is in brackets."""

from __future__ import annotations

from sqlglot import exp

from advisor.frontend.known_names import RESERVED
from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree

# The nodes that hold names the query gives: a column's alias, a table's, a CTE's and their column lists
NAMING = (exp.Alias, exp.TableAlias)


def check_reserved_names(nodes: list[exp.Expression], text: str) -> None:
    for node in nodes:
        if isinstance(node, exp.Alias):
            names = [node.args.get("alias")]
        elif isinstance(node, exp.TableAlias):
            names = [node.this, *node.columns]
        else:
            continue
        for name in names:
            if isinstance(name, exp.Identifier) and not name.quoted and name.name.upper() in RESERVED:
                where = text_bounds(name, text)
                if where is not None and text[where[0]:where[1]].upper() == name.name.upper():
                    raise WrongTree(f"{name.name} is a reserved word in T-SQL: as a name it needs brackets, [{name.name}], "
                                    "and SQL Server rejects it without (error 156)", where)

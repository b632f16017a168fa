"""A reserved word used bare as a name: SELECT ... AS Percent, ... ) AS key, WITH open AS (...).
sqlglot takes it for the name; SQL Server rejects the statement (error 156, "Incorrect syntax near
the keyword") unless the name is in brackets."""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.tokens import Token

from advisor.frontend.known_names import RESERVED
from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree

# The nodes that hold names the query gives: a column's alias, a table's, a CTE's and their column lists
NAMING = (exp.Alias, exp.TableAlias)


# A word after AS that ends a SELECT list's item: a comma, or a clause, after it (AS End FROM ...),
# not the next statement's own words (AS, then SELECT y FROM ...: a name left out)
_NAME_AFTER_AS = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:[,);]|$|(?:FROM|INTO|WHERE|GROUP|ORDER|HAVING|UNION)\b)",
                            re.IGNORECASE)


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
                    raise _reserved(name.name, where)


def named_after_as(last: Token, text: str) -> WrongTree | None:
    """A statement cut short at its last word, AS, by a reserved word that starts another
    (e.endDate AS End, AS Open): the word was meant as the name. The AS is pointed at: the word
    is the next statement's."""
    word = _NAME_AFTER_AS.match(text, last.end + 1)
    if word is None or word.group(1).upper() not in RESERVED:
        return None
    return _reserved(word.group(1), (last.start, last.end + 1))


def _reserved(name: str, where: tuple[int, int]) -> WrongTree:
    return WrongTree(f"{name} is a reserved word in T-SQL: as a name it needs brackets, [{name}], and SQL Server "
                     "rejects it without (error 156)", where)

"""A reserved word used bare as a name: SELECT ... AS Percent, ... ) AS key, WITH open AS (...),
FROM Identity i, gs.percent. sqlglot takes it for the name; SQL Server rejects the statement (error
156, "Incorrect syntax near the keyword") unless the name is in brackets: [Identity], gs.[percent]."""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from advisor.frontend.known_names import RESERVED
from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree

# The nodes that hold names: a column's alias, a table's, a CTE's and their column lists; a table
NAMING = (exp.Alias, exp.TableAlias, exp.Table)
# Reserved words that stand as what they are where sqlglot puts a table's name (INSERT INTO
# OPENQUERY(...)), or a column's: niladic functions (SELECT USER), a column's default (EXEC p 1, DEFAULT)
_ROWSETS = frozenset({"OPENQUERY", "OPENROWSET", "OPENDATASOURCE", "OPENXML", "CONTAINSTABLE", "FREETEXTTABLE"})
_VALUES = frozenset({"USER", "CURRENT_USER", "SESSION_USER", "SYSTEM_USER", "CURRENT_TIMESTAMP", "DEFAULT"})
# The reserved words every query is made of: a statement with none but these names no column by one
_STRUCTURE = frozenset({
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "ON", "JOIN", "INNER", "LEFT", "RIGHT", "OUTER", "CROSS", "AS", "IN",
    "IS", "NULL", "BY", "GROUP", "ORDER", "HAVING", "UNION", "ALL", "DISTINCT", "TOP", "CASE", "WHEN", "THEN", "ELSE",
    "END", "EXISTS", "BETWEEN", "LIKE", "INTO", "INSERT", "UPDATE", "SET", "DELETE", "VALUES", "DECLARE", "WITH",
    "ASC", "DESC", "CONVERT", "COALESCE", "NULLIF", "OVER", "IF", "BEGIN", "WHILE", "RETURN", "PRINT", "EXEC",
    "EXECUTE", "TRY_CONVERT", "ESCAPE", "COLLATE", "FOR", "OPTION", "DROP", "CREATE", "TABLE", "TRUNCATE",
})
_NAME_LIKE = RESERVED - _STRUCTURE - _VALUES
# A word after AS that ends a SELECT list's item: a comma, or a clause, after it (AS End FROM ...),
# not the next statement's own words (AS, then SELECT y FROM ...: a name left out)
_NAME_AFTER_AS = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:[,);]|$|(?:FROM|INTO|WHERE|GROUP|ORDER|HAVING|UNION)\b)",
                            re.IGNORECASE)


def check_reserved_names(nodes: list[exp.Expression], text: str) -> None:
    """The names the query gives (aliases, CTEs) and the tables it names, of the nodes check_tree found."""
    for node in nodes:
        if isinstance(node, exp.Alias):
            _check_name(node.args.get("alias"), text)
        elif isinstance(node, exp.TableAlias):
            for name in (node.this, *node.columns):
                _check_name(name, text)
        elif isinstance(node, exp.Table):
            for part in ("this", "db", "catalog"):
                _check_name(node.args.get(part), text, _ROWSETS)


def check_bare_columns(tree: exp.Expression, words: list[str], text: str) -> None:
    """A reserved word as a column's name without a table before it (SELECT percent FROM #t), in a
    table's definition (CREATE TABLE #t (key int)) or an INSERT's list. Looked for only where such
    a word is written."""
    if _NAME_LIKE.isdisjoint(words) or isinstance(tree, exp.Set):  # SET ROWCOUNT @n: an option
        return
    for node in tree.find_all(exp.Column, exp.ColumnDef, exp.Schema):
        for name in node.expressions if isinstance(node, exp.Schema) else [node.this]:  # INSERT INTO #t (a, key)
            _check_name(name, text, _VALUES)


# A quick look at the text before the tokens are: a dot and a word, a reserved one if only in a comment
_DOT_WORD = re.compile(r"\.([A-Za-z_]\w*)")


def check_names_after_dots(tokens: list[Token], written: str) -> None:
    """A reserved word right after a dot, as a column's or a table's name (gs.percent, dbo.Identity).
    Not a call (dbo.LEFT(a.z), a district's own function of a built-in's name)."""
    if not any(word.upper() in RESERVED for word in _DOT_WORD.findall(written)):
        return
    for dot, name, after in zip(tokens, tokens[1:], [*tokens[2:], None]):
        if (dot.token_type == TokenType.DOT and name.start == dot.end + 1 and name.token_type != TokenType.IDENTIFIER
                and name.text.upper() in RESERVED and (after is None or after.token_type != TokenType.L_PAREN)):
            raise _reserved(name.text, (name.start, name.end + 1))


def named_after_as(last: Token, text: str) -> WrongTree | None:
    """A statement cut short at its last word, AS, by a reserved word that starts another
    (e.endDate AS End, AS Open): the word was meant as the name. The AS is pointed at: the word
    is the next statement's."""
    word = _NAME_AFTER_AS.match(text, last.end + 1)
    if word is None or word.group(1).upper() not in RESERVED:
        return None
    return _reserved(word.group(1), (last.start, last.end + 1))


def _check_name(name: exp.Expression | None, text: str, meant: frozenset[str] = frozenset()) -> None:
    """A name written bare that is a reserved word, where the text holds it as the tree does; but
    not one of `meant`, which stand there as what they are."""
    if isinstance(name, exp.Identifier) and not name.quoted:
        word = name.name.upper()
        if word in RESERVED and word not in meant:
            where = text_bounds(name, text)
            if where is not None and text[where[0]:where[1]].upper() == word:
                raise _reserved(name.name, where)


def _reserved(name: str, where: tuple[int, int]) -> WrongTree:
    return WrongTree(f"{name} is a reserved word in T-SQL: as a name it needs brackets, [{name}], and SQL Server "
                     "rejects it without (error 156)", where)

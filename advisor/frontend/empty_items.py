"""A comma with nothing on one side of it in a list: DATEDIFF(year, s.birthdate, ), RAISERROR('x',
16, ), EXEC p 1, , 2. sqlglot reads a missing argument; SQL Server rejects it."""

from __future__ import annotations

import re

from sqlglot.tokens import Token, TokenType

from advisor.frontend.repairs import matching_parenthesis
from advisor.frontend.wrong_tree import WrongTree

_EMPTY_ITEM = re.compile(r",\s*[),]|\(\s*,")  # a quick look before the tokens are: in a string or a comment too
_AROUND_NOTHING = ((TokenType.COMMA, TokenType.R_PAREN), (TokenType.L_PAREN, TokenType.COMMA), (TokenType.COMMA, TokenType.COMMA))


def check_empty_items(tokens: list[Token], words: list[str], text: str) -> None:
    empty = _empty_item(tokens, words) if _EMPTY_ITEM.search(text, tokens[0].start, tokens[-1].end + 1) else None
    if empty is not None:
        raise WrongTree("a comma with nothing between it and a parenthesis or another comma leaves an empty item in the "
                        "list: SQL Server rejects it; an argument or a column is missing there", (empty.start, empty.end + 1))


def _empty_item(tokens: list[Token], words: list[str]) -> Token | None:
    """A comma right before a closing parenthesis, right after an opening one, or right after
    another comma, which sqlglot reads as a missing argument: DATEDIFF(year, s.birthdate, ),
    DATEDIFF(day, , a.date). Not the one comma SQL Server takes at the end of a table's columns,
    CREATE TABLE #t (a int,), as a column commented out leaves it."""
    defined = _table_definition_end(tokens, words)
    for at, (token, following) in enumerate(zip(tokens, tokens[1:])):
        if (token.token_type, following.token_type) in _AROUND_NOTHING and at + 1 != defined:
            return token if token.token_type == TokenType.COMMA else following
    return None


def _table_definition_end(tokens: list[Token], words: list[str]) -> int | None:
    """Where the parenthesis that ends the columns of CREATE TABLE or DECLARE @t TABLE is."""
    if not (words[:2] == ["CREATE", "TABLE"] or words[:1] == ["DECLARE"]) or "TABLE" not in words:
        return None
    opening = next((at for at in range(words.index("TABLE"), len(tokens)) if tokens[at].token_type == TokenType.L_PAREN),
                   None)
    return matching_parenthesis(tokens, opening) if opening is not None else None

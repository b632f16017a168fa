"""Statements that start with a name. SQL Server runs the procedure of that name (sp_who2,
sp_help 'Person', dbo.refreshRoster @endYear = 2027) when the statement is the first of its batch
and what follows the name is a list of parameters; anywhere else a statement starts with a
keyword, and one that does not is a syntax error, most often a keyword misspelt (SELEC * FROM ...).
sqlglot reads such text as a bare expression (SELEC * FRM x as a product with an alias), which
would pass for understood."""

from __future__ import annotations

import re

from sqlglot.tokens import Token, TokenType

from advisor.frontend.dialect import unwritten
from advisor.frontend.known_names import RESERVED
from advisor.frontend.repairs import NAME_TOKENS
from advisor.frontend.split import STARTERS, UNCUT_STARTERS, Piece
from advisor.frontend.wrong_tree import WrongTree

# What each token is in a procedure call, as one letter: a Name, a Dot, the @ of a variable
# (Parameter), a Value, Equals, a Comma, a Minus, a plus Sign, OUTPUT, WITH; X for anything else.
_LETTERS = {
    TokenType.VAR: "N", TokenType.IDENTIFIER: "N", TokenType.DOT: "D", TokenType.PARAMETER: "P",
    TokenType.NUMBER: "V", TokenType.STRING: "V", TokenType.NATIONAL_STRING: "V", TokenType.HEX_STRING: "V",
    TokenType.NULL: "V", TokenType.DEFAULT: "V", TokenType.EQ: "E", TokenType.COMMA: "C",
    TokenType.DASH: "M", TokenType.PLUS: "S",
}
_WORD_LETTERS = {"OUTPUT": "O", "OUT": "O", "WITH": "W"}
# A name of up to four parts, then parameters: a value, a variable (maybe OUTPUT) or a bare word,
# each maybe given by name (@endYear = 2027); then EXEC's own options (WITH RECOMPILE).
_PARAMETER = r"(?:PNE)?(?:[MS]?V|PNO?|N)"
_CALL = re.compile(rf"N(?:D+N){{0,3}}(?:{_PARAMETER}(?:C{_PARAMETER})*)?(?:W.*)?")


def _starts_with_name(tokens: list[Token], words: list[str]) -> bool:
    """Whether the statement's first word is a name: sqlglot takes some of T-SQL's keywords for
    names too (OPEN, THROW, DBCC)."""
    return tokens[0].token_type in NAME_TOKENS and words[0] not in STARTERS and words[0] not in UNCUT_STARTERS


def as_exec(piece: Piece) -> Piece:
    """A batch's first statement, as the EXEC it is when it names a procedure and lists the
    values it is given; any other piece as it is."""
    if not _starts_with_name(piece.tokens, piece.words) or piece.words[0] in RESERVED:  # TRANSACTION alone: no procedure
        return piece
    shape = "".join(_WORD_LETTERS.get(word) or _LETTERS.get(token.token_type, "X")
                    for token, word in zip(piece.tokens, piece.words))
    if not _CALL.fullmatch(shape):
        return piece
    written = unwritten(TokenType.EXECUTE, "EXEC", piece.tokens[0])
    return Piece("EXEC", [written, *piece.tokens], ["EXEC", *piece.words], piece.enclosing, piece.error)


def no_keyword(tokens: list[Token], words: list[str]) -> WrongTree | None:
    """What is wrong with a statement that starts with a name, a variable or a value, where it
    is not a batch's first statement naming a procedure (as_exec); None if it starts with a
    keyword or a parenthesis."""
    first = tokens[0]
    where = (first.start, first.end + 1)
    if words[0] in RESERVED and words[0] not in STARTERS and words[0] not in UNCUT_STARTERS:
        return WrongTree(f"{first.text} does not start a T-SQL statement: is a word missing before it (TABLE #t: its DROP "
                         "or TRUNCATE)?", where)
    if _starts_with_name(tokens, words):
        return WrongTree("it does not start with a T-SQL keyword: is one misspelt? (SQL Server runs a procedure named "
                         "without EXEC only as the first statement of a batch, given values or variables)", where)
    if first.token_type == TokenType.PARAMETER and len(tokens) > 1:
        return WrongTree("it does not start with a T-SQL keyword: to give a variable a value, write SET before it",
                         (first.start, tokens[1].end + 1))
    if not words[0] and first.token_type != TokenType.L_PAREN:  # a value or a symbol: 1 + 1, 'text', #t
        return WrongTree("it does not start with a T-SQL keyword: one is missing or misspelt", where)
    return None

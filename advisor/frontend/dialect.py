"""sqlglot's T-SQL dialect, adjusted to how sqladvise feeds it: a whole batch is tokenized once,
then each statement's tokens are parsed alone."""

from __future__ import annotations

import logging
import re

from sqlglot import exp
from sqlglot.dialects.tsql import TSQL
from sqlglot.parser import Parser
from sqlglot.tokens import Token, TokenType

# sqlglot logs a warning for every statement it falls back on; sqladvise reports those itself.
_log = logging.getLogger("sqlglot")
_log.addHandler(logging.NullHandler())
_log.propagate = False

DIALECT = TSQL()


_WRAPPED_NAME = [TokenType.L_PAREN, TokenType.VAR, TokenType.R_PAREN]


class _Tokenizer(TSQL.Tokenizer):
    # sqlglot reads everything after PRINT, GO or END up to the next semicolon as one string;
    # in scripts without semicolons that would swallow the statements that follow.
    COMMANDS: set = set()


def tokenize(sql: str) -> list[Token]:
    tokens = _Tokenizer(dialect=DIALECT).tokenize(sql)
    tokens = _sqlcmd_variables(tokens) if "$(" in sql else tokens
    tokens = _money(tokens) if _MONEY_IN_TEXT.search(sql) else tokens
    tokens = _national_text(tokens) if _NATIONAL_IN_TEXT.search(sql) else tokens
    return _not_less_or_greater(tokens) if "!<" in sql or "!>" in sql else tokens


# T-SQL's !< (not less than) and !> (not greater than), which sqlglot reads as a NOT before < or >
_NOT_COMPARED = {TokenType.LT: TokenType.GTE, TokenType.GT: TokenType.LTE}


def _not_less_or_greater(tokens: list[Token]) -> list[Token]:
    """a.date !< '2026-01-01' read as the a.date >= '2026-01-01' it means."""
    kept: list[Token] = []
    for token in tokens:
        before = kept[-1] if kept else None
        if (token.token_type in _NOT_COMPARED and before is not None and before.text == "!"
                and before.end + 1 == token.start):
            kept[-1] = Token(_NOT_COMPARED[token.token_type], before.text + token.text, before.line, before.col,
                             before.start, token.end)
        else:
            kept.append(token)
    return kept


_NATIONAL_IN_TEXT = re.compile(r"\b(?:national|varying)\b", re.IGNORECASE)
# The ISO names of the Unicode text types, which T-SQL takes too: NATIONAL CHARACTER VARYING(n)
# and NCHAR VARYING(n) are nvarchar(n), NATIONAL CHAR(n) is nchar(n)
_NATIONAL = {TokenType.VARCHAR: TokenType.NVARCHAR, TokenType.CHAR: TokenType.NCHAR}


def _national_text(tokens: list[Token]) -> list[Token]:
    """Each such type read as one token of the type it is, which sqlglot reads (NATIONAL is a
    reserved word: nothing else is named so without brackets)."""
    kept: list[Token] = []
    for token in tokens:
        before = kept[-1] if kept else None
        if before is not None and before.token_type == TokenType.NCHAR and token.text.upper() == "VARYING":
            kind = TokenType.NVARCHAR
        elif (before is not None and before.token_type == TokenType.VAR and before.text.upper() == "NATIONAL"
              and token.token_type in _NATIONAL):  # not [national], a name
            kind = _NATIONAL[token.token_type]
        else:
            kept.append(token)
            continue
        kept[-1] = Token(kind, f"{before.text} {token.text}", before.line, before.col, before.start, token.end)
    return kept


def double_quoted_strings(tokens: list[Token], code: str, off: bool) -> bool:
    """After SET QUOTED_IDENTIFIER OFF, "A" is a string, as old scripts write them, not a name:
    its tokens are made strings, in place. `off`: whether the setting is off where the tokens
    start; returns whether it is where they end (it holds for the rest of the session)."""
    for at, token in enumerate(tokens):
        if token.token_type == TokenType.SET and [t.text.upper() for t in tokens[at + 1 : at + 2]] == ["QUOTED_IDENTIFIER"]:
            off = [t.text.upper() for t in tokens[at + 2 : at + 3]] == ["OFF"]
        elif off and token.token_type == TokenType.IDENTIFIER and code[token.start] == '"':
            tokens[at] = Token(TokenType.STRING, token.text, token.line, token.col, token.start, token.end)
    return off


_MONEY_IN_TEXT = re.compile(r"\$\.?\d")
_MONEY = re.compile(r"\$\d*")


def _money(tokens: list[Token]) -> list[Token]:
    """T-SQL's money constants, $100 and $5.00, which sqlglot reads as a column named $100 and a
    column 00 of a table $5: read as the numbers they are."""
    kept: list[Token] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if (token.token_type != TokenType.VAR or not _MONEY.fullmatch(token.text)
                or (kept and kept[-1].token_type == TokenType.DOT)):
            kept.append(token)
            at += 1
            continue
        digits, end, at = token.text[1:], token.end, at + 1
        point, fraction = tokens[at : at + 1], tokens[at + 1 : at + 2]
        if (point and fraction and point[0].token_type == TokenType.DOT and point[0].start == end + 1
                and fraction[0].text.isdigit() and fraction[0].start == point[0].end + 1):
            digits, end, at = f"{digits}.{fraction[0].text}", fraction[0].end, at + 2
        kept.append(Token(TokenType.NUMBER, digits, token.line, token.col, token.start, end) if digits else token)
    return kept


def _sqlcmd_variables(tokens: list[Token]) -> list[Token]:
    """A script saved in SQLCMD mode writes $(name) for a value sqlcmd pastes in before the server
    sees the text. sqlglot would read it as a function of a column `name`; it is read instead as a
    variable (@name) where a value stands, and as one name where a name does ($(db).dbo.Person)."""
    kept: list[Token] = []
    at = 0
    while at < len(tokens):
        parts = tokens[at : at + 4]
        if not _written_together(parts):
            kept.append(tokens[at])
            at += 1
            continue
        dollar, _, name, close = parts
        after = tokens[at + 4] if at + 4 < len(tokens) else None
        if (kept and kept[-1].token_type in (TokenType.DOT, TokenType.USE)) or (after and after.token_type == TokenType.DOT):
            kept.append(Token(TokenType.VAR, f"$({name.text})", dollar.line, dollar.col, dollar.start, close.end))
        else:
            kept.append(Token(TokenType.PARAMETER, "@", dollar.line, dollar.col, dollar.start, dollar.start))
            kept.append(Token(TokenType.VAR, name.text, name.line, name.col, dollar.start + 1, close.end))
        at += 4
    return kept


def _written_together(parts: list[Token]) -> bool:
    """$ ( name ) with nothing between them: $(name)."""
    return (len(parts) == 4 and parts[0].text == "$" and [t.token_type for t in parts[1:]] == _WRAPPED_NAME
            and parts[3].end - parts[0].start == len(parts[2].text) + 2)


def unwritten(kind: TokenType, text: str, first: Token) -> Token:
    """A keyword the statement leaves out and sqlglot needs, placed where its first token is and
    taking no room: the EXEC before a procedure a batch names first, the SELECT before a condition."""
    return Token(kind, text, first.line, first.col, first.start, first.start - 1)


def is_unwritten(token: Token) -> bool:
    """Whether a token is one `unwritten` made, taking no room in the text."""
    return token.end < token.start


def unwritten_select(select: exp.Expression, tokens: list[Token]) -> bool:
    """Whether this is the SELECT the statement does not write, that an IF's condition or a PRINT's
    value is read as the one column of: its first token takes no room."""
    return isinstance(select, exp.Select) and select.parent is None and is_unwritten(tokens[0])


def with_placed_variables(tokens: list[Token]) -> tuple[list[Token], set[int]]:
    """The tokens to parse, with each variable's name given as a quoted name, and where those
    names start. sqlglot keeps no position for a variable's name (@school is a Parameter over a
    Var made without its token), but it does for a quoted name, which it takes in the same place:
    `placed_variables` turns those back into the Vars they were, now with their positions."""
    named: set[int] = set()
    parameter = TokenType.PARAMETER
    signs = [at for at, token in enumerate(tokens) if token.token_type is parameter]
    if not signs:
        return tokens, named
    kept = list(tokens)
    for at in signs:
        if at + 1 < len(tokens) and tokens[at + 1].token_type is TokenType.VAR:
            name, first = tokens[at + 1], at  # its place starts at its @, or at the first of @@ROWCOUNT's
            while first and tokens[first - 1].token_type is parameter and tokens[first - 1].end + 1 == tokens[first].start:
                first -= 1
            sign = tokens[first]
            kept[at + 1] = Token(TokenType.IDENTIFIER, name.text, sign.line, sign.col, sign.start, name.end, name.comments)
            named.add(sign.start)
    return kept, named


def placed_variables(tree: exp.Expression, named: set[int]) -> None:
    """The names `with_placed_variables` quoted made Vars again, keeping their positions."""
    for parameter in tree.find_all(exp.Parameter):
        name = parameter.this
        if isinstance(name, exp.Identifier) and name.meta.get("start") in named:
            var = exp.Var(this=name.this)
            var.meta.update(name.meta)
            var.comments = name.comments
            parameter.set("this", var)


def new_parser() -> Parser:
    # sqlglot's own parser, not a subclass: the compiled build of sqlglot (sqlglot[c]) refuses
    # Python subclasses of its parsers.
    return DIALECT.parser()


def error_token(parser: Parser) -> Token | None:
    """The token a parse error points at: where the parser stood when it gave up."""
    return parser._curr or parser._prev

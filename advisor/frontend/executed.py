"""SQL that an EXEC runs from a string written out in full: EXEC sp_executesql N'SELECT ...',
N'@p int', @p = 5 (what SQL Server Profiler and Extended Events capture from applications and
reports) and EXEC ('SELECT ...'). The string is fixed text, not SQL built as the script runs, so
its statements are read as the file's own, at their place inside the string.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot.tokens import Token, TokenType

_STRINGS = frozenset({TokenType.STRING, TokenType.NATIONAL_STRING})
_NESTING = {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}
_AS_USER, _AS_LOGIN = ["AS", "USER", "="], ["AS", "LOGIN", "="]


@dataclass(frozen=True)
class Executed:
    """The string literals of an EXEC that runs fixed SQL."""

    sql: Token
    parameters: Token | None  # sp_executesql's parameter definitions: N'@p int, @d date'


def executed(tokens: list[Token]) -> Executed | None:
    """What an EXEC statement runs, when it is one string literal: None for a procedure, and for
    SQL put together from variables or pieces, which exists only once the script runs."""
    if len(tokens) >= 4 and tokens[1].token_type == TokenType.L_PAREN and tokens[3].token_type == TokenType.R_PAREN:
        # the same SQL with another's permissions: EXEC ('...') AS USER = 'reports'; not AT a linked server
        said = [token.text.upper() for token in tokens[4:7]]
        as_someone = len(tokens) == 8 and said in (_AS_USER, _AS_LOGIN) and tokens[7].token_type in _STRINGS
        if tokens[2].token_type in _STRINGS and (len(tokens) == 4 or as_someone):
            return Executed(tokens[2], None)
        return None
    named = sp_executesql_at(tokens[1:])
    if named is None:
        return None
    arguments = _arguments(tokens[named + 2 :])
    if not arguments or not _one_string(arguments[0]):
        return None
    parameters = arguments[1][0] if len(arguments) > 1 and _one_string(arguments[1]) else None
    return Executed(arguments[0][0], parameters)


def sp_executesql_at(tokens: list[Token]) -> int | None:
    """Where EXEC's tokens (after EXEC) name sp_executesql: sys.sp_executesql, @rc = sp_executesql."""
    return next((at for at, token in enumerate(tokens[:5]) if token.text.lower() == "sp_executesql"), None)


def _arguments(tokens: list[Token]) -> list[list[Token]]:
    """A procedure call's arguments, each without the `@name =` that names it."""
    found: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.COMMA and not depth:
            found.append([])
            continue
        depth += _NESTING.get(token.token_type, 0)
        found[-1].append(token)
    return [_unnamed(argument) for argument in found]


def _unnamed(argument: list[Token]) -> list[Token]:
    if len(argument) > 3 and argument[0].token_type == TokenType.PARAMETER and argument[2].token_type == TokenType.EQ:
        return argument[3:]
    return argument


def _one_string(argument: list[Token]) -> bool:
    return len(argument) == 1 and argument[0].token_type in _STRINGS


def content(text: str, literal: Token, depth: int) -> tuple[str, list[int]] | None:
    """The SQL a string literal holds ('' read as '), and for each of its characters, and for its
    end, the offset in `text` where it is written. A literal inside `depth` EXEC strings is written
    with each of its quotes doubled `depth` times over; in the file itself, it may be a string in
    double quotes (SET QUOTED_IDENTIFIER OFF). None if the literal is not where it says."""
    quote = ('"' if depth == 0 and text[literal.start] == '"' else "'") * 2**depth
    written = text[literal.start : literal.end + 1]
    opening = written.find(quote)
    if opening < 0 or not written.endswith(quote):
        return None
    offsets: list[int] = []
    at, end = opening + len(quote), len(written) - len(quote)
    while at < end:
        offsets.append(literal.start + at)
        at += 2 * len(quote) if written.startswith(quote, at) else 1  # a quote in the SQL is written twice
    offsets.append(literal.start + end)
    sql = literal.text
    return (sql, offsets) if len(sql) + 1 == len(offsets) else None


def placed(tokens: list[Token], offsets: list[int]) -> list[Token]:
    """Tokens of the SQL inside a string, moved to where each is written in the file (`offsets`
    from content()). Their line numbers stay the string's own: only their order is read."""
    for token in tokens:
        token.start, token.end = offsets[token.start], offsets[token.end + 1] - 1  # to the end of a '' too
    return tokens


def as_run(written: str, enclosing: tuple[str, ...]) -> str:
    """A statement's text as SQL Server runs it: inside an EXEC's string each '' is one quote, and
    inside a string in that string, one again."""
    for _ in range(enclosing.count("EXEC")):
        written = written.replace("''", "'")
    return written

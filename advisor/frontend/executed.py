"""SQL that an EXEC runs from a string written out in full: EXEC sp_executesql N'SELECT ...',
N'@p int', @p = 5 (what SQL Server Profiler and Extended Events capture from applications and
reports), EXEC ('SELECT ...'), the @query a Database Mail job sends the rows of (EXEC
msdb.dbo.sp_send_dbmail ..., @query = 'SELECT ...'), and any of them given a variable the batch
sets to such a string (frontend/fixed_variables.py). EXEC (...) also takes such strings joined
with +: EXEC ('SELECT ...' + @where). The string is fixed text, not SQL built from values the
script finds as it runs, so its statements are read as the file's own, at their place inside the
string (pieces apart in the file are read as the one text they make).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlglot.tokens import Token, TokenType

from advisor.frontend.repairs import matching_parenthesis

STRING_LITERALS = frozenset({TokenType.STRING, TokenType.NATIONAL_STRING})
_NESTING = {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}
_AS_USER, _AS_LOGIN = ["AS", "USER", "="], ["AS", "LOGIN", "="]
MAIL_DATABASE = "msdb"  # where sp_send_dbmail runs its @query without @execute_query_database


@dataclass(frozen=True)
class Character:
    """CHAR(13), NCHAR(10): a character given by its code, joined into a string (a line break
    between the pieces of SQL built for PRINT to show), and where it is written."""

    text: str
    start: int
    end: int  # of its closing parenthesis, as a token's end


StringPart = Token | Character  # what strings joined with + are made of


@dataclass(frozen=True)
class FixedString:
    """A string literal, or string literals joined with +, or what a variable holds where the
    script runs it: the literals (and characters given by their codes), in order."""

    literals: tuple[StringPart, ...]
    unicode: bool  # N'...', or a variable not declared varchar, char or text: what sp_executesql takes

    def __add__(self, more: FixedString) -> FixedString:
        return FixedString(self.literals + more.literals, self.unicode and more.unicode)


@dataclass(frozen=True)
class SqlArguments:
    """What an EXEC is given to run as SQL: each argument's tokens, as written."""

    sql: list[Token]
    parameters: list[Token] | None  # sp_executesql's parameter definitions
    by_sp_executesql: bool  # which takes only Unicode text
    database: str | None = None  # the database it runs in, where the EXEC names one apart from the script's


@dataclass(frozen=True)
class Executed:
    """The string literals of an EXEC that runs fixed SQL."""

    sql: tuple[StringPart, ...]  # joined, in order
    parameters: tuple[StringPart, ...] | None  # sp_executesql's parameter definitions: N'@p int, @d date'
    # the argument sp_executesql refuses (error 214) for not being Unicode text, and what it is
    not_unicode: tuple[list[Token], str] | None = None
    database: str | None = None  # as SqlArguments.database


def executed(tokens: list[Token], fixed: Mapping[int, FixedString]) -> Executed | None:
    """What an EXEC (or INSERT ... EXEC) statement runs, when it is one string literal or a
    variable `fixed` holds a string for where it is run (by the offset of its @), or for EXEC
    (...) such strings joined with +: None for a procedure, and for SQL put together from other
    values, which exists only once the script runs."""
    arguments = sql_arguments(tokens)
    sql = _fixed(arguments.sql, fixed, not arguments.by_sp_executesql) if arguments is not None else None
    if sql is None:
        return None
    parameters = _fixed(arguments.parameters, fixed, False) if arguments.parameters else None
    refused = None
    if arguments.by_sp_executesql and not sql.unicode:
        refused = (arguments.sql, "its SQL")
    elif arguments.by_sp_executesql and parameters is not None and not parameters.unicode:
        refused = (arguments.parameters, "its parameter definitions")
    return Executed(sql.literals, parameters.literals if parameters else None, refused, arguments.database)


def sql_arguments(tokens: list[Token]) -> SqlArguments | None:
    """The arguments of the EXEC in these tokens, when it runs SQL given as text: EXEC (...),
    with or without AS USER = '...'; EXEC sp_executesql (or sys.sp_executesql, @rc = sp_executesql).
    None for a procedure, and for EXEC (...) AT a linked server, which runs the SQL elsewhere."""
    start = next((at for at, token in enumerate(tokens) if token.token_type == TokenType.EXECUTE), None)
    if start is None:
        return None
    tokens = tokens[start:]
    close = matching_parenthesis(tokens, 1)
    if close is not None:
        # the same SQL with another's permissions: EXEC ('...') AS USER = 'reports'
        rest = tokens[close + 1 :]
        said = [token.text.upper() for token in rest[:3]]
        as_someone = len(rest) == 4 and said in (_AS_USER, _AS_LOGIN) and rest[3].token_type in STRING_LITERALS
        return SqlArguments(tokens[2:close], None, False) if not rest or as_someone else None
    named = sp_executesql_at(tokens[1:])
    if named is None:
        query = mailed_query(tokens[1:])
        return SqlArguments(query, None, False, mailed_database(tokens[1:])) if query is not None else None
    arguments = _arguments(tokens[named + 2 :])
    if not arguments[0]:
        return None
    return SqlArguments(arguments[0], arguments[1] if len(arguments) > 1 else None, True)


def mailed_query(tokens: list[Token]) -> list[Token] | None:
    """Of EXEC's tokens (after EXEC), the @query argument of msdb.dbo.sp_send_dbmail: the query
    Database Mail runs, in a session of its own, for the rows it mails."""
    for argument in _mail_arguments(tokens):
        if _named(argument) and argument[1].text.lower() == "query":
            return argument[3:]
    return None


def mailed_database(tokens: list[Token]) -> str | None:
    """The database Database Mail runs its @query in: the one @execute_query_database names, written
    out, or msdb, where sp_send_dbmail runs, without it. None where a variable names it."""
    for argument in _mail_arguments(tokens):
        if _named(argument) and argument[1].text.lower() == "execute_query_database":
            value = argument[3]
            return value.text if len(argument) == 4 and value.token_type in STRING_LITERALS else None
    return MAIL_DATABASE


def _mail_arguments(tokens: list[Token]) -> list[list[Token]]:
    """The arguments of msdb.dbo.sp_send_dbmail, where EXEC's tokens (after EXEC) call it."""
    called = next((at for at, token in enumerate(tokens[:7]) if token.text.lower() == "sp_send_dbmail"), None)
    return split_at_commas(tokens[called + 1 :]) if called is not None else []


def variable_at(tokens: list[Token], at: int) -> str | None:
    """The variable written at `at` (@sql), in lower case as SQL Server compares their names; None
    for anything else, such as @@ROWCOUNT."""
    if at + 1 >= len(tokens) or tokens[at].token_type != TokenType.PARAMETER:
        return None
    name = tokens[at + 1]
    if name.start != tokens[at].end + 1 or name.token_type == TokenType.PARAMETER:
        return None
    return name.text.lower()


def _fixed(argument: list[Token], fixed: Mapping[int, FixedString], joined: bool) -> FixedString | None:
    """The string an argument gives: a literal, or a variable where `fixed` knows what it holds;
    with `joined`, also such strings joined with + (sp_executesql takes no expression)."""
    def held(part: list[Token]) -> FixedString | None:
        return fixed.get(part[0].start)

    return joined_string(argument, held) if joined else string_of(argument, held)


def joined_string(tokens: list[Token], held: Callable[[list[Token]], FixedString | None]) -> FixedString | None:
    """String literals, and variables whose string `held` knows, joined with + in these tokens, as
    one string; None if anything else is joined."""
    strings = [string_of(part, held) for part in split_at_plus(tokens)]
    if not strings or None in strings:
        return None
    return sum(strings[1:], strings[0])


def string_of(part: list[Token], held: Callable[[list[Token]], FixedString | None]) -> FixedString | None:
    """The string one part of a + gives: a literal, a character by its code, or a variable (@ and
    its name) whose string `held` knows."""
    if len(part) == 1 and part[0].token_type in STRING_LITERALS:
        return FixedString((part[0],), part[0].token_type == TokenType.NATIONAL_STRING)
    if [token.token_type for token in part[1:]] == _CODE and part[0].text.upper() in _MOST_CODES \
            and int(part[2].text) <= _MOST_CODES[part[0].text.upper()]:
        return FixedString((Character(chr(int(part[2].text)), part[0].start, part[3].end),), part[0].text.upper() == "NCHAR")
    return held(part) if len(part) == 2 and variable_at(part, 0) is not None else None


_CODE = [TokenType.L_PAREN, TokenType.NUMBER, TokenType.R_PAREN]
_MOST_CODES = {"CHAR": 255, "NCHAR": 65535}  # the highest code each gives a character for


def split_at_plus(tokens: list[Token]) -> list[list[Token]]:
    """Tokens in the parts that a + outside parentheses joins; none where a + has nothing on a side."""
    parts = _split_at(tokens, TokenType.PLUS)
    return parts if all(parts) else []


def sp_executesql_at(tokens: list[Token]) -> int | None:
    """Where EXEC's tokens (after EXEC) name sp_executesql: sys.sp_executesql, @rc = sp_executesql."""
    return next((at for at, token in enumerate(tokens[:5]) if token.text.lower() == "sp_executesql"), None)


def _arguments(tokens: list[Token]) -> list[list[Token]]:
    """A procedure call's arguments, each without the `@name =` that names it."""
    return [_unnamed(argument) for argument in split_at_commas(tokens)]


def split_at_commas(tokens: list[Token]) -> list[list[Token]]:
    """Tokens in the parts that commas outside parentheses separate: arguments, declarations."""
    return _split_at(tokens, TokenType.COMMA)


def _split_at(tokens: list[Token], separator: TokenType) -> list[list[Token]]:
    found: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type == separator and not depth:
            found.append([])
            continue
        depth += _NESTING.get(token.token_type, 0)
        found[-1].append(token)
    return found


def _unnamed(argument: list[Token]) -> list[Token]:
    return argument[3:] if _named(argument) else argument


def _named(argument: list[Token]) -> bool:
    """Whether a procedure's argument is given by name: @query = ..."""
    return len(argument) > 3 and argument[0].token_type == TokenType.PARAMETER and argument[2].token_type == TokenType.EQ


def joined_content(text: str, literals: tuple[StringPart, ...], depth: int) -> tuple[str, list[int]] | None:
    """content() of string literals joined with +: the text they make, and the offset in `text` of
    each of its characters, and of its end (where the last literal's content ends); a character
    given by its code is where its CHAR is."""
    sql, offsets = "", []
    for literal in literals:
        held = (literal.text, [literal.start, literal.end + 1]) if isinstance(literal, Character) else \
            content(text, literal, depth)
        if held is None:
            return None
        sql, offsets = sql + held[0], offsets + held[1][:-1]
    return sql, offsets + [held[1][-1]]


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

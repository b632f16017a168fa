"""Variables a batch sets once to a string written out in full, then runs: DECLARE @sql
nvarchar(max) = N'SELECT ...' and EXEC sp_executesql @sql. What such an EXEC runs is fixed text,
read as if the string were written in the EXEC (frontend/executed.py).

A variable set more than once, set from anything but one string, run before it is set, or used
any other way than printed and run, may hold SQL put together as the script runs: it is not fixed,
and its EXEC stays unread. Run twice, it is read twice, as SQL Server runs it: the findings on the
string are said once, and its time counts twice.
"""

from __future__ import annotations

from collections import defaultdict

from sqlglot.tokens import Token, TokenType

from advisor.frontend.executed import (
    STRING_LITERALS,
    FixedString,
    split_at_commas,
    sql_arguments,
    variable_at,
)
from advisor.frontend.split import Piece

# The text types sp_executesql refuses (error 214); nvarchar, nchar, ntext and sysname it takes,
# and a district's own type is given the benefit of the doubt.
_NOT_UNICODE = frozenset({"varchar", "char", "text"})
_MAY_EXEC = frozenset({"EXEC", "EXECUTE", "INSERT"})


class _Uses:
    """What a batch does with each variable, statement by statement."""

    def __init__(self) -> None:
        self.unicode: dict[str, bool] = {}  # declared variables, and whether sp_executesql takes their type
        self.literals: dict[str, list[Token]] = defaultdict(list)  # the strings each is set to
        self.runs: dict[str, list[int]] = defaultdict(list)  # where EXECs run each
        self.other: set[str] = set()  # used in any other way: perhaps set from something else
        self.seen: set[int] = set()  # the @ of each use accounted for above

    def declare(self, tokens: list[Token]) -> None:
        """DECLARE @a int, @sql nvarchar(max) = N'...': each declared variable's type, and the
        string it is set to, if it is set to one."""
        for declared in split_at_commas(tokens[1:]):
            name = variable_at(declared, 0)
            if name is None:
                continue
            typed = declared[3:] if len(declared) > 3 and declared[2].text.upper() == "AS" else declared[2:]
            self.unicode[name] = not typed or typed[0].text.lower() not in _NOT_UNICODE
            equals = next((at for at, token in enumerate(declared) if token.token_type == TokenType.EQ), None)
            if equals is None:
                self.seen.add(declared[0].start)
            elif len(declared) == equals + 2 and declared[-1].token_type in STRING_LITERALS:
                self._set(name, declared[0], declared[-1])

    def statement(self, piece: Piece) -> None:
        tokens = piece.tokens
        name = variable_at(tokens, 1)
        said = [token.token_type for token in tokens[3:]]
        if piece.keyword == "SET" and len(said) == 2 and said[0] == TokenType.EQ and said[1] in STRING_LITERALS:
            self._set(name, tokens[1], tokens[4])
        elif piece.keyword == "PRINT" and len(tokens) == 3 and name is not None:
            self.seen.add(tokens[1].start)
        elif piece.keyword in _MAY_EXEC and (arguments := sql_arguments(tokens)) is not None:
            for argument in (arguments.sql, arguments.parameters or []):
                if len(argument) == 2 and (run := variable_at(argument, 0)) is not None:
                    self.seen.add(argument[0].start)
                    if argument is arguments.sql:
                        self.runs[run].append(argument[0].start)

    def _set(self, name: str | None, at: Token, literal: Token) -> None:
        if name is not None:
            self.literals[name].append(literal)
            self.seen.add(at.start)

    def fixed(self) -> dict[str, FixedString]:
        return {
            name: FixedString(literals[0], self.unicode[name])
            for name, literals in self.literals.items()
            if name in self.unicode and name not in self.other and len(literals) == 1
            and all(run > literals[0].start for run in self.runs[name])
        }


def fixed_strings(pieces: list[Piece]) -> dict[str, FixedString]:
    """The variables of a batch (its statements, `pieces`) that hold one string wherever it is run."""
    if not any(_may_run_a_variable(piece) for piece in pieces):
        return {}  # nearly every batch: no need to follow its variables
    uses = _Uses()
    for piece in pieces:
        if piece.keyword == "DECLARE":
            uses.declare(piece.tokens)
        else:
            uses.statement(piece)
        for at in range(len(piece.tokens)):
            name = variable_at(piece.tokens, at)
            if name is not None and piece.tokens[at].start not in uses.seen:
                uses.other.add(name)
    return uses.fixed()


def _may_run_a_variable(piece: Piece) -> bool:
    return piece.keyword in _MAY_EXEC and ("EXEC" in piece.words or "EXECUTE" in piece.words) and any(
        token.token_type == TokenType.PARAMETER for token in piece.tokens)

"""Variables a batch sets to strings written out in full, then runs: DECLARE @sql nvarchar(max) =
N'SELECT ...' and EXEC sp_executesql @sql. What such an EXEC runs is fixed text, read as if the
string were written in the EXEC (frontend/executed.py).

A variable may be set again, or added to (SET @sql = @sql + N' WHERE ...', SET @sql += ...), with
such strings joined with +: each EXEC runs what it holds by then. Set or added to inside an IF, a
loop or a CATCH once it holds a string, set from anything else, run before it is set, or used any
other way than printed and run, it may hold SQL put together from what the script finds as it
runs: it is not fixed, and none of its EXECs is read. Run twice, it is read twice, as SQL Server
runs it: the findings on the string are said once, and its time counts twice.
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from advisor.frontend.executed import (
    FixedString,
    joined_string,
    split_at_commas,
    split_at_plus,
    sql_arguments,
    variable_at,
)
from advisor.frontend.split import Piece

# The text types sp_executesql refuses (error 214); nvarchar, nchar, ntext and sysname it takes,
# and a district's own type is given the benefit of the doubt.
_NOT_UNICODE = frozenset({"varchar", "char", "text"})
_MAY_EXEC = frozenset({"EXEC", "EXECUTE", "INSERT"})
# What runs a statement some times and not others, or not at all
_CONDITIONAL = frozenset({"IF", "ELSE", "WHILE", "CATCH"})


class _Uses:
    """What a batch does with each variable, statement by statement, in the order they run."""

    def __init__(self) -> None:
        self.unicode: dict[str, bool] = {}  # declared variables, and whether sp_executesql takes their type
        self.holds: dict[str, FixedString] = {}  # the string each holds so far
        self.runs: dict[int, tuple[str, FixedString]] = {}  # at each EXEC's @ of a variable: the variable, what it holds
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
            else:
                self._set(name, declared[0], self._joined(declared[equals + 1 :]), False)

    def statement(self, piece: Piece) -> None:
        tokens = piece.tokens
        name = variable_at(tokens, 1)
        if piece.keyword == "SET" and name is not None and len(tokens) > 4:
            conditional = not _CONDITIONAL.isdisjoint(piece.enclosing)
            if tokens[3].token_type == TokenType.EQ:
                self._set(name, tokens[1], self._joined(tokens[4:]), conditional)
            elif tokens[3].token_type == TokenType.PLUS and tokens[4].token_type == TokenType.EQ:  # SET @sql += N'...'
                added = self._joined(tokens[5:])
                self._set(name, tokens[1], self.holds[name] + added if name in self.holds and added else None, conditional)
        elif piece.keyword == "PRINT" and len(tokens) == 3 and name is not None:
            self.seen.add(tokens[1].start)
        elif piece.keyword in _MAY_EXEC and (arguments := sql_arguments(tokens)) is not None:
            for argument in (arguments.sql, arguments.parameters or []):
                for part in split_at_plus(argument) if argument is arguments.sql else [argument]:
                    run = variable_at(part, 0) if len(part) == 2 else None
                    if run is not None and run in self.holds:
                        self.seen.add(part[0].start)
                        self.runs[part[0].start] = (run, self.holds[run])

    def _joined(self, tokens: list[Token]) -> FixedString | None:
        """The string literals joined with + in these tokens, and variables holding such strings
        (SET @sql = @sql + N' WHERE ...'), as one string; None for anything else."""
        return joined_string(tokens, self._held)

    def _held(self, part: list[Token]) -> FixedString | None:
        held = self.holds.get(variable_at(part, 0))
        if held is not None:
            self.seen.add(part[0].start)
        return held

    def _set(self, name: str | None, at: Token, string: FixedString | None, conditional: bool) -> None:
        if name is None or string is None or (conditional and name in self.holds):
            return  # not seen: the variable may hold anything from here on
        # what sp_executesql takes is the variable's type, whatever the strings it was set to
        self.holds[name] = FixedString(string.literals, self.unicode.get(name, string.unicode))
        self.seen.add(at.start)

    def fixed(self) -> dict[int, FixedString]:
        return {at: string for at, (name, string) in self.runs.items() if name in self.unicode and name not in self.other}


def fixed_strings(pieces: list[Piece]) -> dict[int, FixedString]:
    """What each EXEC of a variable in a batch (its statements, `pieces`) runs, by the offset of the
    variable's @ there, where the variable holds a fixed string wherever it is run."""
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

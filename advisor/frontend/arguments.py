"""The calls of SQL Server's own functions, as their tokens are written: how many arguments each
takes, and the datepart DATEADD and its kin take first. SQL Server rejects a call with too few or
too many, or with a datepart it does not have; sqlglot reads them, and reads them wrong:
DATEADD(day, -7) as seven days before a column named day, DATEDIFF(years, ...) as if years were a
datepart."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot.tokens import Token, TokenType

from advisor.frontend.known_names import unknown_datepart
from advisor.frontend.lenient_reads import STRINGS
from advisor.frontend.repairs import matching_parenthesis
from advisor.frontend.wrong_tree import WrongTree, spanning

# How many arguments SQL Server's functions of dates, conversions, text and totals take, the ones
# sqladvise's rules read, and those that take none (GETDATE(), NEWID()): at least and at most (None:
# no most).
ARGUMENTS: dict[str, tuple[int, int | None]] = {
    "YEAR": (1, 1), "MONTH": (1, 1), "DAY": (1, 1), "DATEPART": (2, 2), "DATENAME": (2, 2), "DATETRUNC": (2, 2),
    "DATEADD": (3, 3), "DATEDIFF": (3, 3), "DATEDIFF_BIG": (3, 3), "DATE_BUCKET": (3, 4), "EOMONTH": (1, 2),
    "DATEFROMPARTS": (3, 3), "CONVERT": (2, 3), "TRY_CONVERT": (2, 3), "ISNULL": (2, 2), "NULLIF": (2, 2),
    "IIF": (3, 3), "CHARINDEX": (2, 3), "REPLACE": (3, 3), "SUBSTRING": (3, 3), "LEFT": (2, 2), "RIGHT": (2, 2),
    "LEN": (1, 1), "ROUND": (2, 3), "CONCAT": (2, 254), "CONCAT_WS": (3, 254), "STRING_AGG": (2, 2), "CHOOSE": (2, None),
    "TRIM": (1, 1), "LTRIM": (1, 2), "RTRIM": (1, 2), "UPPER": (1, 1), "LOWER": (1, 1), "PATINDEX": (2, 2),
    "NTILE": (1, 1),
    "COUNT": (1, 1), "COUNT_BIG": (1, 1), "SUM": (1, 1), "AVG": (1, 1), "MIN": (1, 1), "MAX": (1, 1),
    "GETDATE": (0, 0), "GETUTCDATE": (0, 0), "SYSDATETIME": (0, 0), "SYSUTCDATETIME": (0, 0), "SYSDATETIMEOFFSET": (0, 0),
    "NEWID": (0, 0),
}

# The functions whose first argument is a datepart
_DATEPARTED = frozenset({"DATEADD", "DATEDIFF", "DATEDIFF_BIG", "DATEPART", "DATENAME", "DATETRUNC", "DATE_BUCKET"})


def check_call(tokens: list[Token], at: int) -> None:
    """A call of one of ARGUMENTS' functions, whose name is at `at` and its ( after it."""
    if at and tokens[at - 1].token_type == TokenType.DOT:  # dbo.LEFT(...) is the district's own
        return
    _check_arguments(tokens, at)
    if tokens[at].text.upper() in _DATEPARTED:
        _check_datepart(tokens, at)


def _check_arguments(tokens: list[Token], at: int) -> None:
    """SQL Server's error for a call of one of its functions with too few or too many arguments."""
    closing = matching_parenthesis(tokens, at + 1)
    if closing is None:
        return
    given = 0 if closing == at + 2 else 1 + depth0_commas(tokens, at + 2, closing)
    fewest, most = ARGUMENTS[tokens[at].text.upper()]
    if given < fewest or most is not None and given > most:
        takes = (f"at least {fewest}" if most is None else f"{fewest}" if fewest == most else f"{fewest} or {most}"
                 if most == fewest + 1 else f"{fewest} to {most}")
        raise WrongTree(f"{tokens[at].text} takes {takes} argument{'' if most == 1 else 's'}, not {given}: SQL Server rejects it",
                         (tokens[at].start, tokens[closing].end + 1))


def _check_datepart(tokens: list[Token], at: int) -> None:
    """The datepart DATEADD, DATEDIFF and the like take first: one of SQL Server's, written as a
    word. sqlglot reads other databases' (days, years) as if they were, and a string or a variable
    as the datepart it holds; SQL Server rejects all of them."""
    if at + 3 >= len(tokens):
        return
    part = tokens[at + 2]
    if part.token_type in STRINGS or part.token_type == TokenType.PARAMETER:
        named = tokens[at + 3] if part.token_type == TokenType.PARAMETER else part
        raise WrongTree(f"{tokens[at].text} takes its datepart as a word written in the query, {tokens[at].text}(day, "
                        "...): SQL Server rejects a string or a variable there", spanning(part, named))
    why = unknown_datepart(part.text) if tokens[at + 3].token_type == TokenType.COMMA else None
    if why is not None:
        raise WrongTree(why, spanning(part))


def depth0_commas(tokens: list[Token], start: int, end: int) -> int:
    """The commas from start to end outside any parenthesis opened there: a list's items, less one."""
    return sum(1 for depth, token in depths(tokens, start, end) if depth == 0 and token.token_type == TokenType.COMMA)


def depths(tokens: list[Token], start: int, end: int) -> Iterator[tuple[int, Token]]:
    """Each token from start to end with how deep in parentheses it is, counted from start."""
    depth = 0
    for token in tokens[start:end]:
        if token.token_type == TokenType.R_PAREN:
            depth -= 1
        yield depth, token
        if token.token_type == TokenType.L_PAREN:
            depth += 1

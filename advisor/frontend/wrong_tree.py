"""The error for a statement sqlglot read, but not as SQL Server does."""

from __future__ import annotations

from sqlglot.errors import ParseError
from sqlglot.tokens import Token


class WrongTree(ParseError):
    """sqlglot returned a tree, but not the right one: most often for a statement SQL Server
    rejects (`rejected`), else for one sqladvise cannot read."""

    def __init__(self, message: str, where: tuple[int, int] | None, rejected: bool = True):
        super().__init__(message)
        self.where = where
        self.rejected = rejected


def spanning(first: Token, last: Token | None = None) -> tuple[int, int]:
    """Where in the text a token stands, or the tokens from first to last: a WrongTree's `where`."""
    return first.start, (last or first).end + 1

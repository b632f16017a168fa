"""The error for a statement sqlglot read, but not as SQL Server does."""

from __future__ import annotations

from sqlglot.errors import ParseError


class WrongTree(ParseError):
    """sqlglot returned a tree, but not the right one: most often for a statement SQL Server
    rejects (`rejected`), else for one sqladvise cannot read."""

    def __init__(self, message: str, where: tuple[int, int] | None, rejected: bool = True):
        super().__init__(message)
        self.where = where
        self.rejected = rejected

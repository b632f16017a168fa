"""sqlglot's T-SQL dialect, adjusted to how sqladvise feeds it: a whole batch is tokenized once,
then each statement's tokens are parsed alone."""

from __future__ import annotations

import logging

from sqlglot.dialects.tsql import TSQL
from sqlglot.tokens import Token

# sqlglot logs a warning for every statement it falls back on; sqladvise reports those itself.
_log = logging.getLogger("sqlglot")
_log.addHandler(logging.NullHandler())
_log.propagate = False

DIALECT = TSQL()


class _Tokenizer(TSQL.Tokenizer):
    # sqlglot reads everything after PRINT, GO or END up to the next semicolon as one string;
    # in scripts without semicolons that would swallow the statements that follow.
    COMMANDS: set = set()


class Parser(TSQL.Parser):
    """Remembers the token a parse error points at, so the error can be placed in the file."""

    error_token: Token | None = None

    def raise_error(self, message, token=None):
        self.error_token = token or self._curr or self._prev
        super().raise_error(message, token)


def tokenize(sql: str) -> list[Token]:
    return _Tokenizer(dialect=DIALECT).tokenize(sql)


def new_parser() -> Parser:
    return Parser(dialect=DIALECT)

"""sqlglot's T-SQL dialect, adjusted to how sqladvise feeds it: a whole batch is tokenized once,
then each statement's tokens are parsed alone."""

from __future__ import annotations

import logging

from sqlglot.dialects.tsql import TSQL
from sqlglot.parser import Parser
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


def tokenize(sql: str) -> list[Token]:
    return _Tokenizer(dialect=DIALECT).tokenize(sql)


def new_parser() -> Parser:
    # sqlglot's own parser, not a subclass: the compiled build of sqlglot (sqlglot[c]) refuses
    # Python subclasses of its parsers.
    return DIALECT.parser()


def error_token(parser: Parser) -> Token | None:
    """The token a parse error points at: where the parser stood when it gave up."""
    return parser._curr or parser._prev

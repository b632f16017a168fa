"""A piece of the author's SQL, quoted in a message the way they wrote it."""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.written import as_written

_LONGEST = 70


def shown(node: exp.Expression) -> str:
    """The expression as T-SQL, without sqlglot's own conversions, cut to a message's length."""
    text = as_written(node)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 3] + "..."

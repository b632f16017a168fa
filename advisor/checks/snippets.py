"""A piece of the author's SQL, quoted in a message the way they wrote it."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.written import as_written
from advisor.frontend.executed import as_run

_LONGEST = 70
_SPACES = re.compile(r"\s+")


def quoted(text: str) -> str:
    """Text as a T-SQL string literal: in quotes, each quote in it doubled (O'Brien as 'O''Brien')."""
    return "'" + text.replace("'", "''") + "'"


def given(variable: exp.Parameter, text: str) -> str:
    """A fix's words for the text a variable should hold instead: "give @tag '%[[]Honors]%'"."""
    return f"give @{variable.name} {quoted(text)}"


def what_variables_hold(values: list[exp.Expression], constants: dict[str, exp.Expression]) -> str:
    """What the variables among the values hold where each holds one constant (query.constants),
    as "@start holds '2026-08-20', @end holds '2026-06-30'"; '' where none does."""
    return ", ".join(dict.fromkeys(f"@{value.name} holds {as_written(constants[value.name.lower()])}" for value in values
                                   if isinstance(value, exp.Parameter) and value.name.lower() in constants))


def aside(text: str) -> str:
    """Text put in parentheses after what it explains, " (@start holds ...)"; nothing for no text."""
    return f" ({text})" if text else ""


def as_in_file(query: Query, node: exp.Expression, cut: bool = True) -> str:
    """A node of the author's own text as they wrote it (sqlglot would write DATEPART(dw, d) back as
    DATEPART(WEEKDAY, d), DATENAME(month, d) as FORMAT(...)), spaces run together, cut to a message's
    length unless it is a piece of SQL a fix writes (`cut` False); as sqlglot writes it back where
    it has no place in the file (a view's definition) or holds a comment."""
    whole = _cut if cut else str
    if not _placed(query, node):
        return whole(as_written(node))
    span = query.span_of(node)
    text = as_run(query.lines.text[span.start:span.end], query.statement.enclosing)  # in an EXEC's string, '' is '
    if span == query.statement.span or "--" in text or "/*" in text:
        return whole(as_written(node))
    return whole(_SPACES.sub(" ", text).strip())


def with_parts_replaced(query: Query, node: exp.Expression, parts: list[tuple[exp.Expression, str]]) -> str | None:
    """A node of the author's own text with some of its parts written anew (the numbers of
    e.grade IN (3, 4) in quotes), spaces run together; None where the node or a part has no place
    of its own in the file, or the text holds a comment."""
    if not _placed(query, node):
        return None
    whole = query.span_of(node)
    pieces, at = [], whole.start
    for part, written in sorted(parts, key=lambda item: query.span_of(item[0]).start):
        span = query.span_of(part)
        if whole == query.statement.span or span == query.statement.span or not at <= span.start <= span.end <= whole.end:
            return None
        pieces += [query.lines.text[at:span.start], written]
        at = span.end
    text = as_run("".join([*pieces, query.lines.text[at:whole.end]]), query.statement.enclosing)
    return None if "--" in text or "/*" in text else _SPACES.sub(" ", text).strip()


def from_clause(query: Query, select: exp.Select) -> str:
    """A SELECT's FROM and its joins, what a fix moves into another query: as the author wrote
    them (their aliases, their line breaks run together), or as sqlglot writes them back where
    they have no place in the file or hold a comment."""
    parts = [select.args["from_"], *(select.args.get("joins") or [])]
    if _placed(query, select):
        first, last = query.span_of(parts[0]), query.span_of(parts[-1])
        text = as_run(query.lines.text[first.start:last.end], query.statement.enclosing)
        if (query.statement.span not in (first, last) and first.start < last.end
                and "--" not in text and "/*" not in text):
            return "FROM " + _SPACES.sub(" ", text).strip()
    return " ".join(as_written(part) for part in parts)


def _placed(query: Query, node: exp.Expression) -> bool:
    """Whether the node has a place of its own in the file: part of the statement's tree, and not
    across the join of two strings an EXEC runs as one (N'... YEAR(a.date) ' + N'= 2026 ...')."""
    if not _within(node, query.statement.tree):
        return False
    span = query.span_of(node)
    return not any(span.start < end and start < span.end for start, end in query.statement.joins)


def _within(node: exp.Expression, tree: exp.Expression | None) -> bool:
    """Whether the node is part of the statement's tree (an IF's condition is kept without its IF)."""
    while node is not None and node is not tree:
        node = node.parent
    return node is not None


def _cut(text: str) -> str:
    return text if len(text) <= _LONGEST else text[: _LONGEST - 3] + "..."


def free_alias(taken: set[str], first: str) -> str:
    """`first`, or first2, first3...: an alias none of the `taken` ones (lower case) is."""
    return next(candidate for candidate in (first, *(f"{first}{n}" for n in range(2, len(taken) + 3)))
                if candidate not in taken)

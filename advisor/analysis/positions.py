"""Where things are in the text: sqlglot keeps positions on identifiers, literals and function
names only, so the rest is found from those or from the text itself."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.span import LineIndex, Span


def node_bounds(node: exp.Expression) -> tuple[int, int] | None:
    """The offsets a node covers in the text it was parsed from, from the positions sqlglot
    keeps on its identifiers, literals and function names."""
    meta = node._meta
    if meta and "start" in meta and isinstance(node, (exp.Identifier, exp.Literal)):
        return meta["start"], meta["end"] + 1  # a leaf: nothing below it to look at
    start = end = None
    for child in node.walk():
        meta = child._meta
        if meta and "start" in meta:
            if start is None or meta["start"] < start:
                start = meta["start"]
            if end is None or meta["end"] > end:
                end = meta["end"]
    if start is None:
        return None
    return start, end + 1


def call_bounds(node: exp.Expression, text: str) -> tuple[int, int] | None:
    """A node's bounds (`node_bounds`), a function call's widened to its whole text: sqlglot keeps
    no position on a closing parenthesis, nor on CAST, CONVERT and DATEPART's own names, so the
    positions inside YEAR(a.date) stop at `date` and those inside CONVERT(date, a.date) start there."""
    bounds = node_bounds(node)
    if bounds is None or not isinstance(node, exp.Func) or isinstance(node, _NOT_CALLS):
        return bounds
    start, end = bounds
    if not _CALL_START.match(text, start):  # the name is before the first position: find its parenthesis
        opening = _unclosed(text, start)
        name = _NAME_BEFORE.search(text, 0, opening) if opening is not None else None
        if name is None:
            return bounds
        start = name.start()
    closing = _closing(text, start, end)
    return (start, closing) if closing is not None else bounds


# Functions to sqlglot, written without a call's parentheses: a = b, a AND b, NOT a, CASE ... END
_NOT_CALLS = (exp.Binary, exp.Connector, exp.Unary, exp.Predicate, exp.Case)
_CALL_START = re.compile(r"[\w@#$]+\s*\(")
_NAME_BEFORE = re.compile(r"[\w$]+\s*$")
_QUOTED = {"'": "'", "[": "]", '"': '"'}
_REACH = 4000  # a call longer than this keeps the bounds its names give


def _unclosed(text: str, before: int) -> int | None:
    """The offset of the parenthesis left open before `before`: CONVERT(date, | a.date)."""
    depth = 0
    for at in range(before - 1, max(before - _REACH, 0) - 1, -1):
        if text[at] == ")":
            depth += 1
        elif text[at] == "(":
            if depth == 0:
                return at
            depth -= 1
        elif text[at] in "'\"]":
            return None  # a quoted text or name between: not worth reading backwards
    return None


def _closing(text: str, start: int, end: int) -> int | None:
    """Where the call that starts at `start` ends, just after its closing parenthesis; quoted texts
    and names are passed over whole. None when no parenthesis opens it, or it does not close soon."""
    depth, at, opened = 0, start, False
    while at < min(len(text), max(end, start + _REACH)):
        character = text[at]
        if character in _QUOTED:
            after = text.find(_QUOTED[character], at + 1)
            if after < 0:
                return None
            at = after
        elif character == "(":
            depth, opened = depth + 1, True
        elif character == ")":
            depth -= 1
            if depth == 0 and opened:
                return at + 1 if at + 1 >= end else None
        at += 1
    return None


def find_words(lines: LineIndex, words: str, start: int, end: int, last: bool = False) -> Span | None:
    """The span of `words` (any spacing, any case) in the text between two offsets."""
    pattern = re.compile(r"\b" + r"\s+".join(re.escape(part) for part in words.split()) + r"\b", re.IGNORECASE)
    matches = pattern.finditer(lines.text, start, end)
    match = None
    for match in matches:
        if not last:
            break
    return lines.span(match.start(), match.end()) if match else None

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


def find_words(lines: LineIndex, words: str, start: int, end: int, last: bool = False) -> Span | None:
    """The span of `words` (any spacing, any case) in the text between two offsets."""
    pattern = re.compile(r"\b" + r"\s+".join(re.escape(part) for part in words.split()) + r"\b", re.IGNORECASE)
    matches = pattern.finditer(lines.text, start, end)
    match = None
    for match in matches:
        if not last:
            break
    return lines.span(match.start(), match.end()) if match else None

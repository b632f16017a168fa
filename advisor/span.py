"""Positions in a source text: character offsets, and the 1-based lines and columns users see."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A stretch of the original text; `end` is exclusive. Lines and columns are 1-based."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class LineIndex:
    """Turns character offsets into line and column numbers for one text."""

    def __init__(self, text: str):
        self.text = text
        self._starts = [0]
        find = text.find
        at = find("\n")
        while at != -1:
            self._starts.append(at + 1)
            at = find("\n", at + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of text[start:end]; its end column is that of its last character."""
        end = max(end, start)
        line, column = self.position(start)
        end_line, end_column = self.position(max(end - 1, start))
        return Span(start, end, line, column, end_line, end_column)

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column."""
        return self._starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self._starts)

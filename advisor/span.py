"""Positions in a source text: character offsets, and the 1-based lines and columns users see."""

from __future__ import annotations

import bisect
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


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

    @cached_property
    def upper(self) -> str:
        """The text with its ASCII letters in capitals and each character where it was (str.upper()
        makes SS of ß), for finding words in any case: str.find is many times faster than a regex
        that ignores case, which tries each position in turn."""
        text = self.text
        return text.upper() if text.isascii() else text.translate(_ASCII_UPPER)

    def holds(self, words: Iterable[str], start: int, end: int) -> bool:
        """Whether text[start:end] holds one of these words (given in capitals), in any case."""
        upper = self.upper
        return any(upper.find(word, start, end) != -1 for word in words)

    @property
    def line_count(self) -> int:
        return len(self._starts)

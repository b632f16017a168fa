"""A district's saved filters and extracts, as the batch review reads them.

Campus's own export format is not public, so sqladvise reads what a district can produce: a
folder of .sql files, pass-throughs saved with box markers, and CSV or JSON Lines dumps of the
filter tables (read.py; the formats are documented with examples in sample_queries/filters/).
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.filters.passthrough import Boxes
from advisor.filters.wizard import Wizard

KINDS = ("sql", "passthrough", "wizard")


@dataclass(frozen=True)
class Filter:
    """A saved Campus filter read from an export."""

    name: str
    kind: str  # one of KINDS
    origin: str  # where it was read: a file, or a file and its row
    owner: str | None = None
    modified: str | None = None
    sql: str | None = None  # kind sql
    boxes: Boxes | None = None  # kind passthrough
    wizard: Wizard | None = None  # kind wizard


@dataclass(frozen=True)
class BadFilter:
    """An input row or file that could not be read as a filter; the rest of the batch runs."""

    origin: str
    name: str | None
    reason: str
    owner: str | None = None  # when the row names one: the author should hear of it too

"""Severity follows size: how many rows make reading a table whole a problem."""

from __future__ import annotations

from advisor.analysis import model as m
from advisor.analysis.lineage import base_tables

# Reading this many rows for nothing starts to show in a filter's run time.
LARGE_ROWS = 100_000
# Reading this many rows is what pushes an ad hoc filter towards the 10-minute timeout.
HUGE_ROWS = 5_000_000


def severity_for_rows(rows: int) -> str:
    if rows >= HUGE_ROWS:
        return "error"
    if rows >= LARGE_ROWS:
        return "warning"
    return "info"


def relation_rows(relation: m.Relation) -> int | None:
    """The rows of the largest catalog table a relation reads, or None when unknown."""
    if relation.table is not None:
        return relation.table.rows
    tables = base_tables(relation)
    return max((r.table.rows for r in tables), default=None)


def rows_text(rows: int) -> str:
    if rows >= 1_000_000:
        return f"{rows / 1_000_000:.1f}M"
    if rows >= 10_000:
        return f"{rows // 1000}k"
    return f"{rows:,}"


def names(items: list[str], limit: int = 6) -> str:
    """'A, B and C', or 'A, B, C and 4 more'."""
    unique = list(dict.fromkeys(items))
    if len(unique) > limit:
        return ", ".join(unique[:limit]) + f" and {len(unique) - limit} more"
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]

"""Severity follows size: how many rows make reading a table whole a problem."""

from __future__ import annotations

from advisor.analysis import model as m
from advisor.analysis.lineage import base_tables
from advisor.catalog.model import Catalog

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


def key_values(catalog: Catalog, column: str) -> int | None:
    """How many values a column named like a table's one-column key holds (personID: Person's
    rows, Catalog.key_tables); None for any other column."""
    table = catalog.key_tables().get(column.lower())
    return table.rows if table is not None else None


def relation_rows(relation: m.Relation) -> int | None:
    """The rows of the largest catalog table a relation reads, or None when unknown."""
    if relation.table is not None:
        return relation.table.rows
    tables = base_tables(relation)
    return max((r.table.rows for r in tables), default=None)

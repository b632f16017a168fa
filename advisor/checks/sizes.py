"""Severity follows size: how many rows make reading a table whole a problem."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis import model as m
from advisor.analysis.lineage import base_tables
from advisor.catalog.model import Catalog, Table
from advisor.words import count

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
    largest = largest_read([relation])
    return largest.table.rows if largest is not None else None


@dataclass(frozen=True)
class Largest:
    """Of a block's relations, the one that reads the largest catalog table, and that table."""

    relation: m.Relation
    table: Table

    @property
    def words(self) -> str:
        """The table and its rows, and the derived table, CTE or view it is read through, if any."""
        through = "" if self.relation.table is self.table else f", through {self.relation.name}"
        return f"{self.table.name} ({count(self.table.rows)} rows{through})"


def largest_read(relations: list[m.Relation]) -> Largest | None:
    """The relation that reads the largest catalog table, with the table; None where the catalog
    knows none of what they read (temp tables)."""
    found = None
    for relation in relations:
        tables = [relation.table] if relation.table is not None else [r.table for r in base_tables(relation)]
        for table in tables:
            if found is None or table.rows > found.table.rows:
                found = Largest(relation, table)
    return found

"""How much room rows take on disk: SQL Server's 8 KB pages, estimated from column types when a
catalog does not give page counts. A cost model reads pages, not rows."""

from __future__ import annotations

import math
from functools import lru_cache

from advisor.catalog.model import Column, Index, Table, type_parts

PAGE_BYTES = 8096  # a page's room for rows
_ROW_OVERHEAD = 7  # row header, null bitmap, column count
_SLOT = 2  # each row's entry in the page's slot array
_VARIABLE_OFFSET = 2
_FIXED = {
    "bit": 0.125, "tinyint": 1, "smallint": 2, "int": 4, "integer": 4, "bigint": 8, "date": 3,
    "smalldatetime": 4, "datetime": 8, "datetime2": 8, "datetimeoffset": 10, "time": 5,
    "smallmoney": 4, "money": 8, "real": 4, "float": 8, "uniqueidentifier": 16, "timestamp": 8,
    "rowversion": 8, "text": 16, "ntext": 16, "image": 16, "xml": 64, "sql_variant": 32,
}
# Variable-length text is rarely full: assume this share of the declared length is used.
_FILL = 0.5
_MAX_TEXT = 200


def column_bytes(column: Column) -> float:
    return _type_bytes(column.type)


@lru_cache(maxsize=1024)  # a catalog has few distinct types, and the planner asks about them often
def _type_bytes(declared_type: str) -> float:
    parts = type_parts(declared_type)
    if parts is None:
        return 8
    name, length, _ = parts
    if name in _FIXED:
        return _FIXED[name]
    if name in ("decimal", "numeric"):
        precision = int(length) if length and length.isdigit() else 18
        return 5 if precision <= 9 else 9 if precision <= 19 else 13 if precision <= 28 else 17
    declared = _MAX_TEXT if length is None or not length.isdigit() else int(length)
    wide = 2 if name.startswith("n") else 1
    if name in ("char", "nchar", "binary"):
        return declared * wide
    return max(1.0, declared * _FILL) * wide + _VARIABLE_OFFSET


def rows_per_page(columns: list[Column] | tuple[Column, ...]) -> int:
    width = _ROW_OVERHEAD + sum(column_bytes(column) for column in columns) + _SLOT
    return max(1, int(PAGE_BYTES // max(width, 9)))


def table_pages(table: Table) -> int:
    """The table's (clustered index's or heap's) leaf pages."""
    if table.pages is not None:
        return max(table.pages, 1)
    return max(1, math.ceil(table.rows / rows_per_page(table.columns or (Column("row", "int"),))))


def index_pages(table: Table, index: Index) -> int:
    """A nonclustered index's leaf pages: its keys, its included columns and the row locator."""
    if index.clustered:
        return table_pages(table)
    names = table.held(index)
    columns = [column for column in table.columns if column.name.lower() in names] or [Column("key", "int")]
    return max(1, math.ceil(table.rows / rows_per_page(columns)))


def covers(table: Table, index: Index, needed: set[str] | None) -> bool:
    """Whether the index holds every column a query reads from the table (no lookups); `needed`
    is None when the query reads them all (SELECT *)."""
    return index.clustered or (needed is not None and needed <= table.held(index))

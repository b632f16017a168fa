"""SQL Server's cost arithmetic, in its own units, so that estimates here and in a real plan
speak the same language.

The scan, seek and lookup figures are SQL Server's published constants. The join, sort and
aggregate figures are the medians of what the optimizer wrote in the real showplans under
../shared/plans (bench/operator_costs.py derives them).
"""

from __future__ import annotations

import math

FIRST_PAGE_IO = 0.003125  # a random read: the first page of a scan, or one lookup
NEXT_PAGE_IO = 1 / 1350  # each further page read in order (0.00074074)
FIRST_ROW_CPU = 0.0001581
NEXT_ROW_CPU = 0.0000011
NESTED_LOOPS_ROW_CPU = 0.00000418  # per row a nested loops join produces
HASH_BASE_CPU = 0.0177  # a hash table's set-up: the smallest hash joins in the plans cost this
HASH_ROW_CPU = 0.0000077  # per build or probe row of a hash join
HASH_AGGREGATE_ROW_CPU = 0.0000071  # per input row
STREAM_AGGREGATE_ROW_CPU = 0.0000006  # per input row: COUNT(*) and the like without GROUP BY
SORT_BASE_CPU = 0.0001
SORT_ROW_CPU = 0.00000156  # per n log2 n
TOP_N_IN_MEMORY = 100  # the most rows a Top N Sort keeps in memory rather than sorting all it reads


def io(pages: float) -> float:
    """Reading `pages` pages in order, starting with a random read."""
    return FIRST_PAGE_IO + NEXT_PAGE_IO * max(pages - 1, 0) if pages > 0 else 0.0


def cpu(rows: float) -> float:
    """Handling `rows` rows in a scan or seek."""
    return FIRST_ROW_CPU + NEXT_ROW_CPU * max(rows - 1, 0)


def scan(rows: float, pages: float) -> float:
    """A scan, or a seek: SQL Server costs a seek as a scan of the range it reads."""
    return io(max(pages, 1)) + cpu(rows)


def lookups(rows: float, table_pages: float) -> float:
    """Key lookups into the clustered index for `rows` rows."""
    return lookup_io(rows, table_pages) + cpu(rows)


def lookup_io(rows: float, table_pages: float) -> float:
    """The reads of `rows` key lookups: a random read each, though never more random reads than
    the table has pages."""
    return FIRST_PAGE_IO * min(rows, table_pages)


def nested_loops(output_rows: float) -> float:
    return NESTED_LOOPS_ROW_CPU * output_rows


def hash_join(build_rows: float, probe_rows: float, output_rows: float) -> float:
    """Build and probe; each joined row costs what a nested loops join charges for one, so that
    a join that multiplies rows costs what it produces."""
    return HASH_BASE_CPU + HASH_ROW_CPU * (build_rows + probe_rows) + NESTED_LOOPS_ROW_CPU * output_rows


def hash_aggregate(rows: float) -> float:
    return HASH_BASE_CPU + HASH_AGGREGATE_ROW_CPU * rows


def stream_aggregate(rows: float) -> float:
    return FIRST_ROW_CPU + STREAM_AGGREGATE_ROW_CPU * rows


def top_n_kept(rows: float, top: float | None) -> float | None:
    """The rows TOP n ... ORDER BY keeps in memory as it reads, comparing each row read with them
    (SQL Server's Top N Sort): n, up to TOP_N_IN_MEMORY and fewer than it reads; None where every
    row is sorted."""
    return top if top is not None and top <= TOP_N_IN_MEMORY and top < rows else None


def sort(rows: float, kept: float | None = None) -> float:
    """Sorting `rows`, or keeping the first `kept` of them (top_n_kept)."""
    return SORT_BASE_CPU + SORT_ROW_CPU * rows * math.log2(max(rows if kept is None else kept, 2))


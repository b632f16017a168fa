"""Window functions: an aggregate over an ordered window with no frame written, which SQL Server
computes over its default RANGE frame in a worktable on disk."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.resolve import own_nodes
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import LARGE_ROWS, largest_read
from advisor.checks.snippets import as_in_file

# Functions that take a frame besides the aggregates: the first and last value of the frame.
_FRAMED = (exp.AggFunc, exp.FirstValue, exp.LastValue)
# Ranking and offset functions take no frame.
_UNFRAMED = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.Lag, exp.Lead, exp.PercentRank, exp.CumeDist)


@statement_rule("SH019")
def window_default_frame(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.windowed:
            continue  # most blocks have no window at all: no walk
        windows = [node for p in block.projections for node in own_nodes(p.node) if isinstance(node, exp.Window)]
        for window in windows:
            function = window.this
            if (not isinstance(function, _FRAMED) or isinstance(function, _UNFRAMED) or window.args.get("spec")
                    or not window.args.get("order")):
                continue
            largest = largest_read(block.relations)
            rows = largest.table.rows if largest is not None else 0
            last = isinstance(function, exp.LastValue)
            yield Hit(
                query.span_of(window),
                f"{as_in_file(query, function)} OVER (... ORDER BY ...) has no frame, so SQL Server uses the default RANGE "
                "UNBOUNDED PRECEDING, which it computes in a worktable on disk rather than in memory"
                + (f", in a query over {largest.words}" if rows >= LARGE_ROWS else "")
                + (", and LAST_VALUE then returns the current row's value, not the partition's last." if last else "."),
                "Write the frame: ROWS UNBOUNDED PRECEDING (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING "
                "for the partition's last value). It gives the same result when the ORDER BY tells the rows of a "
                "partition apart; with ties, RANGE takes tied rows together, so end the ORDER BY with a key.",
                severity="warning" if last or rows >= LARGE_ROWS else "info",
            )

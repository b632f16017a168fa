"""Work per row that SQL Server's cost model leaves out or underprices: scalar functions called
for every row, FORMAT(), correlated subqueries, functions that hide a column from its index,
rows that multiply, views stacked deep. Each adds seconds and uncertainty to the estimate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.calls import format_calls, function_calls
from advisor.analysis.lineage import view_chain
from advisor.risk.plan import Estimate
from advisor.words import count, row_count

# Seconds each call costs beyond what the plan's cost shows (SQL Server prices both as nearly free).
SCALAR_FUNCTION_SECONDS = 0.00003  # a T-SQL scalar function runs its body for every row
FORMAT_SECONDS = 0.000015  # FORMAT() goes through .NET for every value
CORRELATED_SECONDS = 0.000005
COMPILE_SECONDS_PER_VIEW_LEVEL = 0.02  # compiling each level past two; the bench plans them in milliseconds
# Decades of uncertainty each kind of hidden work adds.
SIGMA = {"function": 0.15, "format": 0.05, "correlated": 0.15, "non-sargable": 0.1, "explosion": 0.15, "views": 0.1}
_DEEP_VIEWS = 3
_EXPLOSION = 5  # a result this many times larger than its largest input has multiplied rows


@dataclass(frozen=True)
class Allowance:
    """Time for per-row work the cost leaves out, and what it is in words."""

    kind: str
    seconds: float
    words: str


def allowances(query: m.Query, estimate: Estimate) -> list[Allowance]:
    rows = estimate.rows
    found: list[Allowance] = []
    user = [block for block in query.blocks if block.in_user_text]
    functions = [call for block in user for call in function_calls((p.node for p in block.projections), block)]
    if functions:
        name = functions[0].parent.sql("tsql").split("(")[0]
        found.append(Allowance("function", len(functions) * rows * SCALAR_FUNCTION_SECONDS,
                               f"calls {name} for each of {row_count(rows)}"))
    formats = [call for block in user for call in format_calls(query, block)]
    if formats and rows >= 10_000:
        found.append(Allowance("format", len(formats) * rows * FORMAT_SECONDS, f"FORMAT() on {row_count(rows)}"))
    correlated = [(block, s) for block in user for s in block.subqueries if s.correlated and s.clause == "select"]
    if correlated:
        listed = "an UPDATE's SET" if isinstance(correlated[0][0].node, exp.Update) else "the SELECT list"
        found.append(Allowance("correlated", sum(s.runs for _, s in correlated) * rows * CORRELATED_SECONDS,
                               f"a correlated subquery in {listed} for each of {row_count(rows)}"))
    hidden = [f for node in (query.graph.all_nodes() if query.graph else []) for f in node.filters
              if not f.sargable and node.table is not None and node.table.rows >= 100_000]
    if hidden:
        found.append(Allowance("non-sargable", 0.0, "a function on a filtered column of a large table"))
    largest = max((n.table.rows for n in estimate.nodes if n.table is not None), default=0)
    if largest and rows > _EXPLOSION * largest:
        found.append(Allowance("explosion", 0.0, f"joins multiply rows: {count(rows)} from tables of at most {count(largest)}"))
    depth = max((len(view_chain(r)) for block in user for r in block.relations if r.kind == m.VIEW), default=0)
    if depth >= _DEEP_VIEWS:
        found.append(Allowance("views", (depth - 2) * COMPILE_SECONDS_PER_VIEW_LEVEL, f"views nested {depth} deep"))
    return found

"""Work done row by row: scalar user functions, multi-statement table functions, FORMAT(), and
cursors and WHILE loops."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.calls import format_calls, function_calls
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import FileContext, Hit, file_rule, statement_rule
from advisor.checks.sizes import HUGE_ROWS, LARGE_ROWS, largest_read, severity_for_rows


@statement_rule("SH002")
def scalar_function(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        nodes = [p.node for p in block.projections] + [p.node for p in block.predicates if p.clause == "where"]
        for call in function_calls(nodes, block):
            known = catalog.function(call.name)
            if known is not None and known.kind != "scalar":
                continue
            largest = largest_read(block.relations)
            rows = largest.table.rows if largest is not None else 0
            name = call.parent.sql("tsql").split("(")[0]
            yield Hit(
                query.span_of(call.parent),
                f"{name}() is a scalar user function: it runs its body once for every row it is called on"
                f"{f', in a query over {largest.words}' if largest else ''}, and before SQL Server 2019 "
                "inlines it, it also forces the whole query to run on one processor.",
                f"Write what {name} computes into the query itself (a CASE, a join, an OUTER APPLY), or turn it into "
                "an inline table-valued function read with CROSS APPLY.",
                (name,),
                severity_for_rows(rows) if rows >= LARGE_ROWS else "info",
            )


@file_rule("SH010")
def multi_statement_function(context: FileContext) -> Iterator[Hit]:
    defined = _defined_functions(context.script)
    for query in context.queries:
        for relation in (r for block in query.user_blocks for r in block.relations):
            if relation.kind != m.FUNCTION:
                continue
            known = context.catalog.function(relation.name)
            kind = known.kind if known is not None else defined.get(relation.name.lower())
            if kind != "multi_statement":
                continue
            yield Hit(
                relation.span,
                f"{relation.name} is a multi-statement table-valued function: SQL Server plans the query as if it "
                "returned a fixed 100 rows (1 before SQL Server 2014) whatever it really returns, and fills its "
                "result table row by row before the query can use it.",
                f"Rewrite {relation.name} as an inline table-valued function (RETURNS TABLE AS RETURN SELECT ...), "
                "which SQL Server expands into the query like a view, or put its rows in a temp table first.",
                (relation.name,),
            )


def _text(context: FileContext, statement) -> str:
    return context.script.text[statement.span.start:statement.span.end]


_CREATE_FUNCTION = re.compile(
    r"\bCREATE\s+(?:OR\s+ALTER\s+)?FUNCTION\s+(?:\[?\w+\]?\.)?\[?(\w+)\]?.*?\bRETURNS\s+(@\w+\s+)?(TABLE\b)?",
    re.IGNORECASE | re.DOTALL)


def _defined_functions(script) -> dict[str, str]:
    """Functions the file creates itself, by lower-case name: their kind, from what they return."""
    found = {}
    for match in _CREATE_FUNCTION.finditer(script.text):
        kind = "multi_statement" if match.group(2) and match.group(3) else "inline" if match.group(3) else "scalar"
        found[match.group(1).lower()] = kind
    return found


@statement_rule("SH015")
def format_function(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        largest = largest_read(block.relations)
        if largest is None or largest.table.rows < LARGE_ROWS:
            continue
        for call in format_calls(query, block):
            yield Hit(
                query.span_of(call),
                f"FORMAT() calls into .NET for every row it formats, many times slower than CONVERT, in a query "
                f"over {largest.words}.",
                _instead(query, call),
                (largest.relation.name,),
                # The rows formatted are the rows returned, which a filter may keep to a year's.
                "warning" if largest.table.rows >= HUGE_ROWS else "info",
            )


# The date patterns of FORMAT that a CONVERT style writes the same, with Campus's us_english
# (month names, and '/' as the date separator). Each writes as many characters as its pattern has.
_CONVERT_STYLES = {
    "MM/dd/yyyy": 101, "MM/dd/yy": 1, "yyyy.MM.dd": 102, "dd/MM/yyyy": 103, "dd/MM/yy": 3, "dd.MM.yyyy": 104,
    "dd-MM-yyyy": 105, "dd MMM yyyy": 106, "MMM dd, yyyy": 107, "MM-dd-yyyy": 110, "yyyy/MM/dd": 111,
    "yyyyMMdd": 112, "yyyy-MM-dd": 23,
}


# FORMAT(value, 'pattern') or FORMAT(value, 'pattern', 'culture') as written: the pattern, the culture.
# sqlglot's tree holds its own rewriting of the pattern, the same for 'MM/dd/yyyy' and for 'd'.
_WRITTEN_PATTERN = re.compile(r",\s*N?'([^']*)'\s*(?:,\s*N?'([^']*)'\s*)?\)\s*$", re.IGNORECASE)


def _instead(query: Query, call: exp.Expression) -> str:
    """The CONVERT that writes the same text as the call, where one does; else how to find it."""
    written = query.written(call)
    pattern = _WRITTEN_PATTERN.search(written)
    style = None
    if pattern is not None and (pattern.group(2) or "en-US").lower() == "en-us":
        style = _CONVERT_STYLES.get(pattern.group(1))
    if style is None:
        return ("Use CONVERT with a style (CONVERT(varchar(10), d, 101) for mm/dd/yyyy), or format in the report "
                "rather than in SQL.")
    value = written[written.index("(") + 1 : pattern.start()].strip()
    return (f"Write CONVERT(varchar({len(pattern.group(1))}), {value}, {style}) instead of {written}: the same "
            "text without .NET. Or format it in the report rather than in SQL.")


@file_rule("SH013")
def row_by_row(context: FileContext) -> Iterator[Hit]:
    queries = {id(q.statement): q for q in context.queries}
    statements = context.script.statements
    for at, statement in enumerate(statements):
        if statement.keyword == "DECLARE CURSOR":
            yield Hit(
                statement.span,
                "A cursor handles rows one at a time: every FETCH is a round trip through the engine, and each "
                "statement in the loop runs once per row.",
                "Do the work for all rows in one statement (INSERT ... SELECT, UPDATE ... FROM ... JOIN); build a "
                "string list with STRING_AGG rather than a cursor.",
            )
        elif statement.keyword == "WHILE" and "@@FETCH_STATUS" not in _text(context, statement).upper():
            after = statements[at + 1:]
            body = after[: next((i for i, s in enumerate(after) if "WHILE" not in s.enclosing), len(after))]
            # DELETE TOP (5000) ... until none is left: a large write in batches, on purpose
            largest = largest_read([r for s in body if not s.top_rows and (q := queries.get(id(s)))
                                    for b in q.user_blocks for r in b.relations])
            if largest is None or largest.table.rows < LARGE_ROWS:
                continue
            yield Hit(
                statement.span,
                f"This loop runs its queries once per pass, reading {largest.words} each time: set-based SQL reads "
                "it once for all the passes together.",
                "Replace the loop with one statement over all the rows (join the list it walks through); keep a loop "
                "only for a handful of passes, such as batches of a large delete.",
                (largest.relation.name,),
                "info",
            )

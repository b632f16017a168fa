"""What an SSRS report does with its data sets' rows that their queries should: CL018, columns
the report never shows (Campus's "extraneous fields", in a report); SC006, rows the report server
filters out after SQL Server has read and sent them."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.sizes import LARGE_ROWS
from advisor.frontend.parse import ReportFacts
from advisor.words import names


@file_rule("CL018")
def columns_the_report_never_shows(context: FileContext) -> Iterator[Hit]:
    report = context.script.report
    for number, query in _results(context).items():
        shown = report.shown[number]
        top = next((block for block in query.blocks if block.node is query.statement.tree), None)
        if shown is None or top is None:
            continue  # not known, or a UNION's, whose columns are its first arm's
        unshown = [p for p in top.projections if p.name != "*" and p.name.lower() not in shown]
        if not unshown:
            continue
        columns = names([p.name for p in unshown], limit=8)
        them = "them" if len(unshown) > 1 else "it"
        yield Hit(
            query.span_of(unshown[0].node),
            f"Data set {report.names[number]} returns {columns}, which the report never shows or uses: SQL Server "
            f"reads {them} and sends {them} with every row for nothing.",
            f"Leave {them} out of the SELECT list, and {'their fields' if len(unshown) > 1 else 'its field'} out of the "
            "data set; or show what the report needs.",
            (report.names[number],),
        )


@file_rule("SC006")
def rows_the_report_filters(context: FileContext) -> Iterator[Hit]:
    report = context.script.report
    for number, query in _results(context).items():
        filters = report.filters[number]
        if not filters:
            continue
        tree = query.statement.tree
        where = tree.args.get("where") if isinstance(tree, exp.Select) else None
        largest = max((reach.table.rows for reach in query.reaches), default=0)
        yield Hit(
            query.span_of(where) if where is not None else query.statement.span,
            f"The report server filters the rows of data set {report.names[number]} itself ({'; '.join(filters)}): "
            "SQL Server reads and sends every row this query returns, and the report throws away those that fail.",
            "Write the condition in the query's WHERE, with a report parameter where the filter reads one (@School for "
            "Parameters!School.Value), and remove the data set's filter.",
            (report.names[number],),
            severity="warning" if largest >= LARGE_ROWS else "info",  # the rows it sends are not known here
        )


def _results(context: FileContext) -> dict[int, Query]:
    """Each report data set's rows, by its number: those of its last query that returns rows."""
    report: ReportFacts | None = context.script.report
    found: dict[int, Query] = {}
    for query in context.queries if report is not None else ():
        if query.returns_rows:
            found[report.data_set_at(query.statement.span.start)] = query
    return found

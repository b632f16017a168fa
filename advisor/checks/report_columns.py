"""CL018: columns an SSRS report's data set returns that the report never shows. SQL Server reads
them and sends them with every row for nothing: Campus's "extraneous fields", in a report."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.analysis.model import Query
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.words import names


@file_rule("CL018")
def columns_the_report_never_shows(context: FileContext) -> Iterator[Hit]:
    report = context.script.report
    if report is None:
        return
    results: dict[int, Query] = {}  # each data set's result: the rows of its last query that returns rows
    for query in context.queries:
        if query.returns_rows:
            results[report.data_set_at(query.statement.span.start)] = query
    for number, query in results.items():
        shown = report.shown[number] if number < len(report.shown) else None
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
        )

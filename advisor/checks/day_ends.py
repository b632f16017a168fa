"""A range that ends on a day, on a column that holds times: BETWEEN '2026-08-01' AND
'2026-08-31' on a datetime ends at midnight of the 31st, so the rows from later that day are
left out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import DAY_SPELLINGS, written_date
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions, known_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# Types that hold a time of day as well as the day; a date holds none, and Campus keeps days as
# smalldatetime at midnight
_WITH_TIMES = ("datetime", "datetime2", "datetimeoffset")
_KINDS = (exp.Between, exp.LTE, exp.GTE)


@statement_rule("PR013")
def day_as_range_end(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, _KINDS):
        node = compared.node
        if isinstance(node, exp.Between):
            column, end = node.this.unnest(), node.args["high"].unnest()
        else:  # a.x <= '2026-08-31', or '2026-08-31' >= a.x
            column, end = (node.this, node.expression) if isinstance(node, exp.LTE) else (node.expression, node.this)
            column, end = column.unnest(), end.unnest()
        if isinstance(node.parent, exp.Not) or not isinstance(column, exp.Column):
            continue
        day = written_date(end.this.strip(), DAY_SPELLINGS) if isinstance(end, exp.Literal) and end.is_string else None
        facts = next(iter(known_columns(column, compared.predicate)), None)
        if day is None or facts is None or not facts.column.type.lower().startswith(_WITH_TIMES):
            continue
        tested = as_in_file(query, column)
        after = f"'{day + timedelta(days=1):%Y%m%d}'"
        kept = (f"{tested} >= {as_in_file(query, node.args['low'])} AND {tested} < {after}" if isinstance(node, exp.Between)
                else f"{tested} < {after}")
        yield Hit(
            query.span_of(node),
            f"{as_in_file(query, node)} ends at midnight at the start of {day.day} {day:%B %Y}: {facts.label} is a "
            f"{facts.column.type}, which holds times, and the rows from later that day are left out.",
            f"End the range before the next day: {kept}, which keeps all of {day.day} {day:%B}.",
            (facts.table.name,),
        )

"""SH041: SUM(DISTINCT x) or AVG(DISTINCT x) totals each different value once, so rows whose values
happen to be equal count once: two 30-minute absences add 30. It is often written to undo the
copies a join makes, which it cannot tell from rows that are alike."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

_DOES = {exp.Sum: ("SUM", "adds", "two rows of 30 add 30, not 60"),
         exp.Avg: ("AVG", "averages", "rows of 30, 30 and 60 average 45, not 40")}


@statement_rule("SH041")
def distinct_totals(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for total in query.calls((exp.Sum, exp.Avg)):
        distinct = total.this
        if not isinstance(distinct, exp.Distinct) or len(distinct.expressions) != 1:
            continue
        name, does, example = _DOES[type(total)]
        value = as_in_file(query, distinct.expressions[0])
        yield Hit(
            query.span_of(total),
            f"{name}(DISTINCT {value}) {does} each different value of {value} once, however many rows have it: {example}; "
            "the DISTINCT cannot tell rows that are alike from the copies a join makes.",
            f"Write {name}({value}) so that each row counts; if a join repeats the rows, total the table before the "
            "join, in a derived table grouped by the column it is joined on, and join that.",
        )

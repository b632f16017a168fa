"""An age reported as DATEDIFF(year, birthdate, ...): DATEDIFF counts the New Year's Days between
the two dates, not whole years, so the age is a year too high from 1 January until the birthday.
In a condition PR001 says so in its fix; this is the SELECT list's."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.date_ranges import unit
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("SH021")
def age_by_year_boundaries(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for difference in query.calls(exp.DateDiff):
        born = difference.expression.unnest()
        born = born.this if isinstance(born, exp.TimeStrToTime) else born
        if unit(difference) != "YEAR" or not isinstance(born, exp.Column) or "birth" not in born.name.lower():
            continue
        if not _selected_uncorrected(difference):
            continue
        written, birth = as_in_file(query, difference), as_in_file(query, born)
        until = as_in_file(query, difference.this.this if isinstance(difference.this, exp.TimeStrToTime) else difference.this)
        yield Hit(
            query.span_of(difference),
            f"{written} counts the New Year's Days between {birth} and {until}, not whole years: from 1 January "
            "until the birthday it is a year too high (a student of 17 with a June birthday is 18 all spring).",
            f"For the age in whole years, take a year off before the birthday: {written} - CASE WHEN "
            f"DATEADD(year, {written}, {birth}) > {until} THEN 1 ELSE 0 END.",
        )


def _selected_uncorrected(difference: exp.DateDiff) -> bool:
    """Whether the DATEDIFF is part of a SELECT list's item, and not corrected there:
    DATEDIFF(year, b, d) - CASE WHEN DATEADD(year, DATEDIFF(year, b, d), b) > d THEN 1 ELSE 0 END
    takes the year off already, and the DATEDIFF inside its DATEADD is part of that."""
    node = difference
    while node.parent is not None and not isinstance(node.parent, exp.Select):
        node = node.parent
        if isinstance(node, exp.DateAdd) or (isinstance(node, exp.Sub) and node.expression.find(exp.DateAdd) is not None):
            return False
    return node.parent is not None and node.arg_key == "expressions"

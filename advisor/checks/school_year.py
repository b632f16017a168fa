"""A school year taken from today's calendar year (c.endYear = YEAR(GETDATE())): Campus numbers a
school year by the year it ends in, so from July to December that is last year's."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import NOW, date_part, unconverted
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import comparisons, known_columns, sides
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("SC004")
def school_year_from_calendar_year(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        if isinstance(compared.node, (exp.In, exp.Like)):
            continue
        for side in sides(compared.node):
            years = [k for k in known_columns(side, compared.predicate)
                     if isinstance(side, exp.Column) and k.table.scope_kind(k.column.name) == "year"]
            if not years or not any(s is not side and _this_calendar_year(s) for s in sides(compared.node)):
                continue
            column = as_in_file(query, side)
            yield Hit(
                query.span_of(compared.node),
                f"{as_in_file(query, compared.node)} takes the school year from today's calendar year, but {column} is "
                "the year a school year ends in: from July to December, today's calendar year is the year the last "
                "school year ended in, so the query reads a school year earlier than it does from January to June.",
                f"Take the school year from Campus: join SchoolYear on it and keep the active one (JOIN SchoolYear sy ON "
                f"sy.endYear = {column} AND sy.active = 1), or compare {column} with (SELECT endYear FROM SchoolYear "
                "WHERE active = 1).",
                (years[0].table.name,),
            )


def _this_calendar_year(value: exp.Expression) -> bool:
    """YEAR(GETDATE()), DATEPART(year, SYSDATETIME()), alone or give or take a number of years."""
    value = value.unnest()
    if isinstance(value, (exp.Add, exp.Sub)) and isinstance(value.expression.unnest(), exp.Literal):
        value = value.this.unnest()
    if date_part(value) != "year":
        return False
    date = value.expression if isinstance(value, exp.Extract) else value.this
    return isinstance(unconverted(date), NOW)

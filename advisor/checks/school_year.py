"""A school year taken from today's calendar year (c.endYear = YEAR(GETDATE()), or a variable set
to it): Campus numbers a school year by the year it ends in, so from July to December that is
last year's. And the days of today's calendar year (YEAR(a.date) = YEAR(GETDATE())), which are
halves of two school years."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    date_of,
    date_part,
    unconverted,
    whole_number,
    years_from_now,
)
from advisor.analysis.script import assignments
from advisor.checks.comparisons import Compared, comparisons, known_columns, sides
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file
from advisor.frontend.parse import Script


@file_rule("SC004")
def school_year_from_calendar_year(context: FileContext) -> Iterator[Hit]:
    variables = _calendar_year_variables(context.script)
    for query in context.queries:
        for compared in comparisons(query):
            if isinstance(compared.node, (exp.In, exp.Like)):
                continue
            for side in sides(compared.node):
                today = next((s for s in sides(compared.node) if s is not side and _calendar_year(s, variables)), None)
                if today is not None and isinstance(compared.node, exp.EQ) and _year_of_a_column(side):
                    yield from _days_of_calendar_year(query, compared, side)
                if today is None or not isinstance(side, exp.Column):
                    continue
                years = [k for k in known_columns(side, compared.predicate) if k.table.scope_kind(k.column.name) == "year"]
                if not years:
                    continue
                column = as_in_file(query, side)
                held = f" ({today.sql('tsql')} holds it)" if isinstance(today, exp.Parameter) else ""
                yield Hit(
                    query.span_of(compared.node),
                    f"{as_in_file(query, compared.node)} takes the school year from today's calendar year{held}, but "
                    f"{column} is the year a school year ends in: from July to December, today's calendar year is the "
                    "year the last school year ended in, so the query reads a school year earlier than it does from "
                    "January to June.",
                    f"Take the school year from Campus: join SchoolYear on it and keep the active one (JOIN SchoolYear "
                    f"sy ON sy.endYear = {column} AND sy.active = 1), or compare {column} with (SELECT endYear FROM "
                    "SchoolYear WHERE active = 1).",
                    (years[0].table.name,),
                )


def _year_of_a_column(side: exp.Expression) -> bool:
    """YEAR(a.date), DATEPART(year, a.date): the calendar year of a column's dates."""
    return date_part(side) == "year" and isinstance(unconverted(date_of(side)), exp.Column)


def _days_of_calendar_year(query: Query, compared: Compared, side: exp.Expression) -> Iterator[Hit]:
    """YEAR(a.date) = YEAR(GETDATE()): the days of a calendar year, where a school year's are meant."""
    dated = [k for k in known_columns(side, compared.predicate) if k.table.scope_kind(k.column.name) == "date"]
    if not dated:
        return
    column = as_in_file(query, unconverted(date_of(side)))
    yield Hit(
        query.span_of(compared.node),
        f"{as_in_file(query, compared.node)} keeps the rows whose {column} falls in one calendar year, January to "
        "December, but a school year runs from August to June: those days are the spring of one school year and the "
        "fall of the next.",
        f"Keep the school year's days: limit {dated[0].table.name} to the active school year's calendars (join "
        f"Calendar on calendarID, then JOIN SchoolYear sy ON sy.endYear = c.endYear AND sy.active = 1), or compare "
        f"{column} with that calendar's startDate and endDate.",
        (dated[0].table.name,),
    )


def _calendar_year_variables(script: Script) -> set[str]:
    """The variables, by lower-case name, that the script sets only to today's calendar year give
    or take one number of years (DECLARE @year int = YEAR(GETDATE()), SET or SELECT @year =
    YEAR(GETDATE()) + 1). One set to two (YEAR(GETDATE()) + 1 where an IF finds the month is August
    or later, YEAR(GETDATE()) in its ELSE) holds the school year the script works out."""
    years: dict[str, set[int | None]] = {}
    for statement in script.statements:
        for variable, value in assignments(statement.tree):
            years.setdefault(variable.name.lower(), set()).add(years_from_now(value))
    return {name for name, added in years.items() if len(added) == 1 and None not in added}


def _calendar_year(value: exp.Expression, variables: set[str]) -> bool:
    """YEAR(GETDATE()), DATEPART(year, SYSDATETIME()), or a variable set to it, alone or give or
    take a number of years."""
    value = value.unnest()
    if isinstance(value, (exp.Add, exp.Sub)) and whole_number(value.expression) is not None:
        value = value.this.unnest()
    if isinstance(value, exp.Parameter):
        return value.name.lower() in variables
    return years_from_now(value) is not None

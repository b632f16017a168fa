"""PR019: a date column compared with a number written out, `a.date >= 20250801` or `e.startDate
>= 2025` (or held by a number variable the script sets once), or with a blank, `e.endDate = ''`;
a date variable given such a number, `DECLARE @since datetime = 20250801`, `SET @since = @year`.
SQL Server takes a number for a datetime or smalldatetime as that many days after 1 January 1900:
a date written as yyyymmdd is past the type's last day (error 8115), and a year is a day in 1905
or so, which the filter then keeps every row after. A date, datetime2, time or datetimeoffset
takes no number at all (error 206). A blank is 1 January 1900, not a missing date, which is NULL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlglot import exp

from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import blank, conversion, type_name, unsigned_number
from advisor.analysis.script import assignments, declared_types
from advisor.checks.blank_values import blank_hit
from advisor.checks.comparisons import (
    Known,
    conditions,
    known_columns,
    tested_and_values,
)
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In)
_DAY_ZERO = date(1900, 1, 1)
_LAST_DAY = {"datetime": date(9999, 12, 31), "smalldatetime": date(2079, 6, 6)}  # the types that take days as numbers
_NO_NUMBERS = {"date", "datetime2", "time", "datetimeoffset"}
_YEARS = range(1900, 2101)


@file_rule("PR019")
def date_given_a_number(context: FileContext) -> Iterator[Hit]:
    for query in context.queries:
        types = context.variable_types(query.statement)
        yield from _compared_with_numbers(query, types)
        yield from _days_set(query, types)


def _compared_with_numbers(query: Query, types: dict[str, str]) -> Iterator[Hit]:
    for compared in conditions(query, _COMPARISONS):
        node = compared.node
        tested, values = tested_and_values(node)
        converted = conversion(tested)
        column = converted[1].unnest() if converted is not None and converted[1] is not None else tested
        if not isinstance(column, exp.Column):
            continue
        facts = next(iter(known_columns(column, compared.predicate)), None)
        declared = converted[0].sql("tsql") if converted is not None else facts.column.type if facts is not None else ""
        kind = declared.lower().split("(")[0].strip()
        if facts is None or kind not in _LAST_DAY and kind not in _NO_NUMBERS:
            continue
        for value in values:
            number = unsigned_number(held(value, query.constants))
            if number is not None:
                hit = _hit(query, node, tested, value, number, facts, kind, types)
            elif blank(value) and isinstance(node, (exp.EQ, exp.In)) and kind != "time":
                hit = blank_hit(query, node, tested, value, facts, "date")
            else:
                hit = None
            if hit is not None:
                yield hit


def _days_set(query: Query, types: dict[str, str]) -> Iterator[Hit]:
    """DECLARE @since datetime = 20250801, SET @since = @year: the variable is given the day that
    many days after 1 January 1900, or none (a date takes no number). `types`: the types of the
    variables the statement can read."""
    own = declared_types([query.statement])  # a DECLARE's value takes the type it declares
    for variable, value in assignments(query.statement.tree):
        name = type_name(own.get(variable.name.lower()) or types.get(variable.name.lower(), ""))
        core = value.unnest()
        number = unsigned_number(held(core, query.constants)) if name in _LAST_DAY or name in _NO_NUMBERS else None
        if number is None:
            continue
        meant, label = _meant(number), f"@{variable.name}"
        holder = core if isinstance(core, exp.Parameter) else None
        said = _said(f"{_as_named(core, number)} is a number, not a date", label, name, number,
                     f"{label} holds that day, not a day of {number}", _number_type(core, types))
        if said is None:
            continue
        if meant:
            fix = f"Give {label} the day as text: '{meant:%Y%m%d}' for {meant.day} {meant:%B %Y}."
        elif number in _YEARS:
            fix = (f"Give {label} the first day of the year: DATEFROMPARTS(@{holder.name}, 1, 1)." if holder is not None
                   else f"Give {label} the day as text: '{number}0101' for 1 January {number}.")
        else:
            fix = "Give it the day as text: 'yyyymmdd'."
        yield Hit(query.span_of(value), said, fix)


def _said(written: str, label: str, kind: str, number: int, then: str, number_type: str = "int") -> str | None:
    """What SQL Server makes of a number given for `label`, a date or time of `kind`: a type that
    takes no number refuses it, a day past the type's last stops the statement, a year is a day
    in 1905 or so (`then` says what follows from that day); None for other numbers. `number_type`:
    the number's own type, which a refusal names."""
    if kind in _NO_NUMBERS:
        return (f"{written}, and {label} is a {kind}, which takes no number: SQL Server refuses the statement before it "
                f"runs (error 206, \"Operand type clash: {number_type} is incompatible with {kind}\").")
    if number > (_LAST_DAY[kind] - _DAY_ZERO).days:
        return (f"{written}: SQL Server takes it for {label}, a {kind}, as that many days after 1 January 1900, past the "
                f"type's last day, and stops the statement (error 8115, \"Arithmetic overflow error converting expression "
                f"to data type {kind}\").")
    if number in _YEARS:
        day = _DAY_ZERO + timedelta(days=number)
        return (f"{written}: SQL Server takes it for {label}, a {kind}, as {number} days after 1 January 1900, "
                f"{day.day} {day:%B %Y}, so {then}, and no error says so.")
    return None


def _hit(query: Query, node: exp.Expression, tested: exp.Expression, value: exp.Expression, number: int, facts: Known,
         kind: str, types: dict[str, str]) -> Hit | None:
    meant = _meant(number)
    fix = (f"Write the date as text, which SQL Server reads the same under every language: '{meant:%Y%m%d}' for "
           f"{meant.day} {meant:%B %Y}." if meant else "Write the date as text: 'yyyymmdd'.")
    variable = f"@{value.name}" if isinstance(value, exp.Parameter) else None
    written = f"{_as_named(value, number)} is a number, not a date"
    if variable and meant:
        fix = f"Declare {variable} as a date and give it the day as text: '{meant:%Y%m%d}' for {meant.day} {meant:%B %Y}."
    said = _said(written, facts.label, kind, number,
                 f"{as_in_file(query, node)} compares with that day, not with the year {number}", _number_type(value, types))
    if said is None:
        return None
    if number in _YEARS and kind not in _NO_NUMBERS:
        column = as_in_file(query, tested)
        fix = (f"For the year {number}, compare with its days written as text: {column} >= '{number}0101' AND "
               f"{column} < '{number + 1}0101'." if variable is None else f"For the year {variable} holds, compare with "
               f"its days: {column} >= DATEFROMPARTS({variable}, 1, 1) AND {column} < DATEFROMPARTS({variable} + 1, 1, 1).")
    return Hit(query.span_of(value), said, fix, (facts.table.name,))


def _as_named(value: exp.Expression, number: int) -> str:
    """A number as a finding names it: written out, or as the variable that holds it."""
    return f"@{value.name}, which holds {number}," if isinstance(value, exp.Parameter) else str(number)


def _number_type(value: exp.Expression, types: dict[str, str]) -> str:
    """The type of a number: a variable's, as declared (`types`); int, written out."""
    return type_name(types.get(value.name.lower(), "int")) if isinstance(value, exp.Parameter) else "int"


def _meant(number: int) -> date | None:
    """The day a number written as yyyymmdd names, if it names one."""
    text = str(number)
    if len(text) != 8:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None

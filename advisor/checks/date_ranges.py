"""The ranges of dates a comparison means, for PR001's and PR005's fixes: YEAR(d) = 2026,
DATEDIFF(day, d, GETDATE()) <= 7, CAST(d AS date) = '2026-03-02', EOMONTH(d) = '2026-01-31', a
date's text (CONVERT(varchar(10), d, 101) = '03/02/2026', LIKE '2026-03%'). DATEDIFF counts the
boundaries between its two values (midnights, first days of months, New Year's Days), so each
range starts and ends at one; days are written as yyyymmdd, and only within SQL Server's date
types."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlglot import exp

from advisor.analysis.predicates import (
    DAY_SPELLINGS,
    converts_to_date,
    date_part,
    string_text,
    unsigned_number,
    whole_number,
    written_date,
)
from advisor.analysis.written import as_written
from advisor.checks.date_text import DateText, date_text
from advisor.checks.oriented import MIRRORED, OPERATORS, Oriented, seen_from

_MONTH = r"(\d{4})(?:[-/]?(\d{2}))?"  # a year, or a year and month: 2026, 2026-03, 2026/03, 202603
_MONTH_PREFIX = re.compile(_MONTH + "%")  # LIKE '2026-03%'
_MONTH_TEXT = re.compile(_MONTH)  # = '2026-03', from CONVERT(char(7), date, 120)


def same_rows(side: exp.Expression, column: str, node: exp.Expression, to_date: bool) -> str | None:
    """The condition on the bare column that keeps the rows the comparison keeps, when its value
    says which: YEAR(date) = 2026, 2026 = YEAR(date), CAST(date AS date) = '2026-03-02' (`to_date`:
    the side is the column's date), EOMONTH(date) = '2026-01-31'."""
    oriented = seen_from(node, side)
    if oriented is None:
        return None
    if date_part(side) == "year":
        return _year_condition(column, oriented)
    if isinstance(side, exp.LastDay):  # EOMONTH(d) compared with a month's last day: from that month on, or before it
        last = _written_day(oriented[1][0]) if len(oriented[1]) == 1 else None
        month_end = last is not None and (last + timedelta(days=1)).day == 1
        return _units_from(column, oriented[1][0], oriented[0], 0, _month_after) if month_end else None
    # a day written out: the column's date compared with 2026 or '2026-03' is no year or month
    day = _range_meant(oriented) if oriented[0] is exp.EQ and to_date and _written_day(oriented[1][0]) else None
    if day:
        return _between(column, *day)
    kind, values = oriented
    if not to_date or not all(map(_a_day, values)):
        return None  # a date and time (GETDATE()) would be compared with the day's midnight: no simple range
    if kind is exp.Between:
        first, after = _day_after(values[0], 0), _day_after(values[1], 1)
        return f"{column} >= {first} AND {column} < {after}" if first and after else None
    return _units_from(column, values[0], kind, 0, _day_after)


def days_apart(side: exp.Expression, column: str, node: exp.Expression) -> str | None:
    """DATEDIFF(day, date, GETDATE()) <= 7 as date >= DATEADD(day, -7, CAST(GETDATE() AS date)):
    DATEDIFF counts the boundaries between its two values (midnights, first days of months,
    New Year's Days), so the bare column's range starts and ends at one."""
    oriented = seen_from(node, side)
    starts = _UNIT_STARTS.get(unit(side)) if isinstance(side, exp.DateDiff) else None
    if starts is None or oriented is None:
        return None
    kind, values = oriented
    units = unsigned_number(values[0]) if len(values) == 1 else None
    if units is None or units > _MOST_UNITS[unit(side)]:
        return None  # more than two centuries: no date range anyone means, and one the date types may not hold
    end, start = _unwrapped(side.this), _unwrapped(side.expression)
    if isinstance(end, exp.Column):  # the column's date, units after the other's
        return _units_from(column, start, kind, units, starts)
    if isinstance(start, exp.Column):  # units before the other's: the comparison turns round
        return _units_from(column, end, MIRRORED.get(kind), -units, starts)
    return None


def moved_across(side: exp.DateAdd, column: str, node: exp.Expression,
                 written: Callable[[exp.Expression], str]) -> tuple[str, bool] | None:
    """DATEADD(day, 7, d) > GETDATE() as d > DATEADD(day, -7, GETDATE()), and whether that keeps
    exactly the same rows: it does for units of one length, not for months and years (a month
    added to January 31st is February 28th, which no month taken away gives back)."""
    oriented = seen_from(node, side)
    steps = whole_number(side.expression)
    by_variable = isinstance(side.expression, exp.Parameter)
    taken = str(-steps) if steps is not None else f"-{written(side.expression)}" if by_variable else None
    spelled = _UNITS.get(unit(side))
    if oriented is None or taken is None or spelled is None or not isinstance(_unwrapped(side.this), exp.Column):
        return None
    kind, values = oriented
    if (kind is not exp.Between and kind not in OPERATORS) or None in values:
        return None
    back = [f"DATEADD({spelled}, {taken}, {written(value)})" for value in values]
    moved = f"{column} BETWEEN {back[0]} AND {back[1]}" if kind is exp.Between else f"{column} {OPERATORS[kind]} {back[0]}"
    return moved, spelled not in _UNEVEN


def unit(side: exp.Expression) -> str:
    return str(side.args.get("unit") or "").upper()


# d compared with n, for whole units d: the first and last units it keeps (None: no bound)
_UNIT_BOUNDS = {exp.EQ: (0, 0), exp.GTE: (0, None), exp.GT: (1, None), exp.LTE: (None, 0), exp.LT: (None, -1)}


def _units_from(column: str, value: exp.Expression, kind: type | None, units: int, starts) -> str | None:
    """The range of the column whose unit, less the unit of `value`, compares with `units` as
    `kind` says; `starts(value, n)` is where the unit n after value's begins."""
    if kind not in _UNIT_BOUNDS:
        return None
    first, last = (None if bound is None else units + bound for bound in _UNIT_BOUNDS[kind])
    bounds = [(">=", starts(value, first))] if first is not None else []
    bounds += [("<", starts(value, last + 1))] if last is not None else []
    if any(day is None for _, day in bounds):
        return None  # a day before 1753 or after 9999: no range to write
    return " AND ".join(f"{column} {operator} {day}" for operator, day in bounds)


def _a_day(value: exp.Expression | None) -> bool:
    """A date written out, or a value converted to date."""
    return string_text(value) is not None or converts_to_date(value)


def _year_after(value: exp.Expression, years: int) -> str | None:
    """January 1st of the year `years` after the one a value falls in."""
    written = _written_day(value)
    if written is not None:
        return _yyyymmdd(written.year + years, 1)
    return f"DATEFROMPARTS(YEAR({as_written(value)}){_plus(years)}, 1, 1)"


def _month_after(value: exp.Expression, months: int) -> str | None:
    """The first day of the month `months` after the one a value falls in."""
    written = _written_day(value)
    if written is not None:
        year, month = divmod(written.month - 1 + months, 12)
        return _yyyymmdd(written.year + year, month + 1)
    first = f"DATEFROMPARTS(YEAR({as_written(value)}), MONTH({as_written(value)}), 1)"
    return first if months == 0 else f"DATEADD(month, {months}, {first})"


def _plus(number: int) -> str:
    return f" + {number}" if number > 0 else f" - {-number}" if number < 0 else ""


def _day_after(value: exp.Expression, days: int) -> str | None:
    """The day `days` after the one a value falls on: written out when the value is (yyyymmdd);
    a DATEADD(day, n, x) value moves x by n + days instead of taking a DATEADD of its own."""
    written = _written_day(value)
    if written is not None:
        day = _days_on(written, days)
        return _yyyymmdd(day.year, day.month, day.day) if day else None
    steps = whole_number(value.expression) if isinstance(value, exp.DateAdd) and unit(value) == "DAY" else None
    if steps is not None:
        value, days = value.this, steps + days
    day = as_written(value) if _a_day(value) else f"CAST({as_written(value)} AS date)"
    return day if days == 0 else f"DATEADD(day, {days}, {day})"


# the years a yyyymmdd value can name for every Campus date type (datetime starts in 1753)
_YEARS = range(1753, 10000)


def _yyyymmdd(year: int, month: int, day: int = 1) -> str | None:
    """A day written as SQL Server reads it in every language, if the date types can hold it."""
    return f"'{year:04}{month:02}{day:02}'" if year in _YEARS else None


def _days_on(day: date, days: int) -> date | None:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _written_day(value: exp.Expression) -> date | None:
    text = string_text(value)
    return written_date(text, DAY_SPELLINGS) if text is not None else None


def _unwrapped(value: exp.Expression) -> exp.Expression:
    """A DATEDIFF's value without the conversion sqlglot puts around it."""
    return value.this if isinstance(value, exp.TimeStrToTime) else value


# YEAR(x) compared with a year: the bounds on x, as (operator, years after the one named)
_YEAR_BOUNDS = {exp.EQ: ((">=", 0), ("<", 1)), exp.GTE: ((">=", 0),), exp.GT: ((">=", 1),), exp.LT: (("<", 0),),
                exp.LTE: (("<", 1),)}


def _year_condition(column: str, oriented: Oriented) -> str | None:
    """YEAR(date) = 2026 as date >= '20260101' AND date < '20270101'; >, <, BETWEEN and a variable
    (DATEFROMPARTS(@year, 1, 1)) alike."""
    kind, values = oriented
    if kind is exp.Between:
        bounds = [(values[0], ">=", 0), (values[1], "<", 1)]
    elif kind in _YEAR_BOUNDS:
        bounds = [(values[0], operator, later) for operator, later in _YEAR_BOUNDS[kind]]
    else:
        return None
    days = [_new_year(value, later) for value, _, later in bounds]
    if None in days:
        return None
    return " AND ".join(f"{column} {operator} {day}" for (_, operator, _), day in zip(bounds, days))


def _new_year(value: exp.Expression | None, later: int) -> str | None:
    """January 1st of the year a value names, or of the year after."""
    year = unsigned_number(value)
    if year is not None and 1753 <= year < 9999:
        return f"'{year + later}0101'"
    if value is None or isinstance(value, (exp.Literal, exp.Null)):
        return None  # a text, a fraction, a year no date type holds
    return f"DATEFROMPARTS({as_written(value)}{' + 1' if later else ''}, 1, 1)"


# CONVERT styles that write the day alone, whatever the length: 101 is mm/dd/yyyy, 112 yyyymmdd...
_DAY_STYLES = {1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 23, 101, 102, 103, 104, 105, 106, 107, 110, 111, 112}
# and those that write the day first, then the time: the day alone in ten characters (yyyy-mm-dd)
_DAY_FIRST_STYLES = {20, 21, 120, 121, 126, 127}


def date_range_fix(column: str, column_type: str, side: exp.Expression, oriented: Oriented | None) -> str:
    """PR005's fix for `side`, the column's side of the comparison as text; a range only where the
    text compared is what the conversion writes for those days."""
    day = _same_day_as(side, oriented) if oriented else None
    first, after = (_day_after(day, 0), _day_after(day, 1)) if day is not None else (None, None)
    if first and after:
        return (f"Compare the date itself with the day's range: {column} >= {first} AND {column} < {after} (CAST ... AS "
                "date is the day's midnight).")
    ordered_days = _days_in_order(column, column_type, side, oriented) if oriented else None
    if ordered_days is not None:
        return ordered_days
    meant = _range_meant(oriented) if oriented else None
    written = date_text(side, column_type)
    ordered = _ordered_fix(column, written, oriented) if written is not None and oriented else None
    if ordered is not None:
        return ordered
    if meant is not None and written is not None and not written.names(oriented[0], oriented[1][0].name, *meant):
        return (f"Compare the date itself with a date range, for example {_between(column, *meant)} for what "
                f"'{oriented[1][0].name}' seems to mean: as written, SQL Server compares it with text such as "
                f"'{written.sample}', which does not keep those days (yyyymmdd reads the same in every language).")
    if meant is None:  # the value does not say which dates: a range shown as an example
        return (f"Compare the date itself with a date range, for example {_between(column, date(2026, 1, 5), date(2026, 1, 6))} "
                "(yyyymmdd reads the same in every language).")
    return f"Compare the date itself with a date range: {_between(column, *meant)} (yyyymmdd reads the same in every language)."


# >= '20260801' on a date's text: the date condition it means, as (operator, days after the day named)
_ORDER_BOUNDS = {exp.GTE: (">=", 0), exp.GT: (">=", 1), exp.LT: ("<", 0), exp.LTE: ("<", 1)}
_TEXT_ORDER = {exp.GTE: str.__ge__, exp.GT: str.__gt__, exp.LT: str.__lt__, exp.LTE: str.__le__}
# how far from the day named a comparison of text is checked against one of dates: within the day,
# the days and months around it, and the years before and after, where mm/dd/yyyy text goes wrong
_PROBES = (timedelta(minutes=-1), timedelta(0), timedelta(hours=23, minutes=59), timedelta(days=1), timedelta(days=-1),
           timedelta(days=31), timedelta(days=-31), timedelta(days=200), timedelta(days=-200), timedelta(days=400),
           timedelta(days=-400))


def _ordered_fix(column: str, written: DateText, oriented: Oriented) -> str | None:
    """CONVERT(varchar(10), d, 112) >= '20260801' keeps the dates from 1 August 2026, as
    d >= '20260801' does; the same with mm/dd/yyyy text keeps 12/01/2025 too, as text sorts; text
    in another format than the conversion's is compared with text it never matches."""
    kind, values = oriented
    if kind is exp.Between:
        bounds = [_date_bound(column, written, exp.GTE, values[0]), _date_bound(column, written, exp.LTE, values[1])]
    else:
        bounds = [_date_bound(column, written, kind, values[0])] if kind in _ORDER_BOUNDS else [None]
    if None in bounds:
        return None
    condition = " AND ".join(condition for condition, _ in bounds)
    problem = next((problem for _, problem in bounds if problem), None)
    if problem is not None:
        return f"Compare the date itself: {condition}, for what {problem}"
    variables = [f"@{value.name}" for value in values if isinstance(value, exp.Parameter)]
    if variables:
        holding = "a date" if len(variables) == 1 else "dates"
        return f"Compare the date itself: {condition}, which can seek, with {' and '.join(variables)} holding {holding}."
    return f"Compare the date itself: {condition}, which keeps the same rows and can seek (yyyymmdd reads the same in every language)."


def _date_bound(column: str, written: DateText, kind: type, value: exp.Expression | None) -> tuple[str, str | None] | None:
    """The condition on the date that a comparison of its text with `value` means, and what is
    wrong with the text's comparison, if anything: its order, or its format."""
    operator, later = _ORDER_BOUNDS[kind]
    if isinstance(value, exp.Parameter):  # a date variable: the day it holds, from midnight
        bound = f"@{value.name}" if later == 0 else f"DATEADD(day, 1, @{value.name})"
        return f"{column} {operator} {bound}", None
    if not isinstance(value, exp.Literal) or not value.is_string:
        return None
    day = written.day_of(value.this)
    own_format = day is not None
    day = day or _written_day(value)
    bound = _days_on(day, later) if day is not None else None
    if bound is None or bound.year not in _YEARS or day.year not in _YEARS:
        return None
    condition = f"{column} {operator} '{bound:%Y%m%d}'"
    if not own_format:
        return condition, (f"'{value.this}' seems to mean. As written, SQL Server compares it with text such as "
                           f"'{written.sample}', in another format.")
    moments = [moment for step in _PROBES if (moment := _moved(datetime.combine(day, time()), step)) is not None]
    as_text, after_bound = _TEXT_ORDER[kind], datetime.combine(bound, time())
    wrong = next((m for m in moments if as_text(written.of(m), value.this) != ((m >= after_bound) == (operator == ">="))), None)
    if wrong is None:
        return condition, None
    truth = as_text(written.of(wrong), value.this)
    return condition, (f"'{value.this}' seems to mean. As written, SQL Server compares text, and '{written.of(wrong)}' "
                       f"{OPERATORS[kind]} '{value.this}' is {'true' if truth else 'false'} of the text but "
                       f"{'false' if truth else 'true'} of the days.")


def _moved(moment: datetime, step: timedelta) -> datetime | None:
    try:
        return moment + step
    except OverflowError:
        return None


def _between(column: str, first: date, after: date) -> str:
    return f"{column} >= '{first:%Y%m%d}' AND {column} < '{after:%Y%m%d}'"


def _same_day_as(side: exp.Expression, oriented: Oriented) -> exp.Expression | None:
    """For CONVERT(varchar(10), d, 101) = CONVERT(varchar(10), GETDATE(), 101), the value whose
    day the column's day must be: GETDATE()."""
    written = _days_written_alike(side, oriented[1][0]) if oriented[0] is exp.EQ else None
    return written[0] if written else None


def _days_written_alike(side: exp.Expression, value: exp.Expression) -> tuple[exp.Expression, int] | None:
    """For CONVERT(varchar(10), d, 101) compared with CONVERT(varchar(10), GETDATE(), 101), what the
    value converts (GETDATE()) and the style: both sides must write the day alone, in one style."""
    if not isinstance(side, exp.Convert) or not isinstance(value, exp.Convert):
        return None
    style = _day_style(side)
    return (value.expression, style) if style is not None and style == _day_style(value) else None


# the day styles whose text sorts as the days do: the year first, in four digits
_SORTABLE_STYLES = {23, 102, 111, 112} | _DAY_FIRST_STYLES


def _days_in_order(column: str, column_type: str, side: exp.Expression, oriented: Oriented) -> str | None:
    """CONVERT(varchar(10), e.startDate, 112) <= CONVERT(varchar(10), GETDATE(), 112): the days up
    to today's, compared as dates (_days_written_alike). In a style
    whose text does not sort as the days do (mm/dd/yyyy), the text's order is not the days'."""
    kind, values = oriented
    written = _days_written_alike(side, values[0]) if kind in _ORDER_BOUNDS else None
    if written is None:
        return None
    day, style = written
    operator, later = _ORDER_BOUNDS[kind]
    bound = _day_after(day, later)
    if bound is None:
        return None
    condition = f"{column} {operator} {bound}"
    if style in _SORTABLE_STYLES:
        return f"Compare the date itself: {condition}, which keeps the same rows and can seek."
    written = date_text(side, column_type)
    shown = written.out_of_order() if written is not None else None
    example = f" ('{shown[0]}' sorts after '{shown[1]}')" if shown else ""
    return (f"Compare the date itself: {condition}, for what the comparison seems to mean: as written, SQL Server "
            f"compares text in a format that does not sort as the days do{example}.")


def _day_style(converted: exp.Convert) -> int | None:
    """The CONVERT's style when what it writes is the day alone."""
    number = unsigned_number(converted.args.get("style"))
    if number is None:
        return None
    lengths = [p.this for p in converted.this.expressions] if isinstance(converted.this, exp.DataType) else []
    ten = [p for p in lengths if isinstance(p, exp.Literal) and p.this == "10"]
    return number if number in _DAY_STYLES or (number in _DAY_FIRST_STYLES and ten) else None


def _range_meant(oriented: Oriented) -> tuple[date, date] | None:
    """The dates a comparison's text means: a day for = '2026-03-02' or = '03/02/2026', a month or
    a year for LIKE '2026-03%' or LIKE '2026%', and for = '2026-03' or = '2026' (the first
    characters of the date's text, CONVERT(char(7), date, 120))."""
    kind, values = oriented
    value = values[0] if kind in (exp.EQ, exp.Like) else None
    if not isinstance(value, exp.Literal):
        return None
    text = value.this
    day = _written_day(value) if kind is exp.EQ else None
    if day is not None:
        after = _days_on(day, 1)
        return (day, after) if after is not None and day.year in _YEARS and after.year in _YEARS else None
    month = (_MONTH_PREFIX if kind is exp.Like else _MONTH_TEXT).fullmatch(text)
    year, number = (int(month.group(1)), int(month.group(2) or 0)) if month else (0, 0)
    if not month or not 1 <= int(month.group(2) or 1) <= 12 or year not in _YEARS or year + 1 not in _YEARS:
        return None
    return date(year, number or 1, 1), date(year + 1, 1, 1) if number in (0, 12) else date(year, number + 1, 1)


# DATEDIFF's units sqladvise gives the exact range for, and where the n-th unit after a value's starts
_UNIT_STARTS = {"DAY": _day_after, "MONTH": _month_after, "YEAR": _year_after}
_MOST_UNITS = {"DAY": 73_000, "MONTH": 2_400, "YEAR": 200}
# DATEADD's units as sqlglot reads them, as written back; months, quarters and years are of uneven lengths
_UNITS = {"DAY": "day", "WEEK": "week", "HOUR": "hour", "HH": "hour", "MINUTE": "minute", "MI": "minute", "N": "minute",
          "SECOND": "second", "SS": "second", "S": "second", "MONTH": "month", "QUARTER": "quarter", "YEAR": "year"}
_UNEVEN = {"month", "quarter", "year"}

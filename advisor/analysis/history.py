"""How far back into a district's history a lower bound on a school year or a date reaches:
`c.endYear >= 2016`, `a.date >= '2015-01-01'` and `a.date >= DATEADD(year, -3, GETDATE())` each
keep a number of years up to today. A bound written as a fixed year or date keeps one more
year every year; one counted back from today keeps the same number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlglot import exp

from advisor.analysis.predicates import (
    DAY_SPELLINGS,
    NOW,
    string_text,
    unconverted,
    whole_number,
    written_date,
    years_from_now,
)

CALENDAR_YEAR = "calendar year"  # the kind of YEAR(date): a year that starts in January
FIRST_MONTH = 7  # a school year (named for the calendar year it ends in) starts in July
_UNIT_DAYS = {"DAY": 1, "DD": 1, "D": 1, "WEEK": 7, "WK": 7, "WW": 7, "MONTH": 30.4, "MM": 30.4, "M": 30.4,
              "QUARTER": 91, "QQ": 91, "Q": 91, "YEAR": 365, "YY": 365, "YYYY": 365}


def school_year(today: date) -> int:
    """The school year in progress, by the calendar year it ends in, as the toolbar numbers them."""
    return today.year + 1 if today.month >= FIRST_MONTH else today.year


@dataclass(frozen=True)
class Kept:
    """The history from a bound to today (what a lower bound keeps), or between two bounds:
    `school_years` counts the school years from the one it starts in; `years` is the span in years
    (a week back is 0.02)."""

    years: float
    school_years: int
    fixed: bool  # written as a year or a date: it keeps one more year every year


def kept_by(values: tuple[exp.Expression, ...], kind: str, today: date, strict: int = 0) -> Kept | None:
    """The history from a bound to today, on a column of `kind` ("year": an endYear; "date"; or
    CALENDAR_YEAR, the YEAR() of a date), as of `today`: what a lower bound keeps, or for an upper
    one what it leaves out. `values` is the bound, or a BETWEEN's two ends (a span that does not
    grow); `strict` moves a year bound inside a > or < (+1 for endYear > 2020, -1 for < 2020).
    None when the bound is not known before the query runs."""
    start = _kept(values[0], kind, today, strict)
    end = _kept(values[1], kind, today) if start is not None and len(values) == 2 else None
    return start if end is None else between(start, end, kind)


def between(start: Kept, end: Kept, kind: str) -> Kept:
    """What is kept from one bound to a later one: a span that does not grow."""
    school_years = max(start.school_years - max(end.school_years, 1) + 1, 1)
    years = school_years if kind == "year" else max(start.years - end.years, 0)
    return Kept(years, school_years, False)


def _kept(value: exp.Expression, kind: str, today: date, strict: int = 0) -> Kept | None:
    if kind == "year":
        year, fixed = _year(value, today)
        if year is None:
            return None
        school_years = max(school_year(today) - year - strict + 1, 0)
        return Kept(school_years, school_years, fixed)
    if kind == CALENDAR_YEAR:  # YEAR(a.date) >= 2016: from New Year's Day
        year, fixed = _year(value, today)
        year = year + strict if year is not None else None
        start = date(year, 1, 1) if year is not None and 0 < year < 10_000 else None
    elif kind == "date":
        start, fixed = _day(value, today)
    else:
        return None
    if start is None:
        return None
    years = max((today - start).days, 0) / 365
    return Kept(years, max(school_year(today) - school_year(start) + 1, 1), fixed)


def _year(value: exp.Expression, today: date) -> tuple[int | None, bool]:
    """The year a value stands for, and whether it is written out: 2016, or YEAR(GETDATE()) - 1."""
    value = value.unnest()
    written = whole_number(value)
    if written is not None:
        return written, True
    shift = years_from_now(value)
    return (today.year + shift, False) if shift is not None else (None, False)


def _day(value: exp.Expression, today: date) -> tuple[date | None, bool]:
    """The day a date value stands for, and whether it is written out (not counted from today)."""
    value = unconverted(value)
    text = string_text(value)
    if text is not None:
        return written_date(text.strip()[:10], DAY_SPELLINGS), True
    if isinstance(value, NOW):
        return today, False
    if isinstance(value, exp.Sub) and isinstance(unconverted(value.this), NOW):  # GETDATE() - 30: days
        return _day(exp.DateAdd(this=value.this, expression=exp.Neg(this=value.expression), unit=exp.var("DAY")), today)
    if isinstance(value, exp.DateAdd):
        # counted from a date written out, or else from today: DATEADD(day, -7, @asOf) is a week's window
        base, fixed = _day(value.this, today)
        steps = whole_number(value.expression)
        unit = value.args.get("unit")
        days = _UNIT_DAYS.get(unit.name.upper() if unit is not None else "DAY")
        if steps is not None and days is not None:
            try:
                return (base if fixed and base else today) + timedelta(days=steps * days), bool(fixed and base)
            except OverflowError:  # DATEADD(year, -100000, ...): no day; SQL Server stops with an error
                return None, False
    return None, False

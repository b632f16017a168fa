"""Dates that SQL Server cannot turn into a date: a day that does not exist ('2027-02-29',
'09/31/2026', '13/01/2026' read month first, DATEFROMPARTS(2026, 13, 1)) or one past the end of
the type ('2099-12-31' as a smalldatetime). The statement stops with an error when it meets one."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlglot import exp

from advisor.analysis.predicates import (
    type_family,
    unsigned_number,
)
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.typed_text import placed, typed_texts

# Text a statement must hold for this rule to find anything in it: a quoted date of digits
_MAYBE = re.compile(r"'\s*(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{8})\b")
# A login's language or date format other than us_english's month/day/year changes how SQL Server reads them
_DATE_ORDER_SET = re.compile(r"\bSET\s+(?:DATEFORMAT|LANGUAGE)\b", re.IGNORECASE)
_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_YEAR_LAST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?\s*(?:[AaPp][Mm])?)?")
# The days each type holds; a date and datetime2 hold every day a four-digit year names
_RANGES = {"smalldatetime": (date(1900, 1, 1), date(2079, 6, 6)), "datetime": (date(1753, 1, 1), date(9999, 12, 31))}
_FROM_PARTS = (exp.DateFromParts, exp.TimestampFromParts)  # DATEFROMPARTS, DATETIMEFROMPARTS
_TIME_PARTS = {"hour": ("hour", 23), "min": ("minute", 59), "sec": ("second", 59)}  # DATETIMEFROMPARTS's
_LEAP_YEAR = 2028  # a year in which each month has the most days it ever has
_ANY_ORDER = ("Write the day as 'yyyymmdd' ('20260113'), which SQL Server reads the same whatever the login's language "
              "and date format.")


@dataclass(frozen=True)
class _Written:
    """A date's parts as SQL Server reads them, and whether the text put the month first."""

    year: int
    month: int
    day: int
    month_first: bool


@file_rule("PR012")
def impossible_date(context: FileContext) -> Iterator[Hit]:
    order_known = not _DATE_ORDER_SET.search(context.script.lines.text)
    for typed in typed_texts(context, _MAYBE):
        kind = typed.sql_type
        if type_family(kind) != "date":
            continue
        written = _read(typed.literal.this, typed.order or ("mdy" if order_known else None), kind)
        if written is None:
            continue
        found = _not_a_day(written)
        out_of_range = found is None
        if out_of_range:
            found = _out_of_range(written, kind, typed.column.sql("tsql") if typed.column is not None else "")
            if found is None or (typed.column is not None and context.catalog.approximate):
                continue  # the bundled catalog's column types are a guess: a district's own says whether it is one
        head, remediation = found
        span, _, shown = placed(typed, context)
        stops = ("error 242, an out-of-range value" if out_of_range else
                 "error 241, \"Conversion failed when converting date and/or time from character string\"")
        yield Hit(span, f"{shown} {head}. SQL Server stops the statement when it turns it into a {kind}"
                        f"{f' to {typed.purpose}' if typed.purpose else ''} ({stops}).", remediation)
    yield from _made_from_parts(context)


def _made_from_parts(context: FileContext) -> Iterator[Hit]:
    """DATEFROMPARTS(2026, 13, 1), DATEFROMPARTS(@year, 6, 31), DATETIMEFROMPARTS(2026, 2, 1, 24, 0,
    0, 0): parts written out that name no day or time, whatever the parts not written out hold."""
    for query in context.queries:
        for call in query.calls(_FROM_PARTS):
            why = _no_day_of_parts(*(unsigned_number(call.args.get(part)) for part in ("year", "month", "day")))
            fix = "Give it the parts of a day that exists: a month from 1 to 12, and a day that month has."
            if why is None and isinstance(call, exp.TimestampFromParts):
                why = _no_time_of_parts(call)
                fix = "Give it a time that exists: an hour from 0 to 23, a minute and a second from 0 to 59."
            if why is not None:
                made = "datetime" if isinstance(call, exp.TimestampFromParts) else "date"
                yield Hit(query.span_of(call), f"{query.written(call)} {why}. SQL Server stops the statement when it makes "
                                               f"the {made} (error 289, \"Cannot construct data type {made}, some of the "
                                               "arguments have values which are not valid\").", fix)


def _no_day_of_parts(year: int | None, month: int | None, day: int | None) -> str | None:
    """Why a date made of these parts is no day whatever the ones not known (None) hold; None when
    it may be one. A year past 1-9999 is left unsaid."""
    if year is not None and not 1 <= year <= 9999:
        return None
    if year is not None and month is not None and day is not None:
        found = _not_a_day(_Written(year, month, day, month_first=False))
        return found[0] if found is not None else None
    if month is not None and not 1 <= month <= 12:
        return f"is not a day: there is no month {month}"
    if day is not None and not 1 <= day <= 31:
        return "is not a day: there is no day 0" if day < 1 else f"is not a day: no month has {day} days"
    longest = calendar.monthrange(_LEAP_YEAR, month)[1] if month is not None else 31
    if day is not None and day > longest:
        return f"is not a day: {calendar.month_name[month]} has {'at most ' if month == 2 else ''}{longest} days"
    return None


def _no_time_of_parts(call: exp.TimestampFromParts) -> str | None:
    """Why DATETIMEFROMPARTS's hour, minute or second written out names no time of day."""
    for part, (name, most) in _TIME_PARTS.items():
        value = unsigned_number(call.args.get(part))
        if value is not None and value > most:
            return f"is not a time: there is no {name} {value}, the last is {most}"
    return None


def _read(text: str, order: str | None, kind: str) -> _Written | None:
    """A string's date as SQL Server reads it in this order of parts (None: the login's order is
    not known), or None for text that is not a date of digits. yyyymmdd reads the same in every
    order; yyyy-mm-dd too, but as a datetime or smalldatetime under a day-first date format."""
    text = text.strip()
    for shape, parts in ((_DIGITS, (1, 2, 3)), (_YEAR_FIRST, (1, 3, 4)), (_YEAR_LAST, (4, 1, 3))):
        matched = shape.match(text)
        if matched is None or not _TIME.fullmatch(text, matched.end()):
            continue
        year, first, second = (int(matched.group(at)) for at in parts)
        if shape is _YEAR_LAST:
            if order not in ("mdy", "dmy"):
                return None
            year += 0 if len(matched.group(4)) == 4 else 2000 if year < 50 else 1900
            month, day = (first, second) if order == "mdy" else (second, first)
            return _Written(year, month, day, order == "mdy")
        if shape is _YEAR_FIRST and order is None and kind in _RANGES:
            return None
        return _Written(year, first, second, False)
    return None


def _not_a_day(written: _Written) -> tuple[str, str] | None:
    """Why the parts name no day, and what to write instead; None for a day that exists."""
    year, month, day = written.year, written.month, written.day
    if year < 1:
        return "is not a day: there is no year 0", _ANY_ORDER
    if not 1 <= month <= 12:
        read = " (read month first, as SQL Server reads it for a us_english login)" if written.month_first else ""
        meant = None
        if written.month_first and 1 <= day <= 12 and 1 <= month <= calendar.monthrange(year, day)[1]:
            meant = date(year, day, month)  # the day and month the other way round
        fix = (f"If you mean {_spoken(meant)}, write '{meant:%Y%m%d}': SQL Server reads yyyymmdd the same whatever the "
               "login's language and date format." if meant else _ANY_ORDER)
        return f"is not a day{read}: there is no month {month}", fix
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    if day < 1:
        return "is not a day: there is no day 0", _ANY_ORDER
    why = (f"{year} is not a leap year, so February has 28 days" if month == 2 and day == 29
           else f"{calendar.month_name[month]} has {last} days" + (f" in {year}" if month == 2 else ""))
    fix = f"Write a day that exists: the last of {calendar.month_name[month]} {year} is '{date(year, month, last):%Y%m%d}'."
    if (year, month) < (9999, 12):
        after = date(year, month, last) + timedelta(days=1)
        fix += f" To end a range with the month, compare < '{after:%Y%m%d}', which keeps every time on its last day too."
    return f"is not a day: {why}", fix


def _out_of_range(written: _Written, kind: str, column: str) -> tuple[str, str] | None:
    """Why a day falls outside what the type holds, and what to write instead (for a stand-in
    for NULL, the test for NULL on `column`)."""
    if kind not in _RANGES:
        return None
    first, last = _RANGES[kind]
    day = date(written.year, written.month, written.day)
    if first <= day <= last:
        return None
    if day > last:
        null_test = f" ({column} IS NULL OR {column} >= ...)" if column else ""
        return (f"is after {_spoken(last)}, the last day a {kind} holds",
                f"Write a day a {kind} holds as the open end ('{last.replace(day=1):%Y%m%d}'), or test for NULL itself"
                f"{null_test} in place of a day that stands for it.")
    return f"is before {_spoken(first)}, the first day a {kind} holds", f"Write a day a {kind} holds ('{first:%Y%m%d}' or later)."


def _spoken(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"

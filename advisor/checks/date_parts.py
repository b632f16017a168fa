"""The parts of one date column compared in one AND (YEAR(d) = 2026 AND MONTH(d) = 3, DATEPART(quarter,
d) = 1): the range of the bare column they mean together, for PR001's fix; and the parts that
come round again, which no one range holds (a month without its year is every March).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import conjuncts, date_of, date_part, unsigned_number
from advisor.analysis.written import as_written
from advisor.checks.comparisons import (
    Compared,
    Known,
    comparisons,
    known_columns,
    sides,
)
from advisor.checks.oriented import Oriented, seen_from
from advisor.frontend.positions import node_bounds

# the parts no one range of the date holds, in words, when no year is compared beside them
_COMING_ROUND = {"quarter": "quarter", "month": "month", "day": "day of the month", "weekday": "weekday",
                 "dayofyear": "day of the year", "week": "week of the year", "hour": "hour", "minute": "minute"}
_WITHIN_A_YEAR = ("quarter", "month", "day")  # with the year: a quarter, a month, or a month's day
# the parts kept by a comparison with n, of the `last` in a year: the first and the last kept
_KEPT = {exp.EQ: lambda n, last: (n, n), exp.GTE: lambda n, last: (n, last), exp.GT: lambda n, last: (n + 1, last),
         exp.LTE: lambda n, last: (1, n), exp.LT: lambda n, last: (1, n - 1)}

Parts = dict[str, tuple[exp.Expression, Oriented]]  # a part: the comparison, as the part's side sees it


def coming_round(part: str | None) -> str | None:
    """In words, a part that comes round again, which no one range of the date holds; None for a year."""
    return _COMING_ROUND.get(part) if part else None


def parts_beside(query: Query, compared: Compared, facts: Known) -> Parts:
    """The parts of `facts`' column compared in the AND that holds `compared` (its own among them),
    each with its comparison, in the order written; a part compared twice, or under a NOT of its
    own, is left out."""
    group = {id(node) for node in conjuncts(_and_group(compared.node))}
    found: Parts = {}
    twice: set[str] = set()
    for other in comparisons(query):
        if id(other.node) not in group or other.block is not compared.block:
            continue
        for side in sides(other.node):
            part = date_part(side) if not isinstance(side, exp.TimeToStr) else None  # DATENAME: a name, no number
            oriented = seen_from(other.node, side) if part else None
            if oriented is None or not _same_column(known_columns(side, other.predicate), facts):
                continue
            if part in found:
                twice.add(part)
            found[part] = (other.node, oriented)
    kept = [part for part in found if part not in twice]
    return {part: found[part] for part in sorted(kept, key=lambda part: (node_bounds(found[part][0]) or (0,))[0])}


def together(column: str, parts: Parts, written: Callable[[exp.Expression], str]) -> str | None:
    """PR001's fix for a year compared with one value beside its quarter, month, or month and day:
    the range of the bare column they mean together."""
    year = parts.get("year")
    inner = [part for part in _WITHIN_A_YEAR if part in parts]
    if year is None or year[1][0] is not exp.EQ or inner not in (["quarter"], ["month"], ["month", "day"]):
        return None
    bounds = _day_bounds(year[1][1][0], parts) if "day" in inner else _month_bounds(year[1][1][0], parts, inner[0])
    if bounds is None:
        return None
    shown = " AND ".join(written(node) for part, (node, _) in parts.items() if part == "year" or part in inner)
    return (f"Compare the bare column with the range they mean together: {column} >= {bounds[0]} AND {column} < "
            f"{bounds[1]} instead of {shown}.")


def one_month(column: str, parts: Parts) -> str | None:
    """For a month compared with one value and no year: the month of one year as a range, for an
    author who meant that year's month (MONTH(d) = MONTH(GETDATE()) gives its year too)."""
    month = parts.get("month")
    if month is None or month[1][0] is not exp.EQ:
        return None
    value = month[1][1][0]
    if unsigned_number(value) is not None and not 1 <= unsigned_number(value) <= 12:
        return None
    year = "@year"
    if date_part(value) == "month":  # MONTH(GETDATE()): the year of the same date
        year = f"YEAR({as_written(date_of(value))})"
    first = f"DATEFROMPARTS({year}, {as_written(value)}, 1)"
    return f"{column} >= {first} AND {column} < DATEADD(month, 1, {first})"


def _month_bounds(year: exp.Expression, parts: Parts, part: str) -> tuple[str, str] | None:
    """The first day of the first month kept, and of the month after the last."""
    kind, values = parts[part][1]
    per, last = (3, 4) if part == "quarter" else (1, 12)
    if kind is exp.EQ and unsigned_number(values[0]) is None:  # @month: the month it names, and the one after
        number = as_written(values[0]) if per == 1 else f"3 * {as_written(values[0])} - 2"
        first = f"DATEFROMPARTS({as_written(year)}, {number}, 1)"
        return first, f"DATEADD(month, {per}, {first})"
    numbers = [unsigned_number(value) for value in values]
    if None in numbers or (kind not in _KEPT and kind is not exp.Between):
        return None
    low, high = numbers if kind is exp.Between else _KEPT[kind](numbers[0], last)
    low, high = max(low, 1), min(high, last)
    if low > high:
        return None  # no row: a month no date has, or none kept
    first, after = _first_of(year, (low - 1) * per + 1), _first_of(year, high * per + 1)
    return (first, after) if first and after else None


def _first_of(year: exp.Expression, month: int) -> str | None:
    """The first day of a month of the year, month 13 being the next year's January; None outside
    the years every date type holds."""
    number = unsigned_number(year)
    after, month = divmod(month - 1, 12)
    if number is not None:
        return f"'{number + after:04}{month + 1:02}01'" if 1753 <= number + after <= 9999 else None
    return f"DATEFROMPARTS({as_written(year)}{' + 1' if after else ''}, {month + 1}, 1)"


def _day_bounds(year: exp.Expression, parts: Parts) -> tuple[str, str] | None:
    """One day: its year, month and day each compared with one value."""
    if "month" not in parts or any(parts[part][1][0] is not exp.EQ for part in ("month", "day")):
        return None
    month, day = parts["month"][1][1][0], parts["day"][1][1][0]
    numbers = [unsigned_number(value) for value in (year, month, day)]
    if None not in numbers:
        try:
            first = date(*numbers)
        except ValueError:
            return None  # the 30th of February: no row has it
        if not 1753 <= first.year or first == date.max:
            return None  # a day no date type holds, or with no day after it
        return f"'{first:%Y%m%d}'", f"'{first + timedelta(days=1):%Y%m%d}'"
    first = f"DATEFROMPARTS({as_written(year)}, {as_written(month)}, {as_written(day)})"
    return first, f"DATEADD(day, 1, {first})"


def _same_column(found: list[Known], facts: Known) -> bool:
    return len(found) == 1 and found[0].ref.relation is facts.ref.relation and found[0].column is facts.column


def _and_group(node: exp.Expression) -> exp.Expression:
    """The largest AND-ed condition that holds the node: the conditions beside it hold with it."""
    while isinstance(node.parent, (exp.And, exp.Paren)):
        node = node.parent
    return node


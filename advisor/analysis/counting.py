"""How far a recursive CTE counts: from a constant in its one anchor, by a constant step in its
one recursive arm, while that arm's one condition holds (a list of days, of numbers). Each level
adds a row: a few of them the flattening takes as a temp table's values (flatten.listed_rows);
more than the statement allows, SQL Server stops it (SH030)."""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.constants import held
from advisor.analysis.predicates import (
    DAY_SPELLINGS,
    conjuncts,
    conversion,
    string_text,
    unsigned_number,
    written_date,
)

_DAYS = {"DAY": 1, "WEEK": 7}
_MONTHS = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
# the bound written first: 500 > n is n < 500
BOUND_FIRST = {exp.GT: exp.LT, exp.GTE: exp.LTE}


@dataclass(frozen=True)
class Count:
    """How far a recursive CTE's counting column goes: its name, what it starts from, how it
    steps, and the condition that stops it."""

    column: str
    start: int | date
    step: int
    unit: str | None  # a DATEADD unit for a date; None for a number
    condition: exp.Expression
    inclusive: bool  # <= rather than <
    bound: int | date
    on_next: bool  # the condition tests the next value (n + 1 <= 500), not the row's own


def counting(reference: m.Relation, constants: dict[str, exp.Expression]) -> Count | None:
    """The column a recursive CTE counts with, where it starts from a constant in its one anchor,
    steps by a constant in its one recursive arm (which reads only itself), and stops at a
    constant in that arm's one condition; a variable of the script's `constants` (by lower-case
    name) is its value."""
    recursive, anchors = reference.block, reference.recursive_anchor
    where = recursive.node.args.get("where") if isinstance(recursive.node, exp.Select) else None
    if recursive.relations != [reference] or len(anchors) != 1 or anchors[0].relations or where is None:
        return None
    conditions = conjuncts(where.this)
    condition = conditions[0] if len(conditions) == 1 else None
    written_first = isinstance(condition, (exp.LT, exp.LTE))  # d < '2026-06-01', not '2026-06-01' > d
    kind = type(condition) if written_first else BOUND_FIRST.get(type(condition))
    if kind not in (exp.LT, exp.LTE):
        return None
    tested, bound = (condition.this, condition.expression) if written_first else (condition.expression, condition.this)
    names = column_names(recursive.node, anchors[0])
    for at, name in enumerate(names):
        if at >= len(recursive.projections) or at >= len(anchors[0].projections):
            break
        stepped = recursive.projections[at].node.unalias()
        step = step_of(stepped, name)
        if step is None:
            continue
        on_next = tested == stepped
        if not on_next and not _is_named(tested, name):
            continue
        amount, unit = step
        start = constant_of(anchors[0].projections[at].node.unalias(), unit, constants)
        end = constant_of(bound, unit, constants)
        if start is None or end is None or type(start) is not type(end):
            return None
        return Count(name, start, amount, unit, condition, kind is exp.LTE, end, on_next)
    return None


def column_names(recursive: exp.Expression, anchor: m.Block) -> list[str]:
    """The CTE's columns: its list (WITH days (d) AS ...), or else its anchor's names."""
    cte = recursive.find_ancestor(exp.CTE)
    listed = cte.args.get("alias").columns if cte is not None and cte.args.get("alias") is not None else []
    return [column.name for column in listed] or [projection.name for projection in anchor.projections]


def _is_named(node: exp.Expression, name: str) -> bool:
    """The column, or the variable (a WHILE loop's @y), of that name."""
    return isinstance(node, (exp.Column, exp.Parameter)) and node.name.lower() == name.lower()


def step_of(node: exp.Expression, name: str) -> tuple[int, str | None] | None:
    """n + 1 (a number, unit None) or DATEADD(day, 1, d): how much one level (or pass) adds to the column
    (or variable)."""
    if isinstance(node, exp.DateAdd) and _is_named(node.this, name):
        unit = node.args.get("unit")
        amount = unsigned_number(node.expression)
        unit_name = unit.name.upper() if unit is not None else "DAY"
        return (amount, unit_name) if amount and (unit_name in _DAYS or unit_name in _MONTHS) else None
    if isinstance(node, exp.Add):
        for column, amount in ((node.this, node.expression), (node.expression, node.this)):
            if _is_named(column, name) and unsigned_number(amount):
                return unsigned_number(amount), None
    return None


def constant_of(node: exp.Expression, unit: str | None,
                constants: dict[str, exp.Expression] | None = None) -> int | date | None:
    """A whole number for a number's count; a date written out, alone or converted, for a date's;
    either held by a variable of `constants`."""
    node = held(node, constants or {})
    if unit is None:
        return unsigned_number(node)
    found = conversion(node)
    if found is not None:
        node = found[1]
    text = string_text(node)
    if text is not None:
        return written_date(text.strip()[:10], DAY_SPELLINGS)
    return None


def levels_of(count: Count) -> int:
    """How many rows the recursive arm adds, a level each: one for each value, from the start,
    that passes the condition (or whose next value does), up to the first that does not."""
    if count.unit in _MONTHS:
        return _levels_by_months(count)
    size = count.step * _DAYS.get(count.unit, 1) if count.unit else count.step
    start = count.start.toordinal() if isinstance(count.start, date) else count.start
    end = count.bound.toordinal() if isinstance(count.bound, date) else count.bound
    first = start + size if count.on_next else start
    if count.inclusive:
        return max(math.floor((end - first) / size) + 1, 0)
    return max(math.ceil((end - first) / size), 0)


def _levels_by_months(count: Count) -> int:
    """As levels_of, a month, a quarter or a year at a time: SQL Server adds months to the last value,
    kept within each month's days (31 January, 28 February, 28 March...)."""
    months = count.step * _MONTHS[count.unit]
    levels, value = 0, count.start
    while True:
        following = _add_months(value, months)
        tested = following if count.on_next else value
        if tested is None or not (tested <= count.bound if count.inclusive else tested < count.bound):
            return levels
        if following is None:  # past 9999: SQL Server stops with an overflow before the recursion limit
            return levels
        levels, value = levels + 1, following


def _add_months(day: date, months: int) -> date | None:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > 9999:
        return None
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))

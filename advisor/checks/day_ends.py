"""The ends of date ranges that do not fall where they are written.

PR013: a range that ends on a day, on a column that holds times: BETWEEN '2026-08-01' AND
'2026-08-31' on a datetime ends at midnight of the 31st, so the rows from later that day are
left out.

PR015: a last moment of a day that the column's type rounds to the next midnight: '2026-12-18
23:59:59.999' is 19 December 00:00 as a datetime, and so is '23:59:59' as a smalldatetime; and a
variable declared in such a type, which holds the next midnight once it is set to one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlglot import exp

from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    DAY_SPELLINGS,
    string_text,
    type_family,
    written_date,
)
from advisor.analysis.script import assignments
from advisor.checks.comparisons import Known, conditions, known_columns
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file, aside, what_variables_hold

# Types that hold a time of day as well as the day; a date holds none, and Campus keeps days as
# smalldatetime at midnight
_WITH_TIMES = ("datetime", "datetime2", "datetimeoffset")
_KINDS = (exp.Between, exp.LTE, exp.GTE)


@file_rule("PR013")
def day_as_range_end(context: FileContext) -> Iterator[Hit]:
    for query in context.queries:
        days = {name for name, kind in context.variable_types(query.statement).items() if kind == "date"}
        yield from _ending_on_a_day(query, days)


def _ending_on_a_day(query: Query, days: set[str]) -> Iterator[Hit]:
    """Range ends that are a day: a string that spells one, a variable declared date (`days`, by
    lower-case name), or one that holds such a string all through the script (a datetime set to
    '2026-06-30')."""
    for compared in conditions(query, _KINDS):
        node = compared.node
        if isinstance(node, exp.Between):
            column, end = node.this.unnest(), node.args["high"].unnest()
        else:  # a.x <= '2026-08-31', or '2026-08-31' >= a.x
            column, end = (node.this, node.expression) if isinstance(node, exp.LTE) else (node.expression, node.this)
            column, end = column.unnest(), end.unnest()
        if isinstance(node.parent, exp.Not) or not isinstance(column, exp.Column):
            continue
        value = held(end, query.constants)
        text = string_text(value)
        day = written_date(text.strip(), DAY_SPELLINGS) if text is not None else None
        variable = f"@{end.name}" if isinstance(end, exp.Parameter) and (day or end.name.lower() in days) else None
        facts = next(iter(known_columns(column, compared.predicate)), None)
        if (day is None and variable is None) or facts is None or not facts.column.type.lower().startswith(_WITH_TIMES):
            continue
        tested = as_in_file(query, column)
        after = f"DATEADD(day, 1, {variable})" if variable else f"'{day + timedelta(days=1):%Y%m%d}'"
        kept = (f"{tested} >= {as_in_file(query, node.args['low'])} AND {tested} < {after}" if isinstance(node, exp.Between)
                else f"{tested} < {after}")
        holding = what_variables_hold([end], query.constants)
        last = (f"{day.day} {day:%B %Y}{aside(holding)}" if day
                else f"{variable}'s day ({variable} is a date)")
        yield Hit(
            query.span_of(node),
            f"{as_in_file(query, node)} ends at midnight at the start of {last}: {facts.label} is a "
            f"{facts.column.type}, which holds times, and the rows from later that day are left out.",
            f"End the range before the next day: {kept}, which keeps all of {f'{day.day} {day:%B}' if day else 'that day'}.",
            (facts.table.name,),
        )


# A day and a time of day: '2026-12-18 23:59:59.999', '20261218 23:59:59', '2026-12-18T23:59:30'
_DAY_AND_TIME = re.compile(r"(?P<day>\S+?)[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d{1,7}))?")
# The comparisons whose bound is a day's last moment: the end of a range (BETWEEN's high value,
# <=) takes in the next day's midnight; a start after it (>) leaves that midnight out.
_LAST_MOMENT_KINDS = (exp.Between, exp.LTE, exp.GTE, exp.GT, exp.LT)
# The types Campus keeps its days in, at midnight (Attendance.date is a smalldatetime): there a midnight is a whole day
_DAYS_ONLY = ("smalldatetime", "date")


@dataclass(frozen=True)
class _Rounding:
    """How a type rounds a time: in words, the seconds into a day's last minute from which it
    takes the time to the next midnight, and the most decimals of a second it reads in a string."""

    words: str
    from_second: Decimal
    decimals: int


def _rounding(sql_type: str) -> _Rounding | None:
    """datetime keeps 300ths of a second and takes .999 up to the next second; smalldatetime keeps
    minutes and takes 29.999 seconds and more up to the next minute; datetime2(n) and
    datetimeoffset(n) keep n decimals and take the rest up from half the last one."""
    kind = sql_type.lower().replace(" ", "")
    if kind == "datetime":
        return _Rounding("keeps 300ths of a second and rounds .999 up to the next second", Decimal("59.999"), 3)
    if kind == "smalldatetime":
        return _Rounding("keeps whole minutes and rounds 30 seconds and more up to the next minute", Decimal("29.999"), 3)
    found = re.fullmatch(r"(?:datetime2|datetimeoffset)\((\d)\)", kind)  # without (n): 7, which a string cannot pass
    if not found or int(found[1]) >= 7:
        return None
    decimals = int(found[1])
    kept = "whole seconds" if decimals == 0 else f"{decimals} decimal{'s' if decimals > 1 else ''} of a second"
    half = Decimal(5).scaleb(-decimals - 1)  # half the last decimal kept: .5, .05, .005...
    return _Rounding(f"keeps {kept} and rounds .{'9' * decimals}5 and more up to the next second", 60 - half, 7)


@file_rule("PR015")
def day_end_rounded_up(context: FileContext) -> Iterator[Hit]:
    rounded = _rounded_variables(context)
    for query in context.queries:
        texts = {name for name, kind in context.variable_types(query.statement).items() if type_family(kind) == "text"}
        for compared in conditions(query, _LAST_MOMENT_KINDS):
            node = compared.node
            bound = _bound(node) if not isinstance(node.parent, exp.Not) else None
            facts = next(iter(known_columns(bound[0], compared.predicate)), None) if bound else None
            if facts is None:
                continue
            column, written, ends = bound
            variable = rounded.get(written.name.lower()) if isinstance(written, exp.Parameter) else None
            if variable is not None:
                yield _rounded(query, node, column, written, ends, facts, variable)
                continue
            if isinstance(written, exp.Parameter) and written.name.lower() not in texts:
                continue  # a date or time variable: the column's value is converted to its type, if at all
            # a string, or one a text variable holds: the column's type rounds it as it converts it
            text = string_text(held(written, query.constants))
            rounding = _rounding(facts.column.type)
            day = _last_moment(text, rounding) if rounding is not None and text is not None else None
            if day is not None:
                yield _rounded(query, node, column, written, ends, facts, _Held(day + timedelta(days=1), rounding, written))


@dataclass(frozen=True)
class _Held:
    """The next midnight a day's last moment becomes, how its type rounds, and the string as written
    (a variable's value, or the string or text variable compared with the column)."""

    midnight: date
    rounding: _Rounding
    written: exp.Expression
    type_name: str = ""  # a variable's declared type that rounds; "" where the column's type rounds it


def _rounded_variables(context: FileContext) -> dict[str, _Held]:
    """Variables declared in a type that rounds (DECLARE @end datetime = '2026-06-30 23:59:59.999')
    whose every value set is a day's last moment it takes to the next midnight, by lower-case
    name: each holds that midnight, not the day it was set to end."""
    found: dict[str, _Held] = {}
    other: set[str] = set()
    for statement in context.script.statements:
        for variable, value in assignments(statement.tree):
            name, value = variable.name.lower(), value.unnest()
            type_name = context.variable_types(statement).get(name, "")
            rounding = _rounding(type_name) if type_name else None
            day = _last_moment(value.this, rounding) if rounding is not None and string_text(value) is not None else None
            if day is None:
                other.add(name)
            else:
                found[name] = _Held(day + timedelta(days=1), rounding, value, type_name)
    return {name: value for name, value in found.items() if name not in other}


def _bound(node: exp.Expression) -> tuple[exp.Column, exp.Literal | exp.Parameter, bool] | None:
    """The column, the string or variable it is bounded by, and whether that bound ends the range
    (True) or starts it after it (False); None for the other sides of comparisons."""
    if isinstance(node, exp.Between):
        column, value, ends = node.this.unnest(), node.args["high"].unnest(), True
    else:
        left, right = node.this.unnest(), node.expression.unnest()
        column, value = (left, right) if isinstance(left, exp.Column) else (right, left)
        # seen from the column: column <= x and x >= column end the range, column > x and x < column start it
        facing = type(node) if column is left else {exp.GTE: exp.LTE, exp.LTE: exp.GTE, exp.GT: exp.LT, exp.LT: exp.GT}[type(node)]
        if facing not in (exp.LTE, exp.GT):
            return None
        ends = facing is exp.LTE
    if not isinstance(column, exp.Column) or not (string_text(value) is not None or isinstance(value, exp.Parameter)):
        return None
    return column, value, ends


def _last_moment(text: str, rounding: _Rounding) -> date | None:
    """The day a string names when its time is so late in 23:59 that the type takes it to the
    next midnight. More decimals than the type reads are not its: SQL Server refuses the string
    rather than round it."""
    found = _DAY_AND_TIME.fullmatch(text.strip())
    if found is None or (found["hour"], found["minute"]) != ("23", "59") or len(found["fraction"] or "") > rounding.decimals:
        return None
    if Decimal(f"{found['second']}.{found['fraction'] or 0}") < rounding.from_second:
        return None
    return written_date(found["day"], DAY_SPELLINGS)


def _rounded(query: Query, node: exp.Expression, column: exp.Column, bound: exp.Expression, ends: bool, facts: Known,
             held: _Held) -> Hit:
    midnight = held.midnight
    day, tested, next_day = f"{midnight.day} {midnight:%B}", as_in_file(query, column), f"'{midnight:%Y%m%d}'"
    variable = isinstance(bound, exp.Parameter)
    new_bound = as_in_file(query, bound) if variable else next_day
    if ends:
        fix = (f"{tested} >= {as_in_file(query, node.args['low'])} AND {tested} < {new_bound}" if isinstance(node, exp.Between)
               else f"{tested} < {new_bound}")
        effect, words = "takes in", f"End the range before the next day: {fix}, which keeps all of the last day and nothing after."
    else:
        effect, words = "leaves out", f"Start at the next day: {tested} >= {new_bound}, which keeps all of {day}."
    if variable:  # set the variable to that day, written out
        words = f"Set {as_in_file(query, bound)} to the next day, {next_day}. {words}"
    if held.type_name:  # the variable already holds the midnight
        last = midnight - timedelta(days=1)
        why = (f"{as_in_file(query, bound)} holds 00:00 on {day} {midnight.year}, not the last moment of {last.day} "
               f"{last:%B} it is set to ({held.written.sql('tsql')}): it is declared {held.type_name}, which {held.rounding.words}")
    else:  # a string, or a text variable that holds one: the column's type rounds it
        said = f"{what_variables_hold([bound], query.constants)}, which" if variable else as_in_file(query, bound)
        why = (f"{said} is 00:00 on {day} {midnight.year} to SQL Server: {facts.label} is a {facts.column.type}, which "
               f"{held.rounding.words}")
    whole_day = ": all of that day, in a column that holds days without times" \
        if facts.column.type.lower() in _DAYS_ONLY else ""
    return Hit(
        query.span_of(node),
        f"{why}, so {as_in_file(query, node)} {effect} the rows of 00:00 on {day}{whole_day}.",
        words,
        (facts.table.name,),
    )

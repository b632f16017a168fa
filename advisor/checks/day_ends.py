"""The ends of date ranges that do not fall where they are written.

PR013: a range that ends on a day, on a column that holds times: BETWEEN '2026-08-01' AND
'2026-08-31' on a datetime ends at midnight of the 31st, so the rows from later that day are
left out.

PR015: a last moment of a day that the column's type rounds to the next midnight: '2026-12-18
23:59:59.999' is 19 December 00:00 as a datetime, and so is '23:59:59' as a smalldatetime."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import DAY_SPELLINGS, written_date
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import Known, conditions, known_columns
from advisor.checks.registry import FileContext, Hit, file_rule, statement_rule
from advisor.checks.snippets import as_in_file

# Types that hold a time of day as well as the day; a date holds none, and Campus keeps days as
# smalldatetime at midnight
_WITH_TIMES = ("datetime", "datetime2", "datetimeoffset")
_KINDS = (exp.Between, exp.LTE, exp.GTE)


@file_rule("PR013")
def day_as_range_end(context: FileContext) -> Iterator[Hit]:
    days = {name for name, kind in context.variable_types.items() if kind == "date"}
    for query in context.queries:
        yield from _ending_on_a_day(query, days)


def _ending_on_a_day(query: Query, days: set[str]) -> Iterator[Hit]:
    """Range ends that are a day: a string that spells one, or a variable declared date (`days`,
    by lower-case name)."""
    for compared in conditions(query, _KINDS):
        node = compared.node
        if isinstance(node, exp.Between):
            column, end = node.this.unnest(), node.args["high"].unnest()
        else:  # a.x <= '2026-08-31', or '2026-08-31' >= a.x
            column, end = (node.this, node.expression) if isinstance(node, exp.LTE) else (node.expression, node.this)
            column, end = column.unnest(), end.unnest()
        if isinstance(node.parent, exp.Not) or not isinstance(column, exp.Column):
            continue
        day = written_date(end.this.strip(), DAY_SPELLINGS) if isinstance(end, exp.Literal) and end.is_string else None
        variable = f"@{end.name}" if isinstance(end, exp.Parameter) and end.name.lower() in days else None
        facts = next(iter(known_columns(column, compared.predicate)), None)
        if (day is None and variable is None) or facts is None or not facts.column.type.lower().startswith(_WITH_TIMES):
            continue
        tested = as_in_file(query, column)
        after = f"'{day + timedelta(days=1):%Y%m%d}'" if day else f"DATEADD(day, 1, {variable})"
        kept = (f"{tested} >= {as_in_file(query, node.args['low'])} AND {tested} < {after}" if isinstance(node, exp.Between)
                else f"{tested} < {after}")
        last = f"{day.day} {day:%B %Y}" if day else f"{variable}'s day ({variable} is a date)"
        yield Hit(
            query.span_of(node),
            f"{as_in_file(query, node)} ends at midnight at the start of {last}: {facts.label} is a "
            f"{facts.column.type}, which holds times, and the rows from later that day are left out.",
            f"End the range before the next day: {kept}, which keeps all of {f'{day.day} {day:%B}' if day else 'that day'}.",
            (facts.table.name,),
        )


# A day and a time of day: '2026-12-18 23:59:59.999', '20261218 23:59:59', '2026-12-18T23:59:30'.
# More than three decimals are not a datetime's: SQL Server refuses the string rather than round it.
_DAY_AND_TIME = re.compile(r"(?P<day>\S+?)[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d{1,3}))?")
# How each type rounds a time, and the seconds into a day's last minute from which it rounds to
# the next midnight: datetime keeps 300ths of a second and takes .999 up to the next second;
# smalldatetime keeps minutes and takes 29.999 seconds and more up to the next minute.
_ROUNDS = {"datetime": ("keeps 300ths of a second and rounds .999 up to the next second", 59.999),
           "smalldatetime": ("keeps whole minutes and rounds 30 seconds and more up to the next minute", 29.999)}
# The comparisons whose bound is a day's last moment: the end of a range (BETWEEN's high value,
# <=) takes in the next day's midnight; a start after it (>) leaves that midnight out.
_LAST_MOMENT_KINDS = (exp.Between, exp.LTE, exp.GTE, exp.GT, exp.LT)


@statement_rule("PR015")
def day_end_rounded_up(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, _LAST_MOMENT_KINDS):
        node = compared.node
        if isinstance(node.parent, exp.Not):
            continue
        bound = _bound(node)
        if bound is None:
            continue
        column, written, ends = bound
        facts = next(iter(known_columns(column, compared.predicate)), None)
        type_name = facts.column.type.lower() if facts is not None else ""
        if type_name not in _ROUNDS:
            continue
        day = _last_moment(written.this, _ROUNDS[type_name][1])
        if day is None:
            continue
        yield _rounded(query, node, column, written, ends, day + timedelta(days=1), facts)


def _bound(node: exp.Expression) -> tuple[exp.Column, exp.Literal, bool] | None:
    """The column, the string it is bounded by, and whether that string ends the range (True) or
    starts it after it (False); None for the other sides of comparisons."""
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
    if not isinstance(column, exp.Column) or not isinstance(value, exp.Literal) or not value.is_string:
        return None
    return column, value, ends


def _last_moment(text: str, from_second: float) -> date | None:
    """The day a string names when its time is so late in 23:59 that the type takes it to the
    next midnight."""
    found = _DAY_AND_TIME.fullmatch(text.strip())
    if found is None or (found["hour"], found["minute"]) != ("23", "59"):
        return None
    seconds = float(f"{found['second']}.{found['fraction'] or 0}")
    if seconds < from_second:
        return None
    return written_date(found["day"], DAY_SPELLINGS)


def _rounded(query: Query, node: exp.Expression, column: exp.Column, written: exp.Literal, ends: bool, midnight: date,
             facts: Known) -> Hit:
    rounds, held = _ROUNDS[facts.column.type.lower()][0], f"{midnight.day} {midnight:%B}"
    tested, next_day = as_in_file(query, column), f"'{midnight:%Y%m%d}'"
    if ends:
        fix = (f"{tested} >= {as_in_file(query, node.args['low'])} AND {tested} < {next_day}" if isinstance(node, exp.Between)
               else f"{tested} < {next_day}")
        effect, words = "takes in", f"End the range before the next day: {fix}, which keeps all of the last day and nothing after."
    else:
        effect, words = "leaves out", f"Start at the next day: {tested} >= {next_day}, which keeps all of {held}."
    return Hit(
        query.span_of(node),
        f"{as_in_file(query, written)} is 00:00 on {held} {midnight.year} to SQL Server: {facts.label} is a "
        f"{facts.column.type}, which {rounds}, so {as_in_file(query, node)} {effect} the rows of 00:00 on {held}: "
        "all of that day, in a column that holds days without times.",
        words,
        (facts.table.name,),
    )

"""PR026: text compared with, or given to, a number, a bit or a date that it cannot become
(c.endYear = '2025-26', @schoolID = 'All' with @schoolID an int, rp.guardian = 'Y' on a bit,
DECLARE @start date = 'none'). Text ranks below every number and date, so SQL Server converts
the text, and text that is not a value of the type stops the statement. Days that do not exist
('2026-02-30') are PR012's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.analysis.predicates import (
    becomes,
    conversion_error,
    names_no_day,
    type_family,
)
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.typed_text import TypedText, typed_texts
from advisor.frontend.executed import as_run
from advisor.frontend.positions import text_bounds

_QUOTED = re.compile("'")  # a statement with no string in it has nothing for this rule
_MONEY = frozenset({"money", "smallmoney"})  # take '$1,200.50' too: what they refuse is not read here
_WHOLE = frozenset({"tinyint", "smallint", "int", "bigint"})


# For each kind of type: what the text is not, and how to write a value of it
_WRITTEN = {
    "whole": ("a whole number", "a whole number, written without quotes"),
    "number": ("a number", "a number, written without quotes"),
    "bit": ("a bit, which takes 1, 0, 'true' or 'false'", "1 or 0 (1 for true), written without quotes"),
    "date": ("a date", "a day written as 'yyyymmdd' ('20260820')"),
}


@file_rule("PR026")
def unconvertible_text(context: FileContext) -> Iterator[Hit]:
    text = context.script.lines.text
    for typed in typed_texts(context, _QUOTED):
        kind = _refused(typed.literal.this, typed.sql_type)
        if kind is None:
            continue
        bounds = text_bounds(typed.literal, text)
        span = context.script.lines.span(*bounds) if bounds else typed.statement.span
        shown = as_run(text[span.start:span.end], typed.statement.enclosing)
        article = "an" if typed.sql_type == "int" else "a"
        purpose = f" to {typed.purpose}" if typed.purpose else ""
        yield Hit(span, f"{shown} is not {_WRITTEN[kind][0]}. SQL Server stops the statement when it turns it into "
                        f"{article} {typed.sql_type}{purpose}: {conversion_error(typed.sql_type, shown)}.",
                  _fix(typed, kind))


def _refused(value: str, sql_type: str) -> str | None:
    """The kind of value (_WRITTEN's) the text would have to be to become one of the type, or None
    where it becomes one. A date is judged only where the text has no digit at all: one with
    digits that names no day is PR012's, and SQL Server reads more spellings of a day than digits."""
    family = type_family(sql_type)
    if family == "date":
        return "date" if names_no_day(value) else None
    if family != "number" or sql_type in _MONEY or becomes(value, sql_type):
        return None
    return "bit" if sql_type == "bit" else "whole" if sql_type in _WHOLE else "number"


def _fix(typed: TypedText, kind: str) -> str:
    written = _WRITTEN[kind][1]
    if not typed.purpose:
        return "Convert text that is a value of the type, or use TRY_CAST, which gives NULL for text that is not one."
    if typed.purpose.startswith("set "):
        none = " or NULL" if kind == "date" else ""
        return f"Give {typed.purpose[4:]} {written}{none}; declare it with a text type (varchar) if it is to hold text."
    beside = typed.column.sql("tsql") if typed.column is not None else typed.purpose.removeprefix("compare it with ")
    fix = f"Compare {beside} with {written}."
    if kind == "date":
        fix += f" Where the text stands for no date, test {beside} IS NULL."
    if kind == "whole" and typed.column is None:
        fix += (" For a choice such as 'All', give the variable a number no row holds, as Campus's toolbar gives 0 for "
                "all schools: (@schoolID = 0 OR s.schoolID = @schoolID).")
    return fix

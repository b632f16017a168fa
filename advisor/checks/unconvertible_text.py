"""PR026: text compared with, or given to, a number, a bit or a date that it cannot become
(c.endYear = '2025-26', @schoolID = 'All' with @schoolID an int, rp.guardian = 'Y' on a bit,
DECLARE @start date = 'none'). Text ranks below every number and date, so SQL Server converts
the text, and text that is not a value of the type stops the statement. Days that do not exist
('2026-02-30') are PR012's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.predicates import (
    becomes,
    conversion_error,
    digits_of_no_day,
    names_no_day,
    type_family,
)
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.typed_text import TypedText, placed, typed_texts

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
    for typed in typed_texts(context, _QUOTED):
        kind = _refused(typed.literal.this, typed.sql_type)
        if kind is None:
            continue
        span, value, shown = placed(typed, context)
        article = "an" if typed.sql_type == "int" else "a"
        purpose = f" to {typed.purpose}" if typed.purpose else ""
        # SQL Server does not promise to test (@school = 'All' OR s.schoolID = @school) from the left
        maybe = typed.held_by is not None and isinstance(typed.held_by.find_ancestor(exp.Or, exp.Select), exp.Or)
        national = isinstance(typed.literal, exp.National)  # N'All': SQL Server's error quotes it without its N
        error = conversion_error(typed.sql_type, value[1:] if national else value, "nvarchar" if national else "varchar")
        yield Hit(span, f"{shown} is not {_WRITTEN[kind][0]}. SQL Server {'can stop' if maybe else 'stops'} the "
                        f"statement when it turns it into {article} {typed.sql_type}{purpose}: {error}."
                        + (" The OR beside it does not make SQL Server test the other side first." if maybe else ""),
                  _fix(typed, kind), severity="warning" if maybe else None)


def _refused(value: str, sql_type: str) -> str | None:
    """The kind of value (_WRITTEN's) the text would have to be to become one of the type, or None
    where it becomes one. A date is judged only where the text has no digit at all, or is digits
    of no length a day is written with: one of a day's digits that names no day is PR012's, and
    SQL Server reads more spellings of a day than digits."""
    family = type_family(sql_type)
    if family == "date":  # '2026%': a pattern, which no day is
        return "date" if names_no_day(value) or digits_of_no_day(value) or "%" in value else None
    if family != "number" or sql_type in _MONEY or becomes(value, sql_type):
        return None
    return "bit" if sql_type == "bit" else "whole" if sql_type in _WHOLE else "number"


def _fix(typed: TypedText, kind: str) -> str:
    written = _WRITTEN[kind][1]
    if typed.held_by is not None:
        variable, column = f"@{typed.held_by.name}", typed.column.sql("tsql")
        fix = f"Declare {variable} {typed.sql_type} and give it {written}."
        if kind == "whole":
            fix += (f" For a choice such as 'All', give it a number no row holds, as Campus's toolbar gives 0 for all "
                    f"schools: ({variable} = 0 OR {column} = {variable}).")
        elif kind == "date":
            fix += f" Where it stands for no date, give it NULL and test {variable} IS NULL."
        return fix
    if not typed.purpose:
        return "Convert text that is a value of the type, or use TRY_CAST, which gives NULL for text that is not one."
    if typed.purpose.startswith("set "):
        none = " or NULL" if kind == "date" else ""
        return (f"Give {typed.purpose[4:]} {written}{none}; declare it with a text type (varchar) if it is to hold "
                "text that nothing compares with a number or a date.")
    beside = typed.column.sql("tsql") if typed.column is not None else typed.purpose.removeprefix("compare it with ")
    if kind == "date" and "%" in typed.literal.this:
        return (f"A pattern is no day, and only LIKE reads %: compare {beside} with the range of days it means, written "
                f"as 'yyyymmdd' ({beside} >= '20260101' AND {beside} < '20270101' for the days of 2026).")
    fix = f"Compare {beside} with {written}."
    if kind == "date":
        fix += f" Where the text stands for no date, test {beside} IS NULL."
    if kind == "whole" and typed.column is None:
        fix += (" For a choice such as 'All', give the variable a number no row holds, as Campus's toolbar gives 0 for "
                "all schools: (@schoolID = 0 OR s.schoolID = @schoolID).")
    return fix

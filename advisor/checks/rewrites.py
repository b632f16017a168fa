"""What to write instead of a function on a column (PR001): the condition on the bare column
that keeps the same rows, where the comparison says which (YEAR(d) = 2026 and the other date
ranges of date_ranges.py, ISNULL(x, 0) = 0, LEFT(x, 3) = 'Smi', a CASE, a text column turned into
a number), and an example of the pattern where it does not."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from sqlglot import exp

from advisor.analysis.predicates import (
    concatenated,
    conversion,
    date_of_datetime,
    date_part,
    string_text,
    type_family,
    unsigned_number,
    whole_number,
)
from advisor.analysis.written import as_written
from advisor.checks.comparisons import Known
from advisor.checks.date_ranges import days_apart, moved_across, same_rows, unit
from advisor.checks.oriented import (
    OPERATORS,
    holds,
    negation,
    seen_from,
)
from advisor.checks.snippets import quoted
from advisor.checks.written_conditions import any_of, case_conditions

_DATE_PARTS = (exp.Year, exp.Month, exp.Day, exp.TsOrDsToDate, exp.Date, exp.LastDay)
_CASE = (exp.Upper, exp.Lower, exp.Trim)
_DATE_MATH = (exp.DateDiff, exp.DateAdd, exp.DateSub)
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
_NOT_AN_AGE = (" DATEDIFF(year, ...) counts the New Year's Days between the dates, not whole years: for an age, "
               "compare the birth date with DATEADD(year, -18, CAST(GETDATE() AS date)).")


def rewrite(side: exp.Expression, facts: Known, node: exp.Expression,
            written: Callable[[exp.Expression], str] = as_written, beside: Sequence[Known] = ()) -> str:
    """PR001's fix for `side`, the column's side of the comparison `node`; `written` gives the
    author's expressions whole, as in the file; `beside`, the catalog's columns on the other side."""
    column = facts.ref.node.sql("tsql")  # as the author wrote it, with its alias
    to_date = isinstance(side, (exp.Date, exp.TsOrDsToDate)) or date_of_datetime(side, facts.column.type)
    if isinstance(side, _DATE_PARTS) or date_part(side) or to_date:
        meant = same_rows(side, column, node, to_date)
        if meant:
            return f"Compare the bare column with the range it means: {meant} instead of {written(negation(node) or node)}."
        return (f"Compare the bare column with a range of dates, such as {column} >= '20260101' AND {column} < '20270101' "
                f"for 2026, instead of {written(side)}.")
    if isinstance(side, exp.Coalesce):
        name = "ISNULL" if side.args.get("is_null") else "COALESCE"
        never = not facts.column.nullable and side.this is facts.ref.node  # a NOT NULL column: no NULL to stand in for
        meant = _unless_null(side, column, node, not never, beside)
        if meant:
            why = f" {facts.label} is NOT NULL in the catalog, so {name} changes nothing but the plan." if never else ""
            return f"Test the column itself: {meant} instead of {written(negation(node) or node)}.{why}"
        return f"Test the column itself: ({column} = @value OR {column} IS NULL) instead of {name}({column}, ...) = @value."
    if isinstance(side, _CASE):
        leading = any(trim.args.get("position") != "TRAILING" for trim in side.find_all(exp.Trim))
        return (f"Compare {column} itself: Campus databases use a case-insensitive collation, and trailing spaces "
                "do not count in comparisons, so UPPER, LOWER and RTRIM change nothing but the plan."
                + (" LTRIM does change a value stored with leading spaces: clean those once in the data instead."
                   if leading else ""))
    if isinstance(side, exp.Left) or (isinstance(side, exp.Substring) and unsigned_number(side.args.get("start")) == 1):
        start = _starts_with(side, node)
        if start:
            return f"Match the start with LIKE, which can seek: {column} LIKE {start} instead of {written(node)}."
        length = unsigned_number(side.expression if isinstance(side, exp.Left) else side.args.get("length"))
        oriented = seen_from(node, side)
        if oriented is not None and oriented[0] is exp.EQ and isinstance(oriented[1][0], exp.Column) and length is not None:
            other = written(oriented[1][0])  # LEFT(p.studentNumber, 3) = sch.number
            return (f"Match the start with LIKE, which can seek: {column} LIKE {other} + '%' instead of {written(node)}, "
                    f"where {other} always holds {length} characters: a shorter one would match more.")
        return f"Match the start with LIKE, which can seek: {column} LIKE 'ABC%' instead of LEFT({column}, 3) = 'ABC'."
    if isinstance(side, exp.DateAdd):
        moved = moved_across(side, column, node, written)
        if moved:
            meant, exact = moved
            return (f"Move the date arithmetic to the value side: {meant} instead of {written(negation(node) or node)}"
                    + ("." if exact else ", which differs only at the ends of months (DATEADD(month, 1, '20260131') is "
                       "'20260228', and a month taken away from that is '20260128')."))
        return (f"Move the date arithmetic to the value side: {column} > DATEADD(day, -7, GETDATE()) instead of "
                f"DATEADD(day, 7, {column}) > GETDATE().")
    if isinstance(side, exp.Length):
        meant = empty_test(side, node)
        if meant:
            return (f"Test the column itself: {column} {meant} '' instead of {written(negation(node) or node)}: LEN does "
                    "not count trailing spaces, and neither does a comparison with ''.")
    if isinstance(side, _DATE_MATH):
        meant = days_apart(side, column, node)
        if meant:
            years = _NOT_AN_AGE if unit(side) == "YEAR" else ""
            return f"Compare the bare column with the range it means: {meant} instead of {written(negation(node) or node)}.{years}"
        return (f"Move the date arithmetic to the other side: {column} >= DATEADD(day, -30, GETDATE()) "
                f"instead of DATEDIFF(day, {column}, GETDATE()) <= 30.")
    parts = concatenated(side)
    if parts is not None and (type_family(facts.column.type) == "text" or any(string_text(p) is not None for p in parts)):
        meant = _text_meant(parts, node, side)
        if meant:
            return f"Compare the columns themselves, not the text built from them: {meant} instead of {written(node)}."
        columns = [as_written(p) for p in parts if isinstance(p, exp.Column)]
        return (f"Compare each column on its own ({' AND '.join(f'{c} = ...' for c in columns)}) rather than the text "
                f"built from them, so that an index on {facts.column.name} can seek.")
    if isinstance(side, _ARITHMETIC):
        moved = _added_moved(side, facts, node)
        if moved:
            return (f"Move the arithmetic to the value side, so that {column} stands alone: {moved} instead of "
                    f"{written(negation(node) or node)}.")
        return f"Move the arithmetic to the value side, so that {column} stands alone: {column} > @x - 1, not {column} + 1 > @x."
    if isinstance(side, (exp.Cast, exp.Convert)):
        if type_family(facts.column.type) == "text" and _to_number(side) and beside:
            # prev.grade against cur.grade: no list of texts stands for another row's column
            return (f"Keep the conversion: the other side is a column too ({written(beside[0].ref.node)}), so no "
                    f"list of texts can stand for it, and as text, numbers compare in another order ('9' after '12'). "
                    f"What it costs is its work on each row compared; fewer rows, fewer conversions.")
        if type_family(facts.column.type) == "text" and _to_number(side):
            return _numbers_as_text(column, side, node, written)
        # a whole-number column: a decimal's text has its places ('2026.00'), which '2026' never equals
        number = _number_as_text(side, node) if facts.column.type.lower() in _WHOLE_NUMBERS else None
        if number is not None:  # CONVERT(varchar(4), c.endYear) = '2026'
            return f"Compare {column} with the number itself: {column} = {number} instead of {written(node)}."
        return f"Compare {column} with a value of its own type ({facts.column.type}) and drop the conversion."
    if isinstance(side, exp.Case):
        return _case_fix(side, node, written)
    if isinstance(side, exp.Collate):
        oriented = seen_from(node, side)
        exact = oriented is not None and oriented[0] is exp.EQ and oriented[1][0].find(exp.Column) is None
        return (f"Compare {column} in its own collation where you can. For a match that must also be exact (case, "
                f"accents), compare in the column's collation first, which an index on it can seek and its statistics "
                f"estimate, then exactly: {column} = {as_written(oriented[1][0])} AND {written(node)}." if exact else
                f"Compare {column} in its own collation where you can, or limit the rows first so that fewer are compared.")
    # LEN, ISJSON, SUBSTRING from the middle: no way of writing the test leaves the column alone
    return (f"{written(side)} has no form that leaves {column} alone: limit the rows first with conditions on bare "
            "columns (a calendar, a school year, the students needed), so that it is worked out for those only. An "
            "index on a computed column of it could seek, but only on a table the district owns: Campus's tables are "
            "Campus's to change.")


# LEN(x) compared with a number, where it says only whether x is empty: the test on x itself
_EMPTINESS = {(exp.GT, 0): "<>", (exp.GTE, 1): "<>", (exp.NEQ, 0): "<>", (exp.EQ, 0): "=", (exp.LT, 1): "=", (exp.LTE, 0): "="}


def empty_test(side: exp.Length, node: exp.Expression) -> str | None:
    """'<>' for LEN(x) > 0, '=' for LEN(x) = 0, when x is the bare column or trimmed: a value of
    spaces alone is '' to both LEN and =."""
    inner = side.this.this if isinstance(side.this, exp.Cast) else side.this
    while isinstance(inner, exp.Trim) and inner.expression is None:
        inner = inner.this
    oriented = seen_from(node, side)
    if not isinstance(inner, exp.Column) or oriented is None or len(oriented[1]) != 1:
        return None
    return _EMPTINESS.get((oriented[0], unsigned_number(oriented[1][0])))


def _starts_with(side: exp.Left | exp.Substring, node: exp.Expression) -> str | None:
    """LEFT(x, 3) = 'Smi' or SUBSTRING(x, 1, 3) = 'Smi' as the pattern LIKE 'Smi%' (wildcards in
    the text escaped): the same rows when the text is as long as the part taken, and does not end
    with a space, which = would pass over and LIKE would not."""
    oriented = seen_from(node, side)
    text = string_text(oriented[1][0]) if oriented is not None and oriented[0] is exp.EQ else None
    length = unsigned_number(side.expression if isinstance(side, exp.Left) else side.args.get("length"))
    if text is None or length is None or len(text) != length or text.endswith(" "):
        return None
    escaped = "".join(f"[{c}]" if c in "%_[" else c for c in text)
    return quoted(escaped + "%")


_WHOLE_NUMBERS = ("tinyint", "smallint", "int", "bigint")


def _number_as_text(side: exp.Expression, node: exp.Expression) -> int | None:
    """The whole number a number column converted to text is compared equal with, written as a
    string ('2026'): the same test of the number itself."""
    target, value = conversion(side)
    oriented = seen_from(node, side)
    if (oriented is None or oriented[0] is not exp.EQ or not isinstance(value, exp.Column)
            or not isinstance(target, exp.DataType) or not target.is_type(*exp.DataType.TEXT_TYPES)):
        return None
    text = string_text(oriented[1][0])
    return int(text) if text is not None and text.isdigit() and str(int(text)) == text else None


def _to_number(converted: exp.Cast | exp.Convert) -> bool:
    """The bare column converted to a number: CAST(grade AS int), TRY_CONVERT(int, grade)."""
    target, value = conversion(converted)
    return isinstance(value, exp.Column) and isinstance(target, exp.DataType) and target.is_type(*exp.DataType.NUMERIC_TYPES)


_MOST_LISTED = 24  # a range of more numbers than this is not written out as a list


def _numbers_as_text(column: str, side: exp.Expression, node: exp.Expression,
                     written: Callable[[exp.Expression], str]) -> str:
    """A text column converted to a number and compared (CAST(grade AS int) BETWEEN 9 AND 12): the
    same numbers as texts, listed, for the comparison on the text itself is another range: text
    sorts '9' after '12'."""
    oriented = seen_from(node, side)
    kind, values = oriented if oriented else (None, ())
    if isinstance(node, exp.In) and node.this is side and negation(node) is None:
        kind, values = exp.In, tuple(node.expressions)
    numbers = [whole_number(value) for value in values]
    if kind is exp.Between and None not in numbers and 0 <= numbers[1] - numbers[0] < _MOST_LISTED:
        numbers = list(range(numbers[0], numbers[1] + 1))
    elif kind not in (exp.EQ, exp.In):
        numbers = [None]
    fails = ("" if side.args.get("safe") else f" Converted as it is, any {column} that is not a number ('KG') stops "
             "the query with a conversion error, and an ISNUMERIC test beside it does not prevent that: SQL Server may "
             "convert before it tests.")
    if not numbers or None in numbers:
        return (f"Compare {column} with the texts it holds, listed with IN (...), rather than converting every row; a "
                f"range on the text itself is another range, as text sorts '9' after '12'.{fails}")
    texts = ", ".join(f"'{number}'" for number in dict.fromkeys(numbers))
    kept = f"{column} = {texts}" if len(numbers) == 1 else f"{column} IN ({texts})"
    listed = (f"; BETWEEN on the text would be another range, as text sorts '{numbers[-1]}' before '{numbers[0]}'"
              if kind is exp.Between and len(str(numbers[0])) < len(str(numbers[-1])) else "")
    return (f"Compare {column} with the texts it holds: {kept} instead of {written(negation(node) or node)}, each "
            f"written as the column writes it (with a leading zero, if it keeps one){listed}.{fails}")


def _case_fix(side: exp.Case, node: exp.Expression, written: Callable[[exp.Expression], str]) -> str:
    """A CASE compared with a value, as the conditions it stands for."""
    conditions = case_conditions(side, seen_from(node, side))
    if conditions is None:
        return ("Write the conditions themselves, joined with AND and OR, instead of a CASE: SQL Server works a CASE "
                "out for every row, and can neither seek nor estimate through it.")
    recompile = (" Where a parameter can stand for every value, add OPTION (RECOMPILE) so that each run is planned "
                 "for the value it is given." if any(c.find(exp.Parameter) for c in conditions) else "")
    return (f"Write the conditions the CASE stands for in place of the CASE and its comparison, so that SQL Server "
            f"can use its indexes and statistics on them: {any_of(conditions, written)}.{recompile}")


def _text_meant(parts: list[exp.Expression], node: exp.Expression, side: exp.Expression) -> str | None:
    """The same test on the bare columns, where the text compared says it: a LIKE 'Smi%' whose
    start ends inside the first column (s.lastName LIKE 'Smi%'), or an equality whose value splits
    at the separators ('Smith, John': s.lastName = 'Smith' AND s.firstName = 'John')."""
    oriented = seen_from(node, side)
    text = string_text(oriented[1][0]) if oriented is not None and len(oriented[1]) == 1 else None
    columns, separators = parts[::2], [string_text(p) for p in parts[1::2]]
    if text is None or not all(isinstance(c, exp.Column) for c in columns) or None in separators or len(parts) % 2 == 0:
        return None
    if oriented[0] is exp.Like:
        start = re.split(r"[%_\[]", text, maxsplit=1)[0]
        plain = text == start + "%" and start
        crosses = any(character in start for separator in separators for character in separator)
        return f"{as_written(columns[0])} LIKE {quoted(text)}" if plain and not crosses else None
    if oriented[0] is not exp.EQ:
        return None
    values = [text]
    for separator in separators:
        if not separator or values[-1].count(separator) != 1:
            return None
        values[-1:] = values[-1].split(separator)
    return " AND ".join(f"{as_written(c)} = {quoted(v)}" for c, v in zip(columns, values))


def _added_moved(side: exp.Expression, facts: Known, node: exp.Expression) -> str | None:
    """x + n op v as x op v - n, and x - n op v as x op v + n: the same rows, whole numbers only
    (c.endYear + 1 = 2026 is c.endYear = 2025)."""
    oriented = seen_from(node, side)
    if oriented is None or oriented[0] not in OPERATORS or not isinstance(side, (exp.Add, exp.Sub)):
        return None
    kind, (value,) = oriented
    column, added = side.this, side.expression
    if isinstance(side, exp.Add) and added is facts.ref.node:  # 1 + x
        column, added = added, column
    amount = whole_number(added)
    if column is not facts.ref.node or amount is None or value is None:
        return None
    amount = amount if isinstance(side, exp.Add) else -amount
    number = whole_number(value.unnest())
    moved = str(number - amount) if number is not None else f"{as_written(value)} {'-' if amount >= 0 else '+'} {abs(amount)}"
    return f"{facts.ref.node.sql('tsql')} {OPERATORS[kind]} {moved}"


def _unless_null(side: exp.Coalesce, column: str, node: exp.Expression, nullable: bool,
                 beside: Sequence[Known]) -> str | None:
    """ISNULL(x, d) op v keeps the rows where x op v, and the rows where x is NULL when d op v:
    (x op v OR x IS NULL) when d op v holds, x op v when it cannot or x is never NULL, and both
    tests written out when whether it holds is known only as the query runs. A date column that
    is never NULL (Day.date) holds days of the school years, as today is one: against a
    placeholder ('9999-12-31') the test is known."""
    oriented = seen_from(node, side)
    if oriented is None or oriented[0] not in OPERATORS or len(side.expressions) != 1 or not isinstance(side.this, exp.Column):
        return None
    kind, (value,) = oriented
    stand_in, operator = side.expressions[0], OPERATORS[kind]
    compared = f"{column} {operator} {as_written(value)}"
    kept = holds(stand_in, kind, value) if nullable else False
    # not for GETDATE() itself: a calendar's days run past today, and those are the ones it leaves out
    if kept is None and stand_in.find(exp.CurrentTimestamp, exp.CurrentDate) is None and any(
            k.ref.node is value and not k.column.nullable and type_family(k.column.type) == "date" for k in beside):
        kept = holds(stand_in, kind, exp.CurrentTimestamp())
    if kept is None:
        return f"({compared} OR ({column} IS NULL AND {as_written(stand_in)} {operator} {as_written(value)}))"
    return f"({compared} OR {column} IS NULL)" if kept else compared

"""Predicates that hide a column from its index: a function or arithmetic on the column,
a leading wildcard, CHARINDEX and PATINDEX, conversions SQL Server makes on the column's side,
dates handled as strings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import date_of_datetime, string_text, type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import (
    Compared,
    Known,
    comparisons,
    known_columns,
    severity,
    sides,
)
from advisor.checks.registry import FileContext, Hit, file_rule, statement_rule
from advisor.checks.snippets import shown
from advisor.frontend.parse import Script
from advisor.words import count

# How district SQL writes one day as text; Campus districts are in the United States.
_DAYS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y")
_MONTH_PREFIX = re.compile(r"(\d{4})(?:[-/]?(\d{2}))?%")
_DATE_PARTS = (exp.Year, exp.Month, exp.Day, exp.TsOrDsToDate, exp.Date)
_CASE = (exp.Upper, exp.Lower, exp.Trim)
_PREFIX = (exp.Left, exp.Substring)
_DATE_MATH = (exp.DateDiff, exp.DateAdd, exp.DateSub)
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)


@statement_rule("PR001")
def function_on_column(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        for side in sides(compared.node):
            if isinstance(side, (exp.Column, exp.Subquery, exp.Literal)) or _searches(side) or _date_as_text(side, compared):
                continue
            if compared.predicate.clause == "having" or side.find(exp.AggFunc):
                continue  # computed over groups, after every row is read: no index is involved
            mine = known_columns(side, compared.predicate)
            if len({id(k.ref.relation) for k in mine}) != 1:
                continue  # ISNULL(x.status, a.status): several tables' columns, no bare column to compare
            other = [s for s in sides(compared.node) if s is not side]
            if any(k.ref.relation is mine[0].ref.relation for s in other for k in known_columns(s, compared.predicate)):
                continue  # a.x + 1 > a.y compares a row with itself
            facts = max(mine, key=lambda k: (k.indexed, k.leading, k.table.rows))
            if facts.indexed and date_of_datetime(side, facts.column.type):
                yield Hit(
                    query.span_of(side),
                    f"{shown(side)} still lets SQL Server seek an index on {facts.label} through the conversion to "
                    "date, but the seek also reads the day before, and its row estimate is a guess where a range "
                    "on the bare column would use the column's statistics.",
                    _rewrite(side, facts, compared.node),
                    (facts.table.name,),
                    "info",
                )
                continue
            reach = (f"an index on {facts.column.name} cannot be sought" if facts.indexed
                     else f"no index has {facts.column.name}, so this costs work on every row")
            yield Hit(
                query.span_of(side),
                f"{shown(side)} hides {facts.label} ({count(facts.table.rows)} rows) inside an expression: SQL Server "
                f"computes it for every row it reads, and {reach}.",
                _rewrite(side, facts, compared.node),
                (facts.table.name,),
                severity(facts),
            )


def _rewrite(side: exp.Expression, facts: Known, node: exp.Expression) -> str:
    column = facts.column.name
    to_date = isinstance(side, (exp.Date, exp.TsOrDsToDate)) or date_of_datetime(side, facts.column.type)
    if isinstance(side, _DATE_PARTS) or to_date:
        meant = _same_rows(side, column, node, to_date)
        if meant:
            return f"Compare the bare column with the range it means: {meant} instead of {shown(_negation(node) or node)}."
        return (f"Compare the bare column with a range of dates, such as {column} >= '20260101' AND {column} < '20270101' "
                f"for 2026, instead of {shown(side)}.")
    if isinstance(side, exp.Coalesce):
        return f"Test the column itself: ({column} = @value OR {column} IS NULL) instead of ISNULL({column}, ...) = @value."
    if isinstance(side, _CASE):
        return (f"Compare {column} itself: Campus databases use a case-insensitive collation, and trailing spaces "
                "do not count in comparisons, so UPPER, LOWER and RTRIM change nothing but the plan.")
    if isinstance(side, _PREFIX):
        return f"Match the start with LIKE, which can seek: {column} LIKE 'ABC%' instead of LEFT({column}, 3) = 'ABC'."
    if isinstance(side, _DATE_MATH):
        return (f"Move the date arithmetic to the other side: {column} >= DATEADD(day, -30, GETDATE()) "
                f"instead of DATEDIFF(day, {column}, GETDATE()) <= 30.")
    if isinstance(side, _ARITHMETIC):
        return f"Move the arithmetic to the value side, so that {column} stands alone: {column} > @x - 1, not {column} + 1 > @x."
    if isinstance(side, (exp.Cast, exp.Convert)):
        return f"Compare {column} with a value of its own type ({facts.column.type}) and drop the conversion."
    return f"Compare {column} itself and move the computation to the value side, or add a computed column and index it."


@statement_rule("PR002")
def leading_wildcard(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        node = compared.node
        if not isinstance(node, exp.Like) or not isinstance(node.this.unnest(), exp.Column):
            continue
        pattern = _first_text(node.expression)
        if pattern is None or not pattern.startswith(("%", "_")):
            continue
        for facts in known_columns(node.this, compared.predicate):
            if not facts.indexed:
                continue  # no index to seek: the table is read whole whatever the pattern
            yield Hit(
                query.span_of(node),
                f"LIKE '{pattern}' starts with a wildcard: SQL Server cannot seek {facts.label} and tests every one "
                f"of its {count(facts.table.rows)} rows.",
                f"Search from the start of the value (LIKE '{pattern.strip('%_')}%') when that is what is meant; "
                "for searches inside values, limit the rows first (a year, a school) so fewer are tested.",
                (facts.table.name,),
                severity(facts),
            )


def _first_text(node: exp.Expression) -> str | None:
    """The literal text a pattern starts with: '%' + @name starts with '%'."""
    node = node.unnest()
    while isinstance(node, (exp.DPipe, exp.Add, exp.Concat)):
        node = (node.expressions[0] if isinstance(node, exp.Concat) else node.this).unnest()
    return string_text(node)


@statement_rule("PR003")
def charindex_filter(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        for side in sides(compared.node):
            if not _searches(side):
                continue
            for facts in known_columns(side, compared.predicate):
                if not facts.indexed:
                    continue  # no index to seek: the table is read whole whatever the search
                yield Hit(
                    query.span_of(side),
                    f"{shown(side)} searches inside {facts.label} for every one of its {count(facts.table.rows)} "
                    "rows: no index can help.",
                    "When the text starts the value, use LIKE 'text%', which can seek; otherwise limit the rows "
                    "first (a year, a school) so that fewer are searched.",
                    (facts.table.name,),
                    severity(facts),
                )
                break


def _searches(side: exp.Expression) -> bool:
    return isinstance(side, exp.StrPosition) or (isinstance(side, exp.Anonymous) and side.name.upper() == "PATINDEX")


@file_rule("PR004")
def implicit_conversion(context: FileContext) -> Iterator[Hit]:
    declared = _declared_types(context.script)
    for query in context.queries:
        for compared in comparisons(query):
            for subject, values in _column_and_values(compared.node):
                if not any(_may_outrank(value, declared) for value in values):
                    continue
                for facts in known_columns(subject, compared.predicate):
                    reason = next((r for v in values if (r := _converts(facts, v, compared, declared)) is not None), None)
                    if reason is None:
                        continue
                    yield Hit(
                        query.span_of(compared.node),
                        f"{facts.label} is {facts.column.type}; {reason}, so SQL Server converts the column on every "
                        f"one of its {count(facts.table.rows)} rows and cannot seek it.",
                        "Compare it with a value of its own type: quote numbers compared with text columns ('12345'), "
                        "declare variables with the column's type, and drop the N from N'...' against varchar columns.",
                        (facts.table.name,),
                        severity(facts),
                    )


def _column_and_values(node: exp.Expression) -> list[tuple[exp.Column, list[exp.Expression]]]:
    """Each bare column of a comparison with what it is compared with: both ways round for =, <...;
    the tested column of IN."""
    if isinstance(node, exp.In):
        pairs = [(node.this.unnest(), [v.unnest() for v in node.expressions])]
    elif isinstance(node, (exp.Like, exp.Between)):
        return []
    else:
        left, right = node.this.unnest(), node.expression.unnest()
        pairs = [(left, [right]), (right, [left])]
    return [(column, values) for column, values in pairs if isinstance(column, exp.Column)]


def _may_outrank(value: exp.Expression, declared: dict[str, str]) -> bool:
    """Whether a value's type could rank above a text column's: a number, N'...', a declared
    variable or another column. Most comparisons are with strings, and are done here."""
    return ((isinstance(value, exp.Literal) and not value.is_string) or isinstance(value, (exp.National, exp.Column))
            or (isinstance(value, exp.Parameter) and value.name.lower() in declared))


def _declared_types(script: Script) -> dict[str, str]:
    """The type of every variable the file DECLAREs, by lower-case name without the @."""
    found = {}
    for statement in script.statements:
        if isinstance(statement.tree, exp.Declare):
            for item in statement.tree.expressions:
                kind = item.args.get("kind")
                for variable in item.this if isinstance(item.this, list) else [item.this]:
                    if isinstance(kind, exp.DataType) and isinstance(variable, exp.Parameter):
                        found[variable.name.lower()] = kind.sql("tsql").lower().replace("integer", "int")
    return found


def _converts(facts: Known, value: exp.Expression, compared: Compared, declared: dict[str, str]) -> str | None:
    """Why the column's side converts, if it does: SQL Server converts the side whose type ranks
    lower, and text ranks below numbers and dates, and varchar below nvarchar."""
    if type_family(facts.column.type) != "text":
        return None
    varchar = facts.column.type.lower().startswith(("varchar", "char"))
    if isinstance(value, exp.Literal) and not value.is_string:
        return f"comparing it with the number {value.sql('tsql')} turns every value into a number"
    if isinstance(value, exp.National) and varchar:
        return f"N'{value.this}' is nvarchar, which outranks it"
    if isinstance(value, exp.Parameter) and value.name.lower() in declared:
        named, kind = f"@{value.name}", declared[value.name.lower()]
    elif isinstance(value, exp.Column):
        other = next(iter(known_columns(value, compared.predicate)), None)
        if other is None:
            return None
        named, kind = other.label, other.column.type.lower()
    else:
        return None
    if type_family(kind) in ("number", "date") or (varchar and kind.startswith(("nvarchar", "nchar"))):
        return f"{named} is {kind}, which outranks it"
    return None


@statement_rule("PR005")
def dates_as_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        for side in sides(compared.node):
            if not _date_as_text(side, compared):
                continue
            for facts in known_columns(side, compared.predicate):
                yield Hit(
                    query.span_of(compared.node),
                    f"{shown(compared.node)} compares {facts.label}, a {facts.column.type}, as text: SQL Server "
                    f"formats every one of its {count(facts.table.rows)} rows as a string, cannot seek, and the result "
                    "depends on the format and the server's language.",
                    _date_range_fix(facts.ref.node.sql("tsql"), _oriented(compared.node, side)),
                    (facts.table.name,),
                    severity(facts),
                )
                break


def _same_rows(side: exp.Expression, column: str, node: exp.Expression, to_date: bool) -> str | None:
    """The condition on the bare column that keeps the rows the comparison keeps, when its value
    says which: YEAR(date) = 2026, 2026 = YEAR(date), CAST(date AS date) = '2026-03-02' (`to_date`:
    the side is the column's date)."""
    oriented = _oriented(node, side)
    if oriented is None:
        return None
    if isinstance(side, exp.Year):
        return _year_condition(column, oriented)
    day = _range_meant(oriented) if oriented[0] is exp.EQ and to_date else None
    return _between(column, *day) if day else None


# The comparison read from the other side: 2025 < YEAR(d) is YEAR(d) > 2025.
_MIRRORED = {exp.EQ: exp.EQ, exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE}
# The comparison under NOT: NOT (YEAR(d) < 2026) is YEAR(d) >= 2026. NOT (x = y) keeps no one range.
_NEGATED = {exp.GT: exp.LTE, exp.GTE: exp.LT, exp.LT: exp.GTE, exp.LTE: exp.GT}

Oriented = tuple[type, tuple[exp.Expression | None, ...]]


def _oriented(node: exp.Expression, side: exp.Expression) -> Oriented | None:
    """The comparison as `side` sees it: its operator as if `side` were on the left and not
    negated, and what it is compared with (a BETWEEN's two bounds)."""
    kind = type(node)
    if node.this is side:
        values = (node.args.get("low"), node.args.get("high")) if kind is exp.Between else (node.args.get("expression"),)
    elif node.args.get("expression") is side and kind in _MIRRORED:
        kind, values = _MIRRORED[kind], (node.this,)
    else:
        return None
    if _negation(node) is not None:
        kind = _NEGATED.get(kind)
    return (kind, values) if kind is not None else None


def _negation(node: exp.Expression) -> exp.Not | None:
    """The NOT around a comparison, through any parentheses."""
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    return parent if isinstance(parent, exp.Not) else None


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
    if isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit() and 1753 <= int(value.this) < 9999:
        return f"'{int(value.this) + later}0101'"
    if isinstance(value, exp.Parameter):
        return f"DATEFROMPARTS({value.sql('tsql')}{' + 1' if later else ''}, 1, 1)"
    return None


def _date_range_fix(column: str, oriented: Oriented | None) -> str:
    # an example when the value does not say
    first, after = (_range_meant(oriented) if oriented else None) or (date(2026, 1, 5), date(2026, 1, 6))
    return f"Compare the date itself with a date range: {_between(column, first, after)} (yyyymmdd reads the same in every language)."


def _between(column: str, first: date, after: date) -> str:
    return f"{column} >= '{first:%Y%m%d}' AND {column} < '{after:%Y%m%d}'"


def _range_meant(oriented: Oriented) -> tuple[date, date] | None:
    """The dates a comparison's text means: a day for = '2026-03-02' or = '03/02/2026', a month or
    a year for LIKE '2026-03%' or LIKE '2026%'."""
    kind, values = oriented
    value = values[0] if kind in (exp.EQ, exp.Like) else None
    if not isinstance(value, exp.Literal):
        return None
    text = value.this
    for pattern in _DAYS if kind is exp.EQ and value.is_string else ():
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day, day + timedelta(days=1)
    month = _MONTH_PREFIX.fullmatch(text) if kind is exp.Like else None
    if not month or not 1 <= int(month.group(2) or 1) <= 12:
        return None
    year, number = int(month.group(1)), int(month.group(2) or 0)
    return date(year, number or 1, 1), date(year + 1, 1, 1) if number in (0, 12) else date(year, number + 1, 1)


def _date_as_text(side: exp.Expression, compared) -> bool:
    """CONVERT(varchar, a.date, 101) = '...', CAST(a.date AS char(10)) LIKE ..., a.date LIKE '2026%'."""
    if isinstance(side, exp.Column) and isinstance(compared.node, exp.Like):
        return any(type_family(k.column.type) == "date" for k in known_columns(side, compared.predicate))
    for conversion in side.find_all(exp.Cast, exp.Convert):
        target, operand = (conversion.to, conversion.this) if isinstance(conversion, exp.Cast) else (conversion.this, conversion.expression)
        if (isinstance(target, exp.DataType) and target.is_type(*exp.DataType.TEXT_TYPES) and operand is not None
                and any(type_family(k.column.type) == "date" for k in known_columns(operand, compared.predicate))):
            return True
    return False

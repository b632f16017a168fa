"""Reading one condition: which side of a comparison is the column and which the value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlglot import exp

from advisor.catalog.model import type_parts

# The conditions that compare a value: none is true where the value is NULL.
COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.In, exp.Between)
_RANGES = (exp.GT, exp.GTE, exp.LT, exp.LTE)
_TEXT = ("char", "varchar", "nchar", "nvarchar", "text", "ntext")
_NUMBERS = ("bit", "tinyint", "smallint", "int", "bigint", "decimal", "numeric", "money", "smallmoney", "float", "real")
_DATES = ("date", "datetime", "datetime2", "smalldatetime", "datetimeoffset")


_FLIPPED = {"lower": "upper", "upper": "lower", None: None}
# How district SQL writes one day as text; Campus districts are in the United States.
DAY_SPELLINGS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y")
NOW = (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentDatetime)  # GETDATE(), SYSDATETIME(), CURRENT_TIMESTAMP
_DATE_TYPES = (exp.DataType.Type.DATE, exp.DataType.Type.DATETIME, exp.DataType.Type.DATETIME2,
               exp.DataType.Type.SMALLDATETIME)


@dataclass(frozen=True)
class Comparison:
    """`subject` compared with `values`: an equality, a range, an IN list, a LIKE or IS NULL."""

    operator: str  # "eq", "range", "in", "in query", "like", "null"
    subject: exp.Expression
    values: tuple[exp.Expression, ...]
    # For a one-sided range, the bound it puts on the subject: date >= x is a lower bound.
    bound: str | None = None

    @property
    def between(self) -> bool:
        """BETWEEN: its two ends are two conditions, so every one of its readings that fits holds."""
        return self.operator == "range" and len(self.values) == 2

    def sides(self) -> list[tuple[exp.Expression, tuple[exp.Expression, ...], str | None]]:
        """Each way to read it as (column side, value side, bound on the column side): both
        ways for = and one-sided ranges; for BETWEEN, also each end against the tested value."""
        if self.operator in ("eq", "range") and len(self.values) == 1:
            return [(self.subject, self.values, self.bound), (self.values[0], (self.subject,), _FLIPPED[self.bound])]
        if self.operator == "range":  # GETDATE() BETWEEN t.startDate AND t.endDate: two one-sided ranges
            low, high = self.values
            return [(self.subject, self.values, None), (low, (self.subject,), "upper"), (high, (self.subject,), "lower")]
        return [(self.subject, self.values, self.bound)]


# DATEPART's units as sqlglot reads them, each for the part it takes; DATENAME's formats alike
_SPELLINGS = {spelling: part for part, spellings in (
    ("year", ("YEAR", "YY", "YYYY", "%Y")), ("quarter", ("QUARTER", "QQ", "Q")),
    ("month", ("MONTH", "MM", "M", "%B")), ("day", ("DAY", "DD", "D", "DAYOFMONTH", "%d")),
    ("weekday", ("WEEKDAY", "DAYOFWEEK", "DW", "W", "%A")), ("dayofyear", ("DAYOFYEAR", "DY", "Y")),
    ("week", ("WEEK", "WEEKOFYEAR", "WK", "WW", "ISO_WEEK")), ("hour", ("HOUR", "HH")), ("minute", ("MINUTE", "MI", "N")),
) for spelling in spellings}
_FUNCTIONS = {exp.Year: "year", exp.Month: "month", exp.Day: "day"}


def date_part(side: exp.Expression) -> str | None:
    """The part of a date that YEAR(d), MONTH(d), DAY(d), DATEPART(unit, d) or DATENAME(unit, d) takes."""
    if type(side) in _FUNCTIONS:
        return _FUNCTIONS[type(side)]
    unit = side.this if isinstance(side, exp.Extract) else side.args.get("format") if isinstance(side, exp.TimeToStr) else None
    if isinstance(unit, exp.Var):
        return _SPELLINGS.get(unit.name.upper())
    return _SPELLINGS.get(unit.name) if isinstance(unit, exp.Literal) else None


def date_of(side: exp.Expression) -> exp.Expression:
    """The date a part is taken of: MONTH(d)'s d, DATEPART(month, d)'s d. The front end has
    refused the calls that name no date (YEAR(), DATEPART(year))."""
    return side.expression if isinstance(side, exp.Extract) else side.this


def years_from_now(value: exp.Expression) -> int | None:
    """For today's calendar year give or take whole years (YEAR(GETDATE()) - 1, DATEPART(year,
    SYSDATETIME())), the years added; None for any other value."""
    value = value.unnest()
    shift = 0
    if isinstance(value, (exp.Add, exp.Sub)) and (steps := whole_number(value.expression)) is not None:
        shift, value = (steps if isinstance(value, exp.Add) else -steps), value.this.unnest()
    if date_part(value) != "year" or isinstance(value, exp.TimeToStr):  # DATENAME(year, ...) is text
        return None
    return shift if isinstance(unconverted(date_of(value)), NOW) else None


def equated(node: exp.Expression) -> tuple[exp.Expression, exp.Expression] | None:
    """The two sides of a condition that makes one value equal another: a = b, and a IN (b) of one
    value, which SQL Server reads as a = b. Not IN (@p): in a report's dataset that is how a
    parameter of many values is written, and Reporting Services puts all of them in its place."""
    if isinstance(node, exp.EQ):
        return node.this.unnest(), node.expression.unnest()
    if (isinstance(node, exp.In) and node.args.get("query") is None and len(node.expressions) == 1
            and not isinstance(node.expressions[0].unnest(), exp.Parameter)):
        return node.this.unnest(), node.expressions[0].unnest()
    return None


def comparison(node: exp.Expression) -> Comparison | None:
    node = node.unnest()
    if isinstance(node, exp.EQ):
        return Comparison("eq", node.this, (node.expression,))
    if isinstance(node, _RANGES):
        bound = "lower" if isinstance(node, (exp.GT, exp.GTE)) else "upper"
        return Comparison("range", node.this, (node.expression,), bound)
    if isinstance(node, exp.Between):
        return Comparison("range", node.this, (node.args["low"], node.args["high"]))
    if isinstance(node, exp.Not) and isinstance(negated := node.this.unnest(), _RANGES):
        # NOT (date < x) keeps what date >= x keeps, NULLs included: neither keeps them
        within = comparison(negated)
        return Comparison("range", within.subject, within.values, _FLIPPED[within.bound])
    if isinstance(node, exp.In):
        if node.args.get("query") is not None:
            return Comparison("in query", node.this, ())
        return Comparison("in", node.this, tuple(node.expressions))
    if isinstance(node, exp.Escape) and isinstance(node.this, exp.Like):
        node = node.this  # LIKE '10\%%' ESCAPE '\\': the pattern still starts the same way
    if isinstance(node, exp.Like) and not node.args.get("negate"):  # sqlglot keeps NOT LIKE as a flag, not a NOT
        return Comparison("like", node.this, (node.expression,))
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return Comparison("null", node.this, ())
    return None


def string_text(node: exp.Expression | None) -> str | None:
    """The text of a string literal, 'Smith' or N'Smith'; None for anything else."""
    if isinstance(node, exp.National) or (isinstance(node, exp.Literal) and node.is_string):
        return node.name
    return None


def literal_text(node: exp.Expression) -> str | None:
    """A literal's value as written, without quotes: 'P' gives P, 0 gives 0."""
    node = node.unnest()
    return node.name if isinstance(node, exp.Literal) else string_text(node)


def unconverted(value: exp.Expression) -> exp.Expression:
    """A value without the conversions to a date type around it: CAST(GETDATE() AS date), and the
    TsOrDsToDate sqlglot puts around what YEAR() reads."""
    while (isinstance(value, (exp.Cast, exp.TryCast)) and value.to.this in _DATE_TYPES) or isinstance(value, exp.TsOrDsToDate):
        value = value.this
    return value.unnest()


def literal_number(node: exp.Expression | None) -> float | None:
    """A number literal's value: 7, 2.5, 1e3; None for anything else, and for what sqlglot reads as
    a number but is none (`TOP 1.endYear` with its alias lost reads 1.e)."""
    if not isinstance(node, exp.Literal) or node.is_string:
        return None
    try:
        return float(node.name)
    except ValueError:
        return None


WIDEST_INT = 2**31 - 1  # a whole number written out up to this is an int; past it, a numeric


def unsigned_number(node: exp.Expression | None) -> int | None:
    """A whole number written out without a sign: 7, not -7, '7' or @n."""
    return int(node.this) if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit() else None


def whole_number(node: exp.Expression | None) -> int | None:
    """A whole number written out, with or without a minus sign: 7, -7."""
    if isinstance(node, exp.Neg):
        found = unsigned_number(node.this)
        return -found if found is not None else None
    return unsigned_number(node)


def written_date(text: str, spellings: tuple[str, ...]) -> date | None:
    """The day a literal's text spells in one of these strptime formats, or None."""
    if text.isdigit() and len(text) != 8:
        return None  # strptime reads '202612' as %Y%m%d, 2 January; SQL Server reads six digits as yymmdd: left unread
    for spelling in spellings:
        try:
            return datetime.strptime(text, spelling).date()
        except ValueError:
            continue
    return None


def conversion(node: exp.Expression | None) -> tuple[exp.Expression | None, exp.Expression | None] | None:
    """The type and the value of CAST(value AS type) or CONVERT(type, value), or None."""
    if isinstance(node, exp.Cast):
        return node.args.get("to"), node.this
    if isinstance(node, exp.Convert):
        return node.this, node.expression
    return None


def converts_to_date(node: exp.Expression | None) -> bool:
    """CAST(... AS date) or CONVERT(date, ...)."""
    found = conversion(node)
    return found is not None and isinstance(found[0], exp.DataType) and found[0].this == exp.DataType.Type.DATE


def date_of_datetime(side: exp.Expression, column_type: str) -> bool:
    """CAST(col AS date) or CONVERT(date, col) of a column of this type that holds a date and a
    time: the one conversion through which SQL Server still seeks an index on the column (a
    dynamic seek over the range of times that fall on the date)."""
    if isinstance(side, exp.TryCast) or side.args.get("format") or not converts_to_date(side):
        return False
    column = conversion(side)[1]
    return (isinstance(column, exp.Column) and type_family(column_type) == "date"
            and not column_type.lower().startswith("datetimeoffset"))


def column_converted(column_type: str, values: tuple[exp.Expression, ...]) -> bool:
    """A text column compared with a number (studentNumber = 12345), or a varchar column with an
    N'...' text: the value's type outranks the column's, so SQL Server converts every value of the
    column and cannot seek an index on it (under the SQL collations Campus uses)."""
    if type_family(column_type) != "text":
        return False
    varchar = column_type.lower().startswith(("varchar", "char"))
    return any((isinstance(v, exp.Literal) and not v.is_string) or (varchar and isinstance(v, exp.National)) for v in values)


# Calls whose value is always a whole number: a count, a length, a difference or part of dates
WHOLE_NUMBER_CALLS = (exp.Count, exp.DateDiff, exp.Length, exp.Year, exp.Month, exp.Day)


# The whole numbers each integer type holds
INTEGER_RANGES = {"tinyint": (0, 255), "smallint": (-32_768, 32_767), "int": (-2**31, 2**31 - 1),
                  "integer": (-2**31, 2**31 - 1), "bigint": (-2**63, 2**63 - 1)}


def holds_number(number: Decimal, sql_type: str) -> bool:
    """Whether a number type holds the number without an overflow error: an integer type's range
    (a fraction is cut to its whole part first), a decimal's digits before its point."""
    parts = type_parts(sql_type.lower())
    if parts is None:
        return True
    name, precision, scale = parts
    if name in INTEGER_RANGES:
        low, high = INTEGER_RANGES[name]
        return low <= int(number) <= high
    if name in ("decimal", "dec", "numeric"):
        return abs(number) < Decimal(10) ** (int(precision or 18) - int(scale or 0))
    return True


def type_family(sql_type: str) -> str | None:
    """text, number or date, for a declared SQL Server type such as varchar(15)."""
    name = sql_type.lower().split("(")[0].strip()
    if name in _TEXT:
        return "text"
    if name in _NUMBERS:
        return "number"
    if name in _DATES:
        return "date"
    return None


def conversion_parts(node: exp.Cast | exp.Convert) -> tuple[exp.Expression | None, exp.Expression | None]:
    """The type a CAST or CONVERT converts to and the value it converts: CAST(value AS type),
    CONVERT(type, value[, style])."""
    if isinstance(node, exp.Cast):
        return node.args.get("to"), node.this
    return node.this, node.expression


CAST_TEXT_LENGTH = 30  # what CAST and CONVERT give a text type written without its length


def type_name(sql_type: str) -> str:
    """A declared type's name alone, in lower case: decimal(6, 3) decimal, INTEGER int."""
    return sql_type.lower().split("(")[0].strip().replace("integer", "int")


# What text each kind of number takes, as SQL Server converts it: an integer digits alone (blanks
# are 0), a decimal a point as well (but not blanks), a float an exponent too (blanks are 0)
_INTEGER_TEXT = re.compile(r"\s*(?:[-+]?\d+)?\s*")
_EXACT_TEXT = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*")
_FLOAT_TEXT = re.compile(r"\s*(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)?\s*")
_BIT_TEXT = re.compile(r"\s*(?:[-+]?\d+|true|false)?\s*", re.IGNORECASE)  # 'TRUE' is 1, 'false' 0
# A day written in digits alone in one of DAY_SPELLINGS' shapes: whether it exists is known
_DIGITS_DAY = re.compile(r"\d{4}([-/])\d{1,2}\1\d{1,2}|\d{1,2}([-/])\d{1,2}\2\d{4}|\d{8}")
_TEXT_OF = {"tinyint": _INTEGER_TEXT, "smallint": _INTEGER_TEXT, "int": _INTEGER_TEXT, "bigint": _INTEGER_TEXT,
            "decimal": _EXACT_TEXT, "numeric": _EXACT_TEXT, "float": _FLOAT_TEXT, "real": _FLOAT_TEXT, "bit": _BIT_TEXT}


def becomes(text: str, sql_type: str) -> bool:
    """Whether SQL Server turns this text into a value of this number or date type without an
    error: '12' an int, '12.5' a decimal but not an int, 'true' a bit, '2099-12-31' or a blank a date.
    A type it does not know (money) takes what looks like a number. SQL Server reads many
    spellings of a day ('July 1, 2026', '2026' for its first day, '20 Aug 2026'): a text is
    refused a date type only where it has no digit, is digits alone but not 4, 6 or 8 of them
    (a year, yymmdd, yyyymmdd), or is a day of digits alone that does not exist ('2026-02-30')."""
    name = type_name(sql_type)
    if type_family(name) == "date":
        day = text.strip()
        if not day:
            return True
        if names_no_day(day) or digits_of_no_day(day):
            return False
        return not _DIGITS_DAY.fullmatch(day[:10]) or written_date(day[:10], DAY_SPELLINGS) is not None
    return _TEXT_OF.get(name, _EXACT_TEXT).fullmatch(text) is not None


def names_no_day(text: str) -> bool:
    """Text that no spelling of a day has: not blank (a blank is 1 January 1900), and no digit."""
    return bool(text.strip()) and not any(character.isdigit() for character in text)


def digits_of_no_day(text: str) -> bool:
    """Digits alone that SQL Server reads as no day: a day written without separators has 4 of
    them (a year, its 1 January), 6 (yymmdd) or 8 (yyyymmdd), and '9' or '12345' stop a
    conversion to a date (error 241)."""
    day = text.strip()
    return day.isdigit() and len(day) not in (4, 6, 8)


def blank(value: exp.Expression | None) -> bool:
    """A string of blanks written out: '', '  '."""
    text = string_text(value)
    return text is not None and not text.strip()


def null_tested_beside(node: exp.Expression, column: exp.Expression) -> bool:
    """Whether an OR round `node` tests `column` IS NULL on its other side: (e.endDate = '' OR
    e.endDate IS NULL) finds the rows without a value whatever `node` finds."""
    child, parent = node, node.parent
    while isinstance(parent, (exp.Paren, exp.Or)):
        if isinstance(parent, exp.Or):
            other = parent.expression if child is parent.this else parent.this
            if tests_null(other, column):
                return True
        child, parent = parent, parent.parent
    return False


def tests_null(node: exp.Expression, column: exp.Expression) -> bool:
    """Whether `node` holds `column` IS NULL, not under its own NOT."""
    return any(isinstance(test.expression, exp.Null) and not isinstance(test.parent, exp.Not) and test.this == column
               for test in node.find_all(exp.Is))


def text_length(sql_type: str) -> float | None:
    """The most characters a declared text type holds: varchar(50) 50; varchar(max), text and ntext
    no end; varchar with no length 1, as a column or a DECLARE takes it. None for a type that is
    not text."""
    parts = type_parts(sql_type)
    if parts is None or type_family(parts[0]) != "text":
        return None
    name, length, _ = parts
    if length == "max" or name in ("text", "ntext"):
        return math.inf
    return int(length) if length and length.isdigit() else 1


def conversion_error(sql_type: str, value: str = "...", text_type: str = "varchar") -> str:
    """The error that stops SQL Server converting a text (`value`, in quotes, of `text_type`:
    nvarchar for N'...') that is not a value of this type: error 245 names the integer type, the
    other numbers' is 8114, money's 235."""
    name = type_name(sql_type)
    if type_family(name) == "date":
        return "error 241 (\"Conversion failed when converting date and/or time from character string\")"
    if name in ("decimal", "numeric", "bigint", "float", "real"):
        return f"error 8114 (\"Error converting data type {text_type} to {'numeric' if name == 'decimal' else name}\")"
    if name in ("money", "smallmoney"):
        return "error 235 (\"Cannot convert a char value to money. The char value has incorrect syntax\")"
    if name in ("bit", "tinyint", "smallint", "int"):
        return f"error 245 (\"Conversion failed when converting the {text_type} value {value} to data type {name}\")"
    return "a conversion error"


def never_true(condition: exp.Expression | None) -> bool:
    """WHERE 1 = 0 (the idiom that copies a table's columns and no rows): a comparison of two
    literals that is false, AND-ed with the rest. SQL Server sees it as it compiles the query and
    reads no table at all."""
    for part in conjuncts(condition):
        left, right = part.args.get("this"), part.args.get("expression")
        if isinstance(part, (exp.EQ, exp.NEQ)) and isinstance(left, exp.Literal) and isinstance(right, exp.Literal):
            same = same_literal(left, right)
            if same is not None and same != isinstance(part, exp.EQ):
                return True
    return False


def same_literal(left: exp.Literal, right: exp.Literal) -> bool | None:
    """Whether two literals are the same value; None for a string and a number, which SQL Server
    would convert one way or the other: sqladvise does not guess."""
    if left.is_string != right.is_string:
        return None
    if left.is_string:
        return left.name.lower() == right.name.lower()
    numbers = literal_number(left), literal_number(right)
    return numbers[0] == numbers[1] if None not in numbers else None


def conjuncts(condition: exp.Expression | None) -> list[exp.Expression]:
    """The AND-ed parts of a condition, without the parentheses around each."""
    return flatten(condition, exp.And) if condition is not None else []


def disjuncts(node: exp.Expression) -> list[exp.Expression]:
    """The OR-ed branches of a condition."""
    return flatten(node, exp.Or)


def flatten(node: exp.Expression, kind: type[exp.Expression], through_parentheses: bool = True) -> list[exp.Expression]:
    """The operands of a chain of one operator (a AND b AND c), in order, without their
    parentheses; or, not `through_parentheses`, only as far as it is written without them.
    Iterative: generated SQL chains thousands of them."""
    found: list[exp.Expression] = []
    stack = [node]
    while stack:
        current = stack.pop().unnest() if through_parentheses else stack.pop()
        if isinstance(current, kind):
            stack.extend((current.expression, current.this))
        else:
            found.append(current)
    return found


def compared_with_itself(node: exp.Expression) -> tuple[exp.Column, exp.Parameter] | None:
    """col = ISNULL(@p, col), col = CASE WHEN @p = 0 THEN col ELSE @p END, col = IIF(@p = 0, col, @p)
    and the like: the column and the parameter whose value makes it compared with itself, so that
    the condition then keeps every row."""
    if not isinstance(node, exp.EQ):
        return None
    for column, other in ((node.this, node.expression), (node.expression, node.this)):
        if not isinstance(column, exp.Column) or not isinstance(other, (exp.Coalesce, exp.Case, exp.If)):
            continue
        if isinstance(other, exp.Coalesce):  # the first value that is not NULL: the parameter's must come first
            outcomes = [other.this, *other.expressions]
        elif isinstance(other, exp.Case):
            outcomes = [when.args.get("true") for when in other.args.get("ifs") or []] + [other.args.get("default")]
        else:
            outcomes = [other.args.get("true"), other.args.get("false")]
        at = next((i for i, e in enumerate(outcomes) if isinstance(e, exp.Column) and e.name.lower() == column.name.lower()
                   and e.table.lower() == column.table.lower()), None)
        switches = outcomes[:at] if isinstance(other, exp.Coalesce) else [other]
        switch = next((found for e in switches if e is not None and (found := e.find(exp.Parameter)) is not None), None)
        if at is not None and switch is not None:
            return column, switch
    return None


def concatenated(side: exp.Expression) -> list[exp.Expression] | None:
    """The pieces a concatenation joins, in order (a + ', ' + b, CONCAT(a, ', ', b)); None for
    anything else. A plain stack: 'a' + 'b' + ... nests as deep as it is long."""
    if isinstance(side, exp.Concat):
        return list(side.expressions)
    if not isinstance(side, (exp.Add, exp.DPipe)):
        return None
    pieces, stack = [], [side]
    while stack:
        node = stack.pop()
        if isinstance(node, (exp.Add, exp.DPipe)):
            stack += [node.expression, node.this]
        elif isinstance(node, exp.Concat) and node is not side:
            pieces += node.expressions
        else:
            pieces.append(node)
    return pieces

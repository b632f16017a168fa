"""A type's length, precision or scale outside what SQL Server takes: varchar(10000), nvarchar(5000),
decimal(40, 2), decimal(5, 7), datetime2(9). sqlglot reads any number there; SQL Server refuses the
statement before it runs, so the rules would have judged a query that never runs."""

from __future__ import annotations

from sqlglot import exp

from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree

_TYPE = exp.DataType.Type
# The longest a type of text or bytes can be, and the type that holds longer values
_LONGEST = {_TYPE.CHAR: (8000, "varchar"), _TYPE.VARCHAR: (8000, "varchar"), _TYPE.BINARY: (8000, "varbinary"),
            _TYPE.VARBINARY: (8000, "varbinary"), _TYPE.NCHAR: (4000, "nvarchar"), _TYPE.NVARCHAR: (4000, "nvarchar")}
_TIMES = frozenset({_TYPE.DATETIME2, _TYPE.TIME, _TYPE.TIMESTAMPTZ})  # datetime2(n), time(n), datetimeoffset(n)
_ANY_TYPE_LONGEST = 8000


def check_type_size(node: exp.DataType, text: str) -> None:
    """The error for a type whose size SQL Server refuses, where it is written."""
    sizes = [_number(param) for param in node.expressions]
    if not sizes or None in sizes:  # varchar(max), or a size sqlglot would not read as a number
        return
    where = text_bounds(node, text)
    written = text[where[0] : where[1]] if where else node.sql("tsql")
    kind, first = node.this, sizes[0]
    if kind in _LONGEST:
        if first == 0:
            raise WrongTree(f"{written} has a length of 0, and SQL Server rejects it (error 1001): a length is at least 1",
                            where)
        longest, unbounded = _LONGEST[kind]
        if first > longest:
            error = " (error 131)" if first > _ANY_TYPE_LONGEST else ""
            raise WrongTree(f"{written} is longer than SQL Server allows, {longest}, and it rejects it{error}: "
                            f"{unbounded}(max) holds longer values", where)
    elif kind == _TYPE.DECIMAL:
        if not 1 <= first <= 38:
            raise WrongTree(f"{written} has a precision of {first} digits, and SQL Server takes 1 to 38 (error 2750)", where)
        if len(sizes) > 1 and sizes[1] > first:
            raise WrongTree(f"{written} has a scale of {sizes[1]}, more digits after the point than its precision of "
                            f"{first} in all, and SQL Server rejects it (error 2751)", where)
    elif kind == _TYPE.FLOAT and not 1 <= first <= 53:
        raise WrongTree(f"{written} has a precision of {first} bits, and SQL Server takes 1 to 53 (error 2750)", where)
    elif kind in _TIMES and first > 7:
        raise WrongTree(f"{written} keeps {first} digits of a second, and SQL Server keeps at most 7 (error 1002)", where)


def _number(param: exp.Expression) -> int | None:
    value = param.this if isinstance(param, exp.DataTypeParam) else param
    return int(value.name) if isinstance(value, exp.Literal) and value.name.isdigit() else None

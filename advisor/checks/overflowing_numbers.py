"""CL027: a number too large for the whole-number or decimal type it is given. A constant past the
type's range (DECLARE @n tinyint = 300, CAST(100.0 AS decimal(4, 2))) stops its statement every
time it runs; a percentage cast to a decimal with fewer than three digits before its point stops
it at the first row where the percentage reaches 100, often only after the extract has run
cleanly for months."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import INTEGER_RANGES, conversion, holds_number
from advisor.analysis.script import assignments, declared
from advisor.catalog.model import type_parts
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file

_WIDER = {"tinyint": "smallint", "smallint": "int", "int": "bigint", "integer": "bigint"}
_DECIMALS = {"decimal", "dec", "numeric"}
_KINDS = {exp.DataType.Type.UTINYINT, exp.DataType.Type.SMALLINT, exp.DataType.Type.INT, exp.DataType.Type.BIGINT,
          exp.DataType.Type.DECIMAL}
_OVERFLOW = "an arithmetic overflow error (220 or 8115, \"Arithmetic overflow error ...\")"
_HUNDRED = Decimal(100)


@file_rule("CL027")
def overflowing_number(context: FileContext) -> Iterator[Hit]:
    types: dict[str, tuple[Query, exp.DataType]] = {}  # each variable's DECLARE and the type it gives it
    for query in context.queries:
        tree = query.statement.tree
        if tree is None:
            continue
        for variable, item in declared(tree):
            if isinstance(variable, exp.Parameter) and isinstance(item.args.get("kind"), exp.DataType):
                types.setdefault(variable.name.lower(), (query, item.args["kind"]))
        for variable, value in assignments(tree):
            if (typed := types.get(variable.name.lower())) is not None:
                yield from _given(query, value, *typed, value)
        for node in query.calls((exp.Cast, exp.Convert)):
            found = conversion(node)
            if isinstance(node, exp.TryCast) or node.args.get("safe") or found is None:
                continue  # TRY_CAST and TRY_CONVERT give NULL where the value does not fit
            to, value = found
            if isinstance(to, exp.DataType) and value is not None:
                yield from _given(query, value, query, to, node)


def _given(query: Query, value: exp.Expression, typed_in: Query, to: exp.DataType,
           place: exp.Expression) -> Iterator[Hit]:
    """What goes wrong where `value` is given the type `to` (of a statement of `typed_in`): a
    constant it cannot hold, or a percentage that cannot be 100."""
    if to.this not in _KINDS:
        return
    number = _number(value)
    if number is None and (to.this != exp.DataType.Type.DECIMAL or not _percentage(value)):
        return  # only a constant, or a percentage given a decimal, is judged
    sql_type = as_in_file(typed_in, to)  # as the author wrote it: decimal, which sqlglot writes as numeric
    parts = type_parts(sql_type.lower())
    if parts is None:
        return
    name, precision, scale = parts
    if name in INTEGER_RANGES and number is not None:
        low, high = INTEGER_RANGES[name]
        if not holds_number(number, name):
            wider = _WIDER.get(name, "decimal(38, 0)")
            yield Hit(query.span_of(place),
                      f"{as_in_file(query, value)} does not fit {name}, which holds {low:,} to {high:,}: SQL Server stops "
                      f"the statement with {_OVERFLOW}.",
                      f"Give it a type that holds it ({wider}), or correct the number.")
    elif name in _DECIMALS:
        digits, places = int(precision or 18), int(scale or 0)
        largest = Decimal(10) ** (digits - places)  # the first number with too many digits before the point
        if number is not None and not holds_number(number, sql_type):
            needed = len(str(int(abs(number))))
            yield Hit(query.span_of(place),
                      f"{as_in_file(query, value)} does not fit {sql_type}, which holds {digits - places} digit"
                      f"{'s' if digits - places != 1 else ''} before the point: SQL Server stops the statement with "
                      f"error 8115 (\"Arithmetic overflow error converting ... to data type numeric\").",
                      f"Give it the digits it needs, {name}({places + needed}, {places}), or correct the number.")
        elif number is None and largest <= _HUNDRED:  # a percentage, as the gate above let through
            yield Hit(query.span_of(place),
                      f"{as_in_file(query, value)} is a percentage, and {sql_type} holds only numbers below {largest:,}: "
                      f"at the first row where it reaches 100, SQL Server stops the statement with error 8115 "
                      f"(\"Arithmetic overflow error converting ... to data type numeric\"), and the extract returns "
                      f"nothing.",
                      f"Give it three digits before the point, {name}({places + 3}, {places}).",
                      severity="warning")


def _number(node: exp.Expression) -> Decimal | None:
    """The value of a whole or decimal number written as a constant: 300, -1, 100.0, (100)."""
    node = node.unnest()
    if isinstance(node, exp.Neg):
        inner = _number(node.this)
        return -inner if inner is not None else None
    if isinstance(node, exp.Literal) and node.is_number and "e" not in node.this.lower():  # 1e3 is a float: error 232
        return Decimal(node.this)
    return None


def _percentage(node: exp.Expression) -> bool:
    """A ratio multiplied by 100: 100.0 * SUM(x) / COUNT(*), a * 100 / b, ROUND(a / b * 100, 2);
    or what is left of 100 after one, 100.0 - 100.0 * a / b, which reaches 100 where it is 0."""
    node = node.unnest()
    if isinstance(node, exp.Round):
        node = node.this.unnest()
    if isinstance(node, exp.Sub) and _number(node.this.unnest()) == _HUNDRED:
        return _percentage(node.expression)
    divided, hundred = False, False
    waiting: list[tuple[exp.Expression, bool]] = [(node, False)]  # each factor, and whether it divides
    while waiting:
        factor, divisor = waiting.pop()
        factor = factor.unnest()
        if isinstance(factor, (exp.Mul, exp.Div)):
            divided = divided or isinstance(factor, exp.Div)
            waiting += [(factor.this, divisor), (factor.expression, divisor ^ isinstance(factor, exp.Div))]
        elif not divisor and _number(factor) == _HUNDRED:
            hundred = True
    return divided and hundred


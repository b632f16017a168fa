"""PR018: a range on a text column bounded by digits of another length than its values
(e.grade >= '9', e.grade BETWEEN '9' AND '12', or a variable the script sets to '9' once): text
compares character by character, so '10', '11' and '12' sort before '9', and the range is not the
numbers it looks like."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import string_text, text_length
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions, known_columns
from advisor.checks.oriented import MIRRORED, OPERATORS
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file, aside, what_variables_hold

_RANGES = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)


@statement_rule("PR018")
def text_range_of_digits(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, _RANGES):
        node = compared.node
        column, bounds = _column_and_bounds(node)
        values = [held(bound, query.constants) for bound in bounds]
        digits = [value.this for value in values if _digits(value)]
        if column is None or len(digits) != len(bounds) or not _mixed_lengths(digits):
            continue
        facts = next(iter(known_columns(column, compared.predicate)), None)
        length = text_length(facts.column.type) if facts is not None else None
        if length is None or length < 2:
            continue
        tested = as_in_file(query, column)
        holding = what_variables_hold(bounds, query.constants)
        yield Hit(
            query.span_of(node),
            f"{as_in_file(query, node)}{aside(holding)} compares {facts.label}, a {facts.column.type}, "
            "as text, character by character, "
            "not as numbers: a value is placed by its first character, so '10' sorts before '9' and '09' before '1', "
            "and the range is not the numbers it looks like.",
            numbers_fix(node, tested, facts.label),
            (facts.table.name,),
        )


def _column_and_bounds(node: exp.Expression) -> tuple[exp.Column | None, list[exp.Expression]]:
    """The column a range tests and the values that bound it: BETWEEN's two, or the other side."""
    if isinstance(node, exp.Between):
        column = node.this.unnest()
        return (column if isinstance(column, exp.Column) else None), [node.args["low"].unnest(), node.args["high"].unnest()]
    left, right = node.this.unnest(), node.expression.unnest()
    if isinstance(left, exp.Column):
        return left, [right]
    return (right if isinstance(right, exp.Column) else None), [left]


def _digits(value: exp.Expression) -> bool:
    text = string_text(value)
    return text is not None and text.isdigit() and text.isascii()


def _mixed_lengths(digits: list[str]) -> bool:
    """Bounds of different lengths ('9' and '12'), or one digit alone ('9'), which a value of two
    digits passes or fails by its first."""
    return len({len(text) for text in digits}) > 1 or (len(digits) == 1 and len(digits[0]) == 1)


def numbers_fix(node: exp.Expression, tested: str, label: str) -> str:
    """For a range on a text column: list the values, or compare numbers."""
    return (f"List the values meant, written as {label} holds them, leading zeros included: {tested} IN ('09', '10', "
            f"...), which no code with letters (KG, PK) slips into; or compare numbers: {_as_numbers(node, tested)}, which "
            "leaves out the values that are not numbers but cannot seek an index.")


def _as_numbers(node: exp.Expression, tested: str) -> str:
    """The range with the column's values as numbers: TRY_CAST(e.grade AS int) >= 9."""
    if isinstance(node, exp.Between):
        return f"TRY_CAST({tested} AS int) BETWEEN {_number(node.args['low'])} AND {_number(node.args['high'])}"
    column_first = isinstance(node.this.unnest(), exp.Column)
    bound = node.expression if column_first else node.this
    return f"TRY_CAST({tested} AS int) {OPERATORS[type(node) if column_first else MIRRORED[type(node)]]} {_number(bound)}"


def _number(bound: exp.Expression) -> str:
    """A bound written as a number: '09' and 09 are 9; a variable as it is, which SQL Server
    converts to the number's type."""
    bound = bound.unnest()
    if isinstance(bound, exp.Parameter):
        return f"@{bound.name}"
    text = bound.this
    return str(int(text)) if text.isdigit() else text

"""A whole number divided by a whole number where a fraction is wanted, and an average of whole
numbers: SQL Server keeps only the whole part (3 / 4 is 0, AVG of 3 and 4 is 3), so an attendance
rate computed as absences / days * 100 is 0 or 100."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import WHOLE_NUMBER_CALLS, conversion
from advisor.checks.comparisons import known
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file, with_parts_replaced

# Text a statement must hold for this rule to find anything in it: a / between two operands, or AVG
_MAYBE = re.compile(r"[\w)\]]\s*/\s*[\w(@\[]|\bAVG\s*\(", re.IGNORECASE)
_MAYBE_WORDS = ("/", "AVG")  # what _MAYBE needs, found first: the regex is slow to fail
_WHOLE_TYPES = ("int", "bigint", "smallint", "tinyint")
_FRACTION_TYPES = ("decimal", "numeric", "float", "real", "money", "smallmoney")
# The words of a name that say the value is a share or an average, not a count (absentRate, avg_score)
_RATIO_WORDS = frozenset({"pct", "percent", "percentage", "rate", "ratio", "avg", "average", "mean", "share", "gpa"})
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Mod, exp.Div)


@file_rule("SH020")
def integer_division(context: FileContext) -> Iterator[Hit]:
    lines = context.script.lines
    for query in context.queries:
        span = query.statement.span
        if not (lines.holds(_MAYBE_WORDS, span.start, span.end) and _MAYBE.search(lines.text, span.start, span.end)):
            continue  # most statements divide and average nothing
        types = context.variable_types(query.statement)
        for found, refs, name in _divisions_and_averages(query):
            if isinstance(found, exp.Avg):
                if _whole(found.this, refs, types):
                    yield _hit(query, found, found.this, "averages whole numbers, and SQL Server gives their average as a "
                               "whole number, the fraction dropped (AVG of 3 and 4 is 3)",
                               "Average decimals: {}, where 1.0 * makes each value a decimal first.")
            elif _whole(found.this, refs, types) and _whole(found.expression, refs, types):
                wanted = _fraction_wanted(found, name)
                if wanted is not None:
                    yield _hit(query, found, found.this, "divides a whole number by a whole number: SQL Server keeps only "
                               f"the whole part (3 / 4 is 0), {wanted}",
                               "Divide with decimals: {}, where 1.0 * makes the numerator a decimal before the division.")


def _divisions_and_averages(query: Query) -> Iterator[tuple[exp.Div | exp.Avg, dict[int, m.ColumnRef], str]]:
    """Each division and AVG in a SELECT list or a condition the author wrote, with the columns it
    can read and the name of the SELECT item it is in ('' in a condition)."""
    for block in query.user_blocks:
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for found in projection.node.find_all(exp.Div, exp.Avg):
                yield found, refs, projection.name
        for predicate in block.predicates:
            refs = {id(ref.node): ref for ref in predicate.columns}
            for found in predicate.node.find_all(exp.Div, exp.Avg):
                yield found, refs, ""


def _whole(node: exp.Expression | None, refs: dict[int, m.ColumnRef], variables: dict[str, str]) -> bool:
    """Whether a value is certainly a whole number: an integer literal, COUNT, DATEDIFF, an int
    column or variable, and what adds, multiplies or chooses among them. A plain stack of the
    values that must all be whole: a + b + ... nests as deep as it is long."""
    stack = [node]
    while stack:
        node = stack.pop()
        while isinstance(node, exp.Paren | exp.Neg | exp.Sum | exp.Nullif | exp.Abs):
            node = node.this
        if isinstance(node, _ARITHMETIC):
            stack += [node.this, node.expression]
        elif isinstance(node, exp.Coalesce):
            stack += [node.this, *node.expressions]
        elif isinstance(node, exp.Case):
            values = [branch.args.get("true") for branch in node.args.get("ifs") or []] + [node.args.get("default")]
            given = [value for value in values if value is not None and not isinstance(value, exp.Null)]
            if not given:
                return False
            stack += given
        elif not _whole_value(node, refs, variables):
            return False
    return True


def _whole_value(node: exp.Expression | None, refs: dict[int, m.ColumnRef], variables: dict[str, str]) -> bool:
    """A value that is whole by itself: an integer literal, a count, an int column, variable or conversion."""
    if isinstance(node, exp.Literal):
        return not node.is_string and node.this.isdigit()
    if isinstance(node, WHOLE_NUMBER_CALLS) or (isinstance(node, exp.Anonymous) and node.name.upper() == "COUNT_BIG"):
        return True
    if isinstance(node, exp.Column):
        facts = known(refs[id(node)]) if id(node) in refs else None
        return facts is not None and facts.column.type.lower().startswith(_WHOLE_TYPES)
    if isinstance(node, exp.Parameter):
        return variables.get(node.name.lower(), "").startswith(_WHOLE_TYPES)
    converted = conversion(node)
    return converted is not None and isinstance(converted[0], exp.DataType) and \
        converted[0].sql("tsql").lower().startswith(_WHOLE_TYPES)


def _fraction_wanted(division: exp.Div, name: str) -> str | None:
    """What shows that the quotient's fraction is wanted, as the consequence of losing it; None
    where a whole quotient may be meant (minutes / 60)."""
    if _scaled(division.this):
        return None  # COUNT(*) * 100 / n: a whole percentage, scaled before the division on purpose
    outer = division.parent
    while isinstance(outer, exp.Paren):
        outer = outer.parent
    factor = next((side.unnest() for side in (outer.this, outer.expression) if isinstance(side.unnest(), exp.Literal)),
                  None) if isinstance(outer, exp.Mul) else None
    if factor is not None:
        return (f"so it is 0 for every share under one, and multiplied by {factor.this} it can only be 0, {factor.this} "
                "or a multiple of it")
    converted = conversion(outer)
    fraction_type = converted is not None and isinstance(converted[0], exp.DataType) and (
        converted[0].sql("tsql").lower().startswith(_FRACTION_TYPES))
    if isinstance(outer, exp.Round) or fraction_type:
        return f"and the {type(outer).__name__.upper()} around it comes after the fraction is already lost"
    if isinstance(outer, exp.GT | exp.GTE | exp.LT | exp.LTE | exp.EQ | exp.NEQ):
        other = outer.expression if outer.this.unnest() is division else outer.this
        if isinstance(other.unnest(), exp.Literal) and not other.unnest().is_string and "." in other.unnest().this:
            return f"so it is compared with {other.unnest().this} as a whole number"
    if isinstance(outer, exp.Alias) and _RATIO_WORDS.intersection(word.lower() for word in _NAME_WORD.findall(name)):
        return f"so {name} is rounded down to a whole number"
    return None


def _scaled(numerator: exp.Expression) -> bool:
    """x * 100 or 100 * x: a numerator multiplied by a number before the division."""
    numerator = numerator.unnest()
    return isinstance(numerator, exp.Mul) and any(isinstance(side.unnest(), exp.Literal)
                                                  for side in (numerator.this, numerator.expression))


def _hit(query: Query, found: exp.Expression, whole: exp.Expression, said: str, fixed: str) -> Hit:
    """The finding on a division or AVG whose `whole` operand the fix makes a decimal (`fixed` says
    so around the rewritten text)."""
    decimal = with_parts_replaced(query, found, [(whole, f"1.0 * {as_in_file(query, whole, cut=False)}")])
    fix = (fixed.format(decimal) if decimal
           else "Make the whole numbers decimals first: 1.0 * x / y, AVG(1.0 * x), or CAST(x AS decimal(9, 2)).")
    return Hit(query.span_of(found), f"{as_in_file(query, found)} {said}.", fix)

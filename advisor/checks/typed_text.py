"""Strings a statement makes into a value of another type: compared with a column or a variable of
a number or date type (text ranks below both, so SQL Server converts the string, not the column),
given to such a variable, or converted with CAST or CONVERT; held by a text variable that is
compared with such a column (DECLARE @school varchar(10) = 'All' ... s.schoolID = @school). What
PR012 and PR026 read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis.model import Predicate, Projection, Query
from advisor.analysis.predicates import (
    COMPARISONS,
    conversion,
    string_text,
    type_family,
    type_name,
)
from advisor.analysis.resolve import own_nodes
from advisor.analysis.script import assignments, declared_types
from advisor.checks.comparisons import conditions, known_columns
from advisor.checks.registry import FileContext
from advisor.frontend.executed import as_run
from advisor.frontend.parse import Statement
from advisor.frontend.positions import text_bounds
from advisor.span import Span

# CONVERT's styles: the order of a date's parts each reads
_STYLE_ORDER = {1: "mdy", 101: "mdy", 10: "mdy", 110: "mdy", 3: "dmy", 103: "dmy", 4: "dmy", 104: "dmy", 5: "dmy",
                105: "dmy", 11: "ymd", 111: "ymd", 12: "ymd", 112: "ymd", 20: "ymd", 120: "ymd", 21: "ymd", 121: "ymd",
                23: "ymd", 126: "ymd", 127: "ymd"}
_CONVERTED = ("number", "date")  # the families text is made into: text compared with text stays text
_CHOICES = (exp.Case, exp.If)  # a SELECT item compares only inside one of these


@dataclass(frozen=True)
class TypedText:
    """A string and the type SQL Server makes it into."""

    statement: Statement
    literal: exp.Literal
    sql_type: str  # the type's name alone, in lower case: smallint, smalldatetime
    purpose: str  # what it is made into that type for: 'compare it with Enrollment.endDate', 'set @start', ''
    column: exp.Expression | None  # the catalog's column it is compared with (None beside a variable, in a CAST)
    order: str | None = None  # the order of a date's parts, where a CONVERT style fixes it
    held_by: exp.Parameter | None = None  # the text variable that holds it where it is compared, if not written there


def typed_texts(context: FileContext, maybe: re.Pattern[str]) -> Iterator[TypedText]:
    """Each string the file's statements make into another type, once. A statement's comparisons
    and conversions are read only where `maybe` finds something in its text: most statements hold
    nothing a rule looks for."""
    seen: set[int] = set()
    for found in _everywhere(context, maybe):
        where = id(found.held_by or found.literal)
        if where not in seen and type_family(found.sql_type) in _CONVERTED:
            seen.add(where)
            yield found


def placed(typed: TypedText, context: FileContext) -> tuple[Span, str, str]:
    """Where a finding about the string goes, the string as written, and what to call it: the
    string itself, or where a variable holds it, the variable's use and '@school, which holds
    'All','."""
    text = context.script.lines.text
    bounds = text_bounds(typed.held_by or typed.literal, text)
    span = context.script.lines.span(*bounds) if bounds else typed.statement.span
    if typed.held_by is None:
        shown = as_run(text[span.start:span.end], typed.statement.enclosing)
        return span, shown, shown
    value = typed.literal.sql("tsql")
    return span, value, f"@{typed.held_by.name}, which holds {value},"


def _everywhere(context: FileContext, maybe: re.Pattern[str]) -> Iterator[TypedText]:
    text = context.script.lines.text
    for query in context.queries:
        span, variables = query.statement.span, context.variable_types(query.statement)
        if maybe.search(text, span.start, span.end) or any(_holds_text(name, query.constants, variables)
                                                           for name in query.constants):
            yield from _in_query(query, variables)
    for statement in context.script.statements:
        variables = context.variable_types(statement)
        own = declared_types([statement])  # a DECLARE's value takes the type it declares
        for variable, value in assignments(statement.tree):
            sql_type = own.get(variable.name.lower()) or variables.get(variable.name.lower())
            if sql_type and _is_string(value):
                yield TypedText(statement, value, type_name(sql_type), f"set @{variable.name}", None)
        if statement.keyword in ("IF", "WHILE") and statement.tree is not None:  # IF @schoolID = 'All'
            for node in own_nodes(statement.tree):
                if isinstance(node, COMPARISONS):
                    yield from _compared(statement, node, variables, None)


def _in_query(query: Query, variables: dict[str, str]) -> Iterator[TypedText]:
    for compared in conditions(query, COMPARISONS):
        yield from _compared(query.statement, compared.node, variables, compared.predicate, query.constants)
    chosen = query.calls(_CHOICES)
    for projection in (projection for block in query.user_blocks for projection in block.projections if chosen):
        item = projection.node
        assigned = item if isinstance(item, exp.EQ) and isinstance(item.this, exp.Parameter) else None  # SELECT @v = ...
        for node in own_nodes(item):  # CASE WHEN rp.guardian = 'Y' THEN ..., CASE rp.guardian WHEN 'Y' ..., IIF(...)
            if isinstance(node, COMPARISONS) and node is not assigned or _simple_case(node):
                yield from _compared(query.statement, node, variables, projection, query.constants)
    for call in query.calls(exp.Func):
        if isinstance(call, exp.TryCast) or call.args.get("safe"):
            continue  # TRY_CAST and TRY_CONVERT give NULL instead of stopping
        found = conversion(call)
        if found is None or not isinstance(found[0], exp.DataType) or not _is_string(found[1]):
            continue
        style = call.args.get("style")
        order = _STYLE_ORDER.get(int(style.this)) if isinstance(style, exp.Literal) and style.this.isdigit() else None
        if style is None or order:
            yield TypedText(query.statement, found[1], type_name(found[0].sql("tsql")), "", None, order)


def _compared(statement: Statement, node: exp.Expression, variables: dict[str, str],
              clause: Predicate | Projection | None, constants: dict[str, exp.Expression] | None = None,
              ) -> Iterator[TypedText]:
    """The strings a comparison makes into its variable's type, or its column's where the
    comparison is part of a query's condition or SELECT item (`clause`), whose columns the
    analysis traced to the catalog; and there, the strings that text variables compared with the
    column hold (`constants`, which a query's condition has)."""
    for subject, values in _subjects(node):
        strings = [value for value in values if _is_string(value)]
        held = [value for value in values
                if isinstance(value, exp.Parameter) and constants and _holds_text(value.name.lower(), constants, variables)]
        if not strings and not held:
            continue
        if isinstance(subject, exp.Parameter):
            sql_type, label, column = variables.get(subject.name.lower(), ""), f"@{subject.name}", None
        elif clause is not None and (facts := known_columns(subject, clause)):
            sql_type, label, column = facts[0].column.type, facts[0].label, subject
        else:
            continue
        for value in strings:
            yield TypedText(statement, value, type_name(sql_type), f"compare it with {label}", column)
        for variable in held if column is not None else ():
            yield TypedText(statement, constants[variable.name.lower()], type_name(sql_type),
                            f"compare it with {label}", column, held_by=variable)


def _simple_case(node: exp.Expression) -> bool:
    """CASE x WHEN ... (not CASE WHEN ...): it compares x with the value of each WHEN."""
    return isinstance(node, exp.Case) and node.this is not None


def _holds_text(name: str, constants: dict[str, exp.Expression], variables: dict[str, str]) -> bool:
    """Whether the variable is a text variable that holds a string here, which a comparison may
    make into a number or a date."""
    return _is_string(constants.get(name)) and type_family(variables.get(name, "")) == "text"


def _is_string(value: exp.Expression | None) -> bool:
    return string_text(value) is not None


def _subjects(node: exp.Expression) -> Iterator[tuple[exp.Expression, list[exp.Expression]]]:
    """The column or variable side of a comparison and the values compared with it: both ways round
    for =, <...; the tested side of IN, BETWEEN and a simple CASE; the stand-in of ISNULL(e.endDate,
    '2099-12-31'), which takes the column's type."""
    if isinstance(node, exp.In):
        pairs = [(node.this.unnest(), [v.unnest() for v in node.expressions])]
    elif isinstance(node, exp.Case):  # CASE rp.guardian WHEN 'Y' THEN ...: each WHEN's value compared with it
        pairs = [(node.this.unnest(), [when.this.unnest() for when in node.args.get("ifs") or []])]
    elif isinstance(node, exp.Between):
        pairs = [(node.this.unnest(), [node.args["low"].unnest(), node.args["high"].unnest()])]
    elif isinstance(node, exp.Like):
        return
    else:
        left, right = node.this.unnest(), node.expression.unnest()
        pairs = [(left, [right]), (right, [left])]
    for subject, values in pairs:
        if isinstance(subject, exp.Coalesce) and isinstance(subject.this, exp.Column):
            yield subject.this, [*values, *(v.unnest() for v in subject.expressions)]
        elif isinstance(subject, (exp.Column, exp.Parameter)):
            yield subject, values

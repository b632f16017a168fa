"""PR024: a pattern compared with = (lastName = 'Sm%'). Only LIKE reads % as any text: = and IN
compare with the text as written, percent sign and all, so the condition finds only a value
written with that sign, not the names the pattern describes, and the query returns next to
nothing without an error. <> and NOT IN keep every row instead. So with a variable the script
sets to a pattern once (DECLARE @name varchar(30) = 'Sm%' ... lastName = @name)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import concatenated, string_text, type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions, known_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file, aside, what_variables_hold
from advisor.words import names


@statement_rule("PR024")
def percent_with_equals(query: Query, catalog: Catalog) -> Iterator[Hit]:
    constants = query.constants
    for compared in conditions(query, (exp.EQ, exp.NEQ, exp.In)):
        node = compared.node
        if isinstance(node, exp.In):
            tested, values = node.this, node.expressions
        else:
            tested, values = _tested_and_pattern(node, constants)
        patterns = [value for value in values if _has_percent(held(value, constants)) and not _caught(value, node)]
        if tested is None or not patterns or isinstance(tested.unnest(), exp.Parameter):
            continue  # @grade = '%' tests for a choice the script or the report's user makes: no pattern meant
        if isinstance(tested.unnest(), exp.Column) and any(
                type_family(known.column.type) in ("number", "date") for known in known_columns(tested, compared.predicate)):
            continue  # a number or a date: SQL Server turns the pattern into one and stops (PR026)
        keeps = isinstance(node, exp.NEQ) or (isinstance(node, exp.In) and isinstance(node.parent, exp.Not))
        yield _hit(query, node, tested, patterns, keeps)


def _tested_and_pattern(node: exp.Expression, constants: dict[str, exp.Expression],
                        ) -> tuple[exp.Expression | None, list[exp.Expression]]:
    """The side compared with a pattern, and the pattern: a string, text joined to one, or a
    variable that holds one."""
    for side, other in ((node.expression, node.this), (node.this, node.expression)):
        pattern, compared = held(side.unnest(), constants), held(other.unnest(), constants)
        if _has_percent(pattern) and not _has_percent(compared) and string_text(compared) is None:
            return other, [side]
    return None, []


def _caught(value: exp.Expression, node: exp.Expression) -> bool:
    """A variable that an OR around the comparison tests too: (@grade = '%' OR e.grade = @grade)
    takes every row where it holds the pattern, whatever the comparison finds."""
    if not isinstance(value, exp.Parameter):
        return False
    name = value.name.lower()
    while isinstance(node.parent, (exp.Or, exp.And, exp.Paren, exp.Not)):
        parent = node.parent
        if isinstance(parent, exp.Or):
            other = parent.expression if parent.this is node else parent.this
            if any(found.name.lower() == name for found in other.find_all(exp.Parameter)):
                return True
        node = parent
    return False


def _has_percent(node: exp.Expression) -> bool:
    pieces = concatenated(node.unnest()) or [node.unnest()]
    return any("%" in (string_text(piece.unnest()) or "") for piece in pieces)


def _hit(query: Query, node: exp.Expression, tested: exp.Expression, patterns: list[exp.Expression], keeps: bool) -> Hit:
    column = as_in_file(query, tested, cut=False)
    like = "NOT LIKE" if keeps else "LIKE"
    if isinstance(node, exp.In):
        each = f" {'AND' if keeps else 'OR'} ".join(f"{column} {like} {as_in_file(query, p, cut=False)}" for p in node.expressions)
        fix = f"Test each pattern with {like}: ({each})."
        operator = "NOT IN" if keeps else "IN"
    else:
        fix = f"Write {like} to match a pattern: {column} {like} {as_in_file(query, patterns[0], cut=False)}."
        operator = "<>" if keeps else "="
    found = ("leaves out only a value written with that sign, and keeps the values the pattern describes" if keeps
             else "finds only a value written with that sign, not the values the pattern describes")
    holding = what_variables_hold(patterns, query.constants)
    return Hit(
        query.span_of(node),
        f"{as_in_file(query, node)} compares {column} with {names([as_in_file(query, p) for p in patterns])} as text"
        f"{aside(holding)}: only "
        f"LIKE reads % as any text, and {operator} takes it as a percent sign, so it {found}.",
        fix,
    )

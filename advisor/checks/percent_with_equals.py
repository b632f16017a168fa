"""PR024: a pattern compared with = (lastName = 'Sm%'). Only LIKE reads % as any text: = and IN
compare with the text as written, percent sign and all, so the condition finds only a value
written with that sign, not the names the pattern describes, and the query returns next to
nothing without an error. <> and NOT IN keep every row instead."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import concatenated, string_text
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names


@statement_rule("PR024")
def percent_with_equals(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, (exp.EQ, exp.NEQ, exp.In)):
        node = compared.node
        if isinstance(node, exp.In):
            tested, values = node.this, node.expressions
        else:
            tested, values = _tested_and_pattern(node)
        patterns = [value for value in values if _has_percent(value)]
        if tested is None or not patterns:
            continue
        keeps = isinstance(node, exp.NEQ) or (isinstance(node, exp.In) and isinstance(node.parent, exp.Not))
        yield _hit(query, node, tested, patterns, keeps)


def _tested_and_pattern(node: exp.Expression) -> tuple[exp.Expression | None, list[exp.Expression]]:
    """The side compared with a pattern, and the pattern: a string, or text joined to one."""
    for side, other in ((node.expression, node.this), (node.this, node.expression)):
        if _has_percent(side) and not _has_percent(other) and string_text(other.unnest()) is None:
            return other, [side]
    return None, []


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
    return Hit(
        query.span_of(node),
        f"{as_in_file(query, node)} compares {column} with {names([as_in_file(query, p) for p in patterns])} as text: only "
        f"LIKE reads % as any text, and {operator} takes it as a percent sign, so it {found}.",
        fix,
    )

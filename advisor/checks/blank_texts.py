"""PR028: a text column that the catalog lets be NULL, tested for a blank alone: `c.email = ''`,
`LTRIM(RTRIM(c.email)) = ''` or `LEN(c.email) = 0`. NULL equals nothing, so the rows with no
value at all are left out of a list meant to find the missing ones. Beside the column's IS NULL
in an OR, the query finds both; under a NOT it asks for the rows that have a value, which
leaves the NULLs out as meant."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import blank, null_tested_beside, type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import (
    Compared,
    conditions,
    known_columns,
    tested_and_values,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("PR028")
def blank_without_null(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, (exp.EQ, exp.In)):
        column = _found_blank(compared.node)
        if column is None or null_tested_beside(compared.node, column) or _turned(compared):
            continue
        facts = next(iter(known_columns(column, compared.predicate)), None)
        if facts is not None and facts.column.nullable and type_family(facts.column.type) == "text":
            yield _hit(query, compared.node, column, facts.label, facts.table.name)


def _found_blank(node: exp.Expression) -> exp.Column | None:
    """The column a comparison finds blank in: `col = ''` or `IN ('', ...)`, through LTRIM, RTRIM
    or TRIM (SQL Server ignores trailing spaces in =: '' finds '   ' too), or `LEN(col) = 0`."""
    tested, values = tested_and_values(node)
    if isinstance(tested, exp.Length) and isinstance(node, exp.EQ) and _zero(values[0]):
        tested = tested.this.this if isinstance(tested.this, exp.Cast) else tested.this
    elif not any(blank(value) for value in values):
        return None
    while isinstance(tested, exp.Trim):
        tested = tested.this
    return tested if isinstance(tested, exp.Column) else None


def _zero(value: exp.Expression) -> bool:
    return isinstance(value, exp.Literal) and not value.is_string and value.this == "0"


def _turned(compared: Compared) -> bool:
    """Under a NOT, `NOT (c.email = '')`, which asks for the rows that have a value and rightly
    leaves out the NULLs; or inside a CASE or IIF, whose result decides what the test means."""
    node = compared.node
    while node is not compared.predicate.node and node.parent is not None:
        node = node.parent
        if isinstance(node, (exp.Not, exp.Case, exp.If)):
            return True
    return False


def _hit(query: Query, node: exp.Expression, column: exp.Column, label: str, table: str) -> Hit:
    written, name = as_in_file(query, node), as_in_file(query, column)
    return Hit(
        query.span_of(node),
        f"{written} finds the rows where {label} is blank, not those where it is NULL: {label} can be NULL, and NULL "
        "equals nothing, '' included, so a row with no value at all is left out of what this finds.",
        f"Test for both, in parentheses so that the OR stays within them: ({written} OR {name} IS NULL).",
        (table,),
    )

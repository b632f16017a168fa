"""PR025: a catch-all written col = ISNULL(@p, col) (or COALESCE, or a CASE or IIF that gives the
column back) on a column that can be NULL. When @p turns the filter off, meant as "all", it
compares the column with itself, and NULL = NULL is not true: the rows whose column is NULL are
left out, with no error."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import compared_with_itself
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions, known_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("PR025")
def catch_all_dropping_nulls(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for found in conditions(query, (exp.EQ,)):
        defaulted = compared_with_itself(found.node)
        if defaulted is None:
            continue
        column, switch = defaulted
        nullable = [k for k in known_columns(column, found.predicate) if k.column.nullable]
        if not nullable:
            continue  # a column no row leaves NULL: every row passes when the filter is off
        facts, named, parameter = nullable[0], as_in_file(query, column), f"@{switch.name}"
        given = found.node.expression if found.node.this is column else found.node.this  # the ISNULL, CASE or IIF
        everything = _all_when(query, column, switch, given)
        yield Hit(
            query.span_of(found.node),
            f"{as_in_file(query, found.node)} leaves out every row whose {named} is NULL, also when {everything} and "
            f"every row is meant: it then compares {named} with itself, and NULL = NULL is not true. {facts.label} can "
            "be NULL.",
            f"Test {parameter} apart, so that every row passes when {everything}: ({everything} OR {named} = {parameter}); "
            "and add OPTION (RECOMPILE) so that each run is planned for its own value.",
            (facts.table.name,),
        )


def _all_when(query: Query, column: exp.Column, switch: exp.Parameter, given: exp.Expression) -> str:
    """The condition on the parameter under which the column is compared with itself: @p IS NULL
    for ISNULL and COALESCE, the WHEN (or IIF's test) of `given` that gives the column back."""
    if isinstance(given, exp.Coalesce):
        return f"@{switch.name} IS NULL"
    for holder in given.find_all(exp.If):
        value = holder.args.get("true")
        if (holder.this is not None and isinstance(value, exp.Column) and value.sql().lower() == column.sql().lower()
                and any(p.name.lower() == switch.name.lower() for p in holder.this.find_all(exp.Parameter))):
            return as_in_file(query, holder.this)
    return f"@{switch.name} means every value"

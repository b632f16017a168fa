"""CL020: a subquery that returns more than one column where SQL Server takes one: IN, ANY or ALL
compare one column, and a subquery used as one value gives one. SQL Server refuses the
statement before it reads a row (error 116); only EXISTS takes a list of any width."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.single_values import single_value_subqueries
from advisor.checks.snippets import as_in_file
from advisor.words import names, plural


@statement_rule("CL020")
def subquery_with_many_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for holder, inner in [*_compared_with(query), *single_value_subqueries(query)]:
        returned = inner.projections
        if len(returned) < 2 or any(projection.name == "*" for projection in returned):
            continue  # a star's width is the table's: CL001 says what it expands to
        columns = [as_in_file(query, projection.node) for projection in returned]
        yield _hit(query, holder, inner, columns)


def _compared_with(query: Query) -> Iterator[tuple[exp.Expression, m.Block]]:
    """The subqueries whose rows a value is compared with: x IN (SELECT ...), x = ANY (SELECT ...);
    each with the IN, ANY or ALL that holds it."""
    for block in query.user_blocks:
        for subquery in block.subqueries:
            if isinstance(subquery.node, exp.In):
                yield subquery.node, subquery.blocks[0]
            elif isinstance(subquery.node, exp.Subquery) and isinstance(subquery.node.parent, (exp.Any, exp.All)):
                yield subquery.node.parent, subquery.blocks[0]


def _hit(query: Query, holder: exp.Expression, inner: m.Block, columns: list[str]) -> Hit:
    listed = f"{plural(len(columns), 'column')} ({names(columns)})"
    refused = ("SQL Server refuses the statement before it reads a row (error 116: Only one expression can be "
               "specified in the select list when the subquery is not introduced with EXISTS).")
    if isinstance(holder, (exp.In, exp.Any, exp.All)):
        word = type(holder).__name__.upper()
        comparison = holder if isinstance(holder, exp.In) else holder.parent
        return Hit(
            query.span_of(inner.node),
            f"This subquery returns {listed} for {word} to compare {as_in_file(query, comparison.this)} with, which "
            f"takes one: {refused}",
            f"Return only the column {word} compares with, {columns[0]}; to match on more than one column, use "
            "EXISTS (SELECT 1 FROM ... WHERE each column = the outer query's).",
        )
    return Hit(
        query.span_of(inner.node),
        f"This subquery returns {listed} where one value is taken: {refused}",
        "Return one column from each subquery, or join the table it reads (OUTER APPLY (SELECT TOP 1 ...) gives "
        "several columns of one row).",
    )

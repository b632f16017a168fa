"""SH022: a subquery used as one value that can return more than one row: SQL Server stops the
statement with error 512 the day it does."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.keys import CannotTell, Unpinned, unpinned
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.words import names


@statement_rule("SH022")
def many_rows_as_one_value(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for holder, inner in single_value_subqueries(query):
        try:
            many = unpinned(inner, {})
        except CannotTell:
            continue
        if many is None:
            continue
        compared = isinstance(holder.parent, exp.EQ)  # where IN (SELECT ...) may be what is meant
        yield Hit(
            query.span_of(holder),
            f"This subquery is used as one value, but it can return more than one row: {how_many(many)}. The first "
            "time it does, for any row, SQL Server stops the whole statement with error 512 (\"Subquery returned more "
            "than 1 value\"): it can run for years before such a row is entered.",
            "Say which row: TOP 1 with an ORDER BY (the latest, the first in sequence), or an aggregate (MAX(...))"
            + ("; or, if any of them will do, write IN (SELECT ...) in place of =." if compared else "."),
        )


def how_many(many: Unpinned) -> str:
    """Why a query can return more than one row, in words."""
    label = many.relation.label()
    how = (f"{names(many.found_by)} {'does' if len(many.found_by) == 1 else 'do'} not name one row of {label}"
           if many.found_by else f"nothing in it names one row of {label}")
    table = many.innermost.relation.table
    key = f"whose key is {names(list(table.primary_key)) if table.primary_key else 'unknown'}"
    if many.within is None:
        return f"{how}, {key}"
    return f"{how}, which returns a row for each row of {table.name} it reads, {key}"


def single_value_subqueries(query: Query) -> Iterator[tuple[exp.Expression, m.Block]]:
    """Each subquery SQL Server takes one value from: in a SELECT list or an expression, compared
    with = or <, assigned to a variable (not IN, EXISTS, ANY or ALL, which take many)."""
    for block in query.user_blocks:
        for subquery in block.subqueries:
            holder = subquery.node
            if (isinstance(holder, exp.Subquery) and not isinstance(holder.parent, (exp.Any, exp.All))
                    and len(subquery.blocks) == 1):
                yield holder, subquery.blocks[0]
        holder = block.node.parent
        if block.parent is None and isinstance(holder, exp.Subquery) and _assigned(holder):
            yield holder, block


def _assigned(holder: exp.Subquery) -> bool:
    """DECLARE @x int = (SELECT ...) or SET @x = (SELECT ...)."""
    parent = holder.parent
    return isinstance(parent, exp.DeclareItem) or (isinstance(parent, exp.EQ) and isinstance(parent.parent, exp.SetItem))

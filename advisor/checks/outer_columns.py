"""PR014: a subquery that returns the outer query's own column, because the name it returns
unqualified is not a column of the subquery's tables (s.personID IN (SELECT personID FROM Calendar))."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import COMPARISONS
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names


@statement_rule("PR014")
def outer_column_returned(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for subquery in block.subqueries:
            if len(subquery.blocks) != 1 or not _compared(subquery):
                continue
            inner = subquery.blocks[0]
            returned = _outer_column(inner)
            if returned is None:
                continue
            bundled = catalog.guessed(relation.name for relation in inner.relations)
            yield _hit(query, subquery, returned, inner.relations, bundled)


def _compared(subquery: m.Subquery) -> bool:
    """Whether its one column is compared with the outer row's: IN (SELECT ...), = ANY (SELECT ...),
    = (SELECT ...)."""
    holder = subquery.node
    return isinstance(holder, exp.In) or isinstance(holder.parent, (exp.Any, exp.All, *COMPARISONS))


def _outer_column(inner: m.Block) -> m.ColumnRef | None:
    """The column a subquery returns when it is an unqualified name that none of its tables has,
    and SQL Server took from the outer query's; None if any table's columns are unknown."""
    if len(inner.projections) != 1 or not inner.relations:
        return None
    ref = inner.projections[0].plain
    if ref is None or not ref.outer or ref.node.table or ref.relation is None:
        return None
    if any(relation.output_columns is None for relation in inner.relations):
        return None  # a table sqladvise does not know may have the column
    return ref


def _hit(query: Query, subquery: m.Subquery, returned: m.ColumnRef, tables: list[m.Relation], bundled: bool) -> Hit:
    name = returned.name
    inner_names = names([relation.label() for relation in tables])
    has = "has" if len(tables) == 1 else "have"
    outer = f"{returned.relation.alias}.{name}"
    tested = _tested(subquery)
    itself = ""
    if (isinstance(tested, exp.Column) and tested.name.lower() == name.lower()
            and tested.table.lower() in ("", returned.relation.alias.lower())):
        itself = (f" {as_in_file(query, tested)} IN (...) is then true of every row (NOT IN false of every row) whenever "
                  f"{inner_names} {has} a row that matches." if isinstance(subquery.node, exp.In)
                  else f" The comparison then compares {outer} with itself.")
    caveat = (f" sqladvise's bundled catalog is an approximation: if your {inner_names} {has} a column {name}, this does "
              "not apply." if bundled else "")
    return Hit(
        query.span_of(returned.node),
        f"{name} is not a column of {inner_names}, so SQL Server takes it from the outer query: the subquery returns "
        f"{outer}, the outer row's own value, not one of {inner_names}'s.{itself}{caveat}",
        f"Name the column with its table's alias ({_qualified(query, tables[0], returned)}): written so, SQL Server "
        "stops with \"Invalid column name\" where the table does not have it. Take the column from the table that holds "
        "it, joined inside the subquery.",
        severity="warning" if bundled else "error",
    )


def _tested(subquery: m.Subquery) -> exp.Expression | None:
    """What the subquery's column is compared with: x of x IN (...), x = ANY (...), x = (...)."""
    holder = subquery.node
    if isinstance(holder, exp.In):
        return holder.this
    inside = holder.parent if isinstance(holder.parent, (exp.Any, exp.All)) else holder
    comparison = inside.parent
    return comparison.expression if comparison.this is inside else comparison.this


def _qualified(query: Query, relation: m.Relation, returned: m.ColumnRef) -> str:
    """The returned column written with the subquery's first table's alias or name."""
    return f"SELECT {relation.alias}.{as_in_file(query, returned.node)} FROM {as_in_file(query, relation.node)}"

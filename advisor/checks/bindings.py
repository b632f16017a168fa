"""CL009: a column written with a table name or alias the query does not have where it is used:
no such alias, or one an ON clause names before its table is joined. SQL Server refuses the
statement: "The multi-part identifier could not be bound"."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import qualifier
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names

# The rows an OUTPUT clause or a trigger reads: no FROM names them
_PSEUDO_TABLES = {"inserted", "deleted"}
_REFUSED = ("SQL Server refuses the statement before it reads a row (error 4104, \"The multi-part identifier ... could "
            "not be bound\").")


@statement_rule("CL009")
def unbound_qualifier(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if isinstance(block.node, exp.Select):
            yield from _unknown_qualifiers(query, block)
            yield from _joined_later(query, block)


def _unknown_qualifiers(query: Query, block: m.Block) -> Iterator[Hit]:
    """Columns whose table name or alias is none of the query's, nor an enclosing query's: those
    the analysis could not resolve, in the SELECT list, the conditions, GROUP BY and ORDER BY."""
    seen: set[str] = set()
    for ref in block.column_refs():
        if ref.relation is not None or not ref.node.table:
            continue
        column = ref.node
        written = qualifier(column)
        if written.lower() in _PSEUDO_TABLES or written.lower() in seen or column.find_ancestor(exp.NextValueFor):
            continue  # NEXT VALUE FOR dbo.seq names a sequence
        seen.add(written.lower())
        aliases = [relation.alias for relation in block.relations]
        yield Hit(
            query.span_of(column),
            f"{as_in_file(query, column)} names {written}, which is no table or alias of this query: {_REFUSED}",
            f"Write the alias of the table that has {column.name}" + (f": one of {names(aliases)}." if aliases else "."),
        )


def _joined_later(query: Query, block: m.Block) -> Iterator[Hit]:
    """Columns an ON clause reads from a table joined after it: an ON sees only the tables before it."""
    order = {id(relation): at for at, relation in enumerate(block.relations)}
    for predicate in block.predicates:
        if predicate.clause != "on" or predicate.on is None or id(predicate.on) not in order:
            continue
        for ref in predicate.columns:
            later = ref.relation
            if later is None or ref.outer or id(later) not in order or order[id(later)] <= order[id(predicate.on)]:
                continue
            if _joined_inside(later, predicate):
                continue  # JOIN (b JOIN c ON ...) ON c.x = a.x: the group's ON sees the tables inside it
            yield Hit(
                query.span_of(ref.node),
                f"{as_in_file(query, ref.node)} is read in the ON clause of {predicate.on.label()}, but {later.label()} is "
                f"joined after it: an ON clause can use only the tables joined before it. {_REFUSED}",
                f"Move the condition to the ON clause of {later.label()} (or to the WHERE clause).",
            )
            break


def _joined_inside(relation: m.Relation, predicate: m.Predicate) -> bool:
    """Whether the relation is joined inside the join whose ON holds the condition: a JOIN b JOIN c
    ON ... ON ..., with or without parentheses."""
    join = predicate.node.find_ancestor(exp.Join)
    node = relation.node
    while node is not None and join is not None and node is not join:
        if node is join.this:
            return True
        node = node.parent
    return False

"""CL009: a column written with a table name or alias the query does not have where it is used:
no such alias, or one an ON clause names before its table is joined, or from before the comma
that starts its list of joins. SQL Server refuses the statement: "The multi-part identifier could
not be bound"."""

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
    """Columns an ON clause reads from a table joined after it, or listed before the comma that
    starts its own joins (FROM a, b JOIN c ON c.x = a.x): an ON sees only the tables joined
    before it since the last comma."""
    order = {id(relation): at for at, relation in enumerate(block.relations)}
    listed = _comma_starts(block.relations)
    for predicate in block.predicates:
        if predicate.clause != "on" or predicate.on is None or id(predicate.on) not in order:
            continue
        at = order[id(predicate.on)]
        for ref in predicate.columns:
            other = ref.relation
            if other is None or ref.outer or id(other) not in order:
                continue
            if order[id(other)] < listed[at]:
                comma = block.relations[listed[at]]
                yield Hit(
                    query.span_of(ref.node),
                    f"{as_in_file(query, ref.node)} is read in the ON clause of {predicate.on.label()}, but {other.label()} "
                    f"is listed before the comma in front of {comma.label()}: the tables after a comma are joined on their "
                    f"own, and their ON clauses can use only those. {_REFUSED}",
                    f"Join {comma.label()} with JOIN ... ON rather than after a comma, or move the condition to the WHERE "
                    "clause.",
                )
                break
            if order[id(other)] <= at or _joined_inside(other, predicate):
                continue  # JOIN (b JOIN c ON ...) ON c.x = a.x: the group's ON sees the tables inside it
            yield Hit(
                query.span_of(ref.node),
                f"{as_in_file(query, ref.node)} is read in the ON clause of {predicate.on.label()}, but {other.label()} is "
                f"joined after it: an ON clause can use only the tables joined before it. {_REFUSED}",
                f"Move the condition to the ON clause of {other.label()} (or to the WHERE clause).",
            )
            break


def _comma_starts(relations: list[m.Relation]) -> list[int]:
    """For each relation of a FROM, the place of the one that starts its list of joins: the first
    table, or the last one written after a comma before it."""
    starts, start = [], 0
    for at, relation in enumerate(relations):
        join = relation.node.parent
        if at and isinstance(join, exp.Join) and not isinstance(join.this, exp.Lateral) and not any(
                join.args.get(part) for part in ("on", "using", "kind", "side")):
            start = at
        starts.append(start)
    return starts


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

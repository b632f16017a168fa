"""JN012: two tables that each have several rows for one row of a third, joined to it and not to
each other, both returned: the query gives every pairing of their rows. A student's guardians
and sections in one extract come as each section once for every guardian, and the row count
is their product."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.filtering_joins import shown_relations
from advisor.checks.joins import join_columns, join_neighbours, reached_without
from advisor.checks.multiplicity import one_row_each
from advisor.checks.registry import Hit, statement_rule


@statement_rule("JN012")
def crossed_one_to_many(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if isinstance(block.node, exp.Select) and block.parent is None and not (
                block.readers or block.grouped or block.empty or block.top_rows == 1):
            crossed = _crossed(block)
            if crossed is not None:
                yield _hit(query, *crossed)


def _crossed(block: m.Block) -> tuple[m.Relation, m.Relation, m.Relation] | None:
    """The first relation with two others that each have several rows for each of its rows,
    joined to it on a column of it they share (two lists of one student, both joined on its
    personID), joined to each other only through it, and both giving the query columns it
    returns or orders by (themselves or the tables joined on past them). A relation that joins
    them on columns of its own apart is a link between two things, read from the middle of a
    chain: a household member's person and their household's addresses."""
    neighbours, linked = join_neighbours(block), _linked(block)
    shown = shown_relations(block)
    for hub in block.relations:
        several = [relation for relation in dict.fromkeys(neighbours.get(id(hub), ()))
                   if _several_for(block, relation, hub)]
        if len(several) < 2:
            continue
        hub_columns = join_columns(block, hub)[0]
        branches = {id(relation): reached_without(linked, [relation], hub) for relation in several}
        for first, second in combinations(several, 2):
            shared = hub_columns.get(first, set()) & hub_columns.get(second, set())
            if shared and id(second) not in branches[id(first)] and branches[id(first)] & shown and (
                    branches[id(second)] & shown):
                return hub, first, second
    return None


def _linked(block: m.Block) -> dict[int, list[m.Relation]]:
    """The relations each relation of the block shares a condition with, by its id: a join's
    equality, or any other comparison of their columns (e2.enrollmentID <> e1.enrollmentID pairs
    a student's enrollments as meant)."""
    linked: dict[int, list[m.Relation]] = {}
    for predicate in block.predicates:
        tied = list(dict.fromkeys(ref.relation for ref in predicate.columns if ref.relation is not None and not ref.outer))
        for relation in tied:
            linked.setdefault(id(relation), []).extend(other for other in tied if other is not relation)
    return linked


def _several_for(block: m.Block, relation: m.Relation, hub: m.Relation) -> bool:
    """Whether the relation is known to have several rows for each hub row: no key of it is
    joined to the hub or fixed by a condition, and, for a catalog table, the columns that tell
    its rows apart in Campus are known. A table known only by its surrogate key, CustomStudent
    joined on personID for one attributeID, most often has one row there: a district's pivot of
    its custom attributes is not two lists."""
    if relation.table is not None and not relation.table.grains:
        return False
    joined, fixed = join_columns(block, relation)
    return one_row_each(relation, joined.get(hub, set()) | fixed) is False


def _hit(query: Query, hub: m.Relation, first: m.Relation, second: m.Relation) -> Hit:
    return Hit(
        query.span_of(second.node),
        f"{first.label()} and {second.label()} each have several rows for each {hub.label()} row, and nothing joins "
        f"them to each other: the query returns each {second.label()} row once for every {first.label()} row of the "
        f"same {hub.label()} row, every pairing of the two.",
        f"Return them apart: in two queries, or with one of them made a single row for each {hub.label()} row, "
        "grouped in a derived table (STRING_AGG for a list of values) or picked with OUTER APPLY (SELECT TOP 1 ... "
        "ORDER BY ...).",
        tuple(dict.fromkeys(relation.name for relation in (hub, first, second))),
    )

"""JN005: COUNT(*) of the rows a LEFT JOIN brings, grouped by the rows it keeps: a row the LEFT
JOIN finds nothing for is kept once, with NULLs, and COUNT(*) counts it, so a student with no
absences shows 1, not 0."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.joins import grouped_by_columns, several_per_grouped_row
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("JN005")
def count_of_left_joined_rows(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not grouped_by_columns(block):
            continue
        counts = [count for projection in block.projections for count in projection.node.find_all(exp.Count)
                  if isinstance(count.this, exp.Star) and window_of(count) is None]
        optional = _optional_rows(block) if counts else None
        if optional is None:
            continue
        for count in counts:
            yield _hit(query, count, optional)


def _optional_rows(block: m.Block) -> m.Relation | None:
    """The one catalog table a LEFT JOIN brings several rows of for each grouped row (not made an
    inner join by the WHERE): what a COUNT(*) there is meant to count."""
    found = [relation for relation in block.relations if relation.join == m.LEFT and relation.made_inner_by is None
             and several_per_grouped_row(block, relation)]
    return found[0] if len(found) == 1 else None


def _hit(query: Query, count: exp.Count, optional: m.Relation) -> Hit:
    key = optional.table.primary_key
    counted = f"COUNT({optional.alias}.{key[0]})" if len(key) == 1 else f"COUNT({optional.alias}.<a column that is never NULL>)"
    return Hit(
        query.span_of(count),
        f"{as_in_file(query, count)} counts 1, not 0, for a group {optional.label()} has no row for: the LEFT JOIN keeps "
        f"that row once, with NULL in every {optional.table.name} column, and COUNT(*) counts rows, NULL or not.",
        f"Count {optional.table.name}'s own rows: {counted} counts only the rows the LEFT JOIN found, and 0 where it "
        "found none.",
        (optional.table.name,),
    )

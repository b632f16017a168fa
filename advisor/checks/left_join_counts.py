"""JN005: COUNT(*) of the rows a LEFT JOIN brings, grouped by the rows it keeps: a row the LEFT
JOIN finds nothing for is kept once, with NULLs, and COUNT(*) counts it, so a student with no
absences shows 1, not 0. Where the rows kept are finer than the groups (a student's days), it
counts neither them nor the joined rows."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.joins import (
    grouped_by_columns,
    join_columns,
    several_per_grouped_row,
)
from advisor.checks.multiplicity import one_row_each
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
        kept = _several_kept_per_group(block, optional)
        for count in counts:
            yield _hit(query, block, count, optional) if kept is None else _hit_between(query, block, count, optional, *kept)


def _optional_rows(block: m.Block) -> m.Relation | None:
    """The one catalog table or view a LEFT JOIN brings several rows of for each grouped row (not
    made an inner join by the WHERE): what a COUNT(*) there is meant to count."""
    found = [relation for relation in block.relations if relation.join == m.LEFT and relation.made_inner_by is None
             and relation.kind in (m.TABLE, m.VIEW) and several_per_grouped_row(block, relation)]
    return found[0] if len(found) == 1 else None


def _several_kept_per_group(block: m.Block, optional: m.Relation) -> tuple[m.Relation, set[str]] | None:
    """A relation the LEFT JOIN joins the table to that has several rows in each group, with its
    columns each group fixes: one the block does not group on (#days d, joined on calendarID to
    the grouped Enrollment e), or groups on columns not known to tell its rows apart (a year's
    enrollments grouped by school and grade). The rows kept are its rows, and COUNT(*) counts
    each once for every row the LEFT JOIN finds."""
    grouped: dict[int, set[str]] = {}
    for ref in block.group_by:
        grouped.setdefault(id(ref.relation), set()).add(ref.name.lower())
    # those it does not group on first: grouped on its key, a student's row stands for the group
    for partner in sorted(join_columns(block, optional)[0], key=lambda partner: id(partner) in grouped):
        joined, fixed = join_columns(block, partner)
        pinned = fixed.union(grouped.get(id(partner), set()),
                             *(columns for other, columns in joined.items() if id(other) in grouped))
        one_each = one_row_each(partner, pinned)
        if one_each is False or (one_each is None and id(partner) in grouped):
            return partner, pinned
    return None


def _counted(block: m.Block, optional: m.Relation) -> str:
    """COUNT of a column that holds a value in every row the LEFT JOIN finds: the table's
    one-column key, or else a column its ON equates with another's, which a NULL never equals."""
    key = optional.table.primary_key if optional.table is not None else ()
    equated = [sides[0].node.name for join_key in block.join_keys
               if join_key.predicate.on is optional and (sides := join_key.side(optional)) is not None]
    column = key[0] if len(key) == 1 else next(iter(equated), "<a column that is never NULL>")
    return f"COUNT({optional.alias}.{column})"


def _object(relation: m.Relation) -> str:
    return relation.table.name if relation.table is not None else relation.view.name


def _hit_between(query: Query, block: m.Block, count: exp.Count, optional: m.Relation, kept: m.Relation,
                 pinned: set[str]) -> Hit:
    keys = kept.declared_keys or ([kept.table.primary_key] if kept.table is not None and kept.table.primary_key else [])
    unfixed = [column for column in keys[0] if column.lower() not in pinned] if keys else []
    distinct = (f"with COUNT(DISTINCT {kept.alias}.{unfixed[0]})" if len(unfixed) == 1
                else "by counting them in a derived table grouped before the LEFT JOIN")
    name = _object(optional)
    return Hit(
        query.span_of(count),
        f"{as_in_file(query, count)} counts the rows the LEFT JOIN gives: for each {kept.label()} row, one for every "
        f"{optional.label()} row it finds and 1 where it finds none, so it counts neither the {kept.label()} rows nor "
        f"{name}'s.",
        f"Count what is meant: the {kept.label()} rows {distinct}; {name}'s rows with {_counted(block, optional)}, "
        "which is 0 where the LEFT JOIN found none.",
        (name,),
    )


def _hit(query: Query, block: m.Block, count: exp.Count, optional: m.Relation) -> Hit:
    counted, name = _counted(block, optional), _object(optional)
    return Hit(
        query.span_of(count),
        f"{as_in_file(query, count)} counts 1, not 0, for a group {optional.label()} has no row for: the LEFT JOIN keeps "
        f"that row once, with NULL in every {name} column, and COUNT(*) counts rows, NULL or not.",
        f"Count {name}'s own rows: {counted} counts only the rows the LEFT JOIN found, and 0 where it "
        "found none.",
        (name,),
    )

"""JN010: a SUM or COUNT of a table joined to the grouped table on the columns it groups by,
where the grouped table has several rows in a group: each of them meets the same rows of the
other table, and the total counts them once for each. Credits summed per student from their
2026 Enrollment rows joined to TranscriptCourse on personID count twice for a student enrolled
at two schools that year, and nothing in the result shows it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import origins
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.joins import grouped_by_columns, join_columns
from advisor.checks.multiplicity import fixed_columns, one_row_each
from advisor.checks.multiplied_totals import counted_once, counted_relation, total_verb
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.semi_joins import distinct_rows
from advisor.checks.snippets import as_in_file
from advisor.words import names

_TOTALS = (exp.Sum, exp.Count)


@statement_rule("JN010")
def total_repeated_by_grouped_rows(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not grouped_by_columns(block) or len({id(ref.relation) for ref in block.group_by}) != 1:
            continue
        grouped = block.group_by[0].relation
        if grouped is None:
            continue  # a name the query does not resolve: GROUP BY a SELECT list's alias
        known = {ref.name.lower() for ref in block.group_by} | fixed_columns(block, grouped)
        if one_row_each(grouped, known) is not False or _rows_picked(block, grouped, known):
            continue
        joined = join_columns(block, grouped)[0]
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for total in projection.node.find_all(_TOTALS):
                counted = counted_relation(total, refs)
                if (counted is None or counted is grouped or window_of(total) is not None
                        or not _met_by_every_row(block, grouped, counted, joined, known)):
                    continue
                yield _hit(query, block, grouped, counted, total, known)


def _met_by_every_row(block: m.Block, grouped: m.Relation, counted: m.Relation, joined: dict[m.Relation, set[str]],
                      known: set[str]) -> bool:
    """Whether the totalled relation is joined to the grouped one alone, on columns that every
    row of a group has the same value in (grouped on, or fixed), and has none of the rest of the
    grouped table's key to join on as well (JN002's fix, which it reports)."""
    on = joined.get(counted)
    if not on or not on <= known or set(join_columns(block, counted)[0]) != {grouped}:
        return False
    rest = _key_columns(grouped, on).keys() - known
    return not rest or not all(counted.offers(column) for column in rest)


def _key_columns(relation: m.Relation, joined_on: set[str]) -> dict[str, str]:
    """The columns that tell the relation's rows apart, by lower-case name: its table's
    (Enrollment's personID and calendarID); a view's, those of the table behind the columns
    joined on."""
    tables = [relation.table] if relation.kind == m.TABLE and relation.table is not None else [
        origin.relation.table for column in joined_on for origin in origins(relation, column)
        if not origin.computed and origin.relation.table is not None]
    return {column.lower(): column for table in tables for grain in table.grains for column in grain}


def _rows_picked(block: m.Block, grouped: m.Relation, known: set[str]) -> bool:
    """Whether a condition may pick one of the grouped table's rows for each group: one on
    columns that tell its rows apart (e.enrollmentID IN (SELECT MAX(...) ...), a join to a
    derived or temp table of the latest enrollments), but a plain join to a catalog table."""
    for predicate in block.predicates:
        mine = {ref.name.lower() for ref in predicate.columns if ref.relation is grouped and not ref.outer}
        if not mine or mine <= known or one_row_each(grouped, mine | known) is not True:
            continue
        others = {id(ref.relation): ref.relation for ref in predicate.columns if ref.relation is not grouped}
        if not (isinstance(predicate.node, exp.EQ) and others
                and all(other.kind == m.TABLE for other in others.values())):
            return True
    return False


def _hit(query: Query, block: m.Block, grouped: m.Relation, counted: m.Relation, total: exp.Expression,
         known: set[str]) -> Hit:
    written = as_in_file(query, total)
    verb = total_verb(total)
    group = names([f"{ref.relation.alias}.{ref.name}" for ref in block.group_by])
    joined_on = join_columns(block, grouped)[0][counted]
    apart = [name for lower, name in sorted(_key_columns(grouped, joined_on).items()) if lower not in known]
    told = f" (its rows differ in {names([f'{grouped.alias}.{c}' for c in apart])})" if apart else ""
    taken = _taken(block, grouped)
    # a derived table's query is not read again by its name: its own SELECT takes the DISTINCT
    rows = distinct_rows(query, grouped, taken) if {c.lower() for c in taken} <= known and grouped.kind != m.DERIVED else None
    instead = (f"Read {grouped.label()} once for each group, {rows} in its place" if rows else
               f"Read {grouped.label()} once for each group: in its place, a derived table of SELECT DISTINCT the "
               f"columns the query takes from it, with its conditions")
    return Hit(
        query.span_of(total),
        f"{written} {verb} each {counted.name} row once for every {grouped.name} row of its group: the query groups by "
        f"{group}, {grouped.label()} has several rows in a group{told}, and {counted.label()} is joined to it on "
        f"{names(sorted(f'{grouped.alias}.{c}' for c in _written_names(block, grouped, joined_on)))} only, so each of "
        f"them meets the same {counted.name} rows and the total is multiplied by how many there are.",
        f"{instead}; or total {counted.name} in a derived table of its own, grouped by the columns it is joined on, "
        f"and join that.{counted_once(total, counted)}",
        (counted.name, grouped.name),
    )


def _taken(block: m.Block, grouped: m.Relation) -> list[str]:
    """The grouped relation's columns the query takes outside the conditions on it alone, as
    written: what a derived table in its place must give."""
    own = {id(p) for p in block.predicates if all(ref.relation is grouped and not ref.outer for ref in p.columns)}
    refs = [*(ref for projection in block.projections for ref in projection.columns), *block.group_by, *block.ordered_by,
            *(ref for predicate in block.predicates if id(predicate) not in own for ref in predicate.columns)]
    return list({ref.name.lower(): ref.name for ref in refs if ref is not None and ref.relation is grouped}.values())


def _written_names(block: m.Block, relation: m.Relation, lower: set[str]) -> list[str]:
    """The relation's columns of these lower-case names, as the block writes them."""
    return list({ref.name.lower(): ref.name for ref in block.column_refs()
                 if ref.relation is relation and ref.name.lower() in lower}.values())

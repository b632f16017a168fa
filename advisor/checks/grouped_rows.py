"""JN010: a SUM, COUNT or STRING_AGG of a table joined to the grouped table on the columns it
groups by (directly, or through tables joined only to each other), where the grouped table has
several rows in a group: each of them meets the same rows of the other table, and the total
counts them once for each. Credits summed per student from their 2026 Enrollment rows joined to
TranscriptCourse on personID count twice for a student enrolled at two schools that year, and
nothing in the result shows it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import origins, row_equal_to
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.joins import (
    grain_columns,
    grouped_by_columns,
    join_columns,
    tables_behind,
)
from advisor.checks.multiplicity import fixed_columns, one_row_each
from advisor.checks.multiplied_totals import (
    counted_once,
    total_verb,
    totalled_relations,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.semi_joins import distinct_rows
from advisor.checks.snippets import as_in_file
from advisor.words import names

_TOTALS = (exp.Sum, exp.Count, exp.GroupConcat)  # STRING_AGG: its list names each row again


@statement_rule("JN010")
def total_repeated_by_grouped_rows(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not grouped_by_columns(block) or len({id(ref.relation) for ref in block.group_by}) != 1:
            continue
        grouped = block.group_by[0].relation
        if grouped is None:
            continue  # a name the query does not resolve: GROUP BY a SELECT list's alias
        known = _same_in_a_group(block, grouped)
        if one_row_each(grouped, known) is not False or _rows_picked(block, grouped, known):
            continue
        rest = {lower: name for lower, name in _key_columns(grouped).items() if lower not in known}
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for total in projection.node.find_all(_TOTALS):
                read = totalled_relations(total, refs)
                if not read or any(relation is grouped for relation in read) or window_of(total) is not None:
                    continue
                counted = read[0]
                hanging, on = _hanging_from(block, grouped, read, known, rest)
                if hanging:
                    yield _hit(query, block, grouped, counted, (hanging, on), total, known, rest)


def _same_in_a_group(block: m.Block, grouped: m.Relation) -> set[str]:
    """The grouped relation's lower-case columns that hold one value in each group: those grouped
    on and those fixed, and the key of a person's row a grouped column names (s.studentNumber
    names one Person row, and s.personID is that row's personID)."""
    known = {ref.name.lower() for ref in block.group_by} | fixed_columns(block, grouped)
    taken = {ref.name.lower() for ref in block.column_refs() if ref.relation is grouped}
    return known | {column for column in taken - known if any(_names_row_of(grouped, name, column) for name in known)}


def _names_row_of(relation: m.Relation, name: str, column: str) -> bool:
    """Whether the relation's column `name` names one row of a person table (Person's
    studentNumber: a value is one person's, as the catalog says) whose key `column` holds."""
    found = origins(relation, name)
    if len(found) != 1 or found[0].computed or found[0].relation.table is None:
        return False
    row, table = found[0].relation, found[0].relation.table
    if len(table.primary_key) != 1 or {table.scope_kind(found[0].column), table.scope_kind(table.primary_key[0])} != {"person"}:
        return False
    return row_equal_to(relation, column, table, table.primary_key[0].lower()) is row


def _hanging_from(block: m.Block, grouped: m.Relation, read: list[m.Relation], known: set[str],
                  rest: dict[str, str]) -> tuple[list[m.Relation], set[str]]:
    """The relations the totalled ones hang from the grouped one by, directly or through tables
    joined to each other (RelatedPair, then the guardian's Person and Identity): those of their
    part of the query, without the grouped relation, that are joined to the grouped one; and the
    grouped relation's lower-case columns they are joined on. None where the totalled ones are
    not all in that part, where one is joined on a column that differs within a group (not
    grouped on, nor fixed), or where one has a column of the `rest` of the grouped table's key
    to join on as well (JN002's fix, which it reports)."""
    branch, waiting = {id(read[0])}, [read[0]]
    while waiting:
        for partner in join_columns(block, waiting.pop())[0]:
            if partner is not grouped and id(partner) not in branch:
                branch.add(id(partner))
                waiting.append(partner)
    joined = join_columns(block, grouped)[0]
    hanging = [relation for relation in joined if id(relation) in branch]
    on = set().union(*(joined[relation] for relation in hanging))
    if not hanging or not on <= known or any(id(relation) not in branch for relation in read):
        return [], set()
    if any(relation.offers(column) for relation in hanging for column in rest):
        return [], set()
    return hanging, on


def _key_columns(relation: m.Relation) -> dict[str, str]:
    """The columns that tell the relation's rows apart, by lower-case name: its table's
    (Enrollment's personID and calendarID); a view's, CTE's or derived table's, those of the
    tables it reads, as JN002 reads them (student's: Enrollment's among them)."""
    if relation.kind == m.TABLE:
        return grain_columns([relation.table] if relation.table is not None else [])
    return grain_columns(read.table for read in tables_behind(relation) if read.table is not None)


def _rows_picked(block: m.Block, grouped: m.Relation, known: set[str]) -> bool:
    """Whether a condition may pick one of the grouped table's rows for each group: one on
    columns that tell its rows apart by themselves (e.enrollmentID IN (SELECT MAX(...) ...), a
    join to a derived or temp table of the latest enrollments), but a plain join to a catalog
    table. Not one on a column that needs the grouped ones too: s.calendarID IN (this year's
    calendars) keeps each of a student's enrollments in them."""
    for predicate in block.predicates:
        mine = {ref.name.lower() for ref in predicate.columns if ref.relation is grouped and not ref.outer}
        if not mine or mine <= known or one_row_each(grouped, mine) is not True:
            continue
        others = {id(ref.relation): ref.relation for ref in predicate.columns if ref.relation is not grouped}
        # a column the query does not resolve may be anything: taken as one that may pick a row
        if not (isinstance(predicate.node, exp.EQ) and others
                and all(other is not None and other.kind == m.TABLE for other in others.values())):
            return True
    return False


def _hit(query: Query, block: m.Block, grouped: m.Relation, counted: m.Relation,
         hanging_on: tuple[list[m.Relation], set[str]], total: exp.Expression, known: set[str],
         rest: dict[str, str]) -> Hit:
    written = as_in_file(query, total)
    listed = isinstance(total, exp.GroupConcat)
    verb = "lists" if listed else total_verb(total)
    outcome = "the list names each of them as many times" if listed else "the total is multiplied by how many there are"
    group = names([f"{ref.relation.alias}.{ref.name}" for ref in block.group_by])
    hanging, on = hanging_on
    joined_on = names(sorted(f"{grouped.alias}.{c}" for c in _written_names(block, grouped, on)))
    apart = [name for _, name in sorted(rest.items()) if grouped.offers(name)]
    told = f" (its rows differ in {names([f'{grouped.alias}.{c}' for c in apart])})" if apart else ""
    joined = (f"is joined to it on {joined_on}" if hanging == [counted]
              else f"is read through {names([r.label() for r in hanging])}, joined to it on {joined_on}")
    taken = _taken(block, grouped)
    # a derived table's query is not read again by its name: its own SELECT takes the DISTINCT
    rows = distinct_rows(query, grouped, taken) if {c.lower() for c in taken} <= known and grouped.kind != m.DERIVED else None
    instead = (f"Read {grouped.label()} once for each group, {rows} in its place" if rows else
               f"Read {grouped.label()} once for each group: in its place, a derived table of SELECT DISTINCT the "
               f"columns the query takes from it, with its conditions")
    made = "build the list" if listed else f"total {counted.name}"
    return Hit(
        query.span_of(total),
        f"{written} {verb} each {counted.name} row once for every {grouped.name} row of its group: the query groups by "
        f"{group}, {grouped.label()} has several rows in a group{told}, and {counted.label()} {joined} only, so each of "
        f"them meets the same {counted.name} rows and {outcome}.",
        f"{instead}; or {made} in a derived table of its own, grouped by the columns joined to {grouped.label()}, and "
        f"join that.{counted_once(total, counted)}",
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

"""JN004: a SUM or COUNT over the rows of one table, grouped by a row of another, with a second
table joined to that row as well: each gives several rows for it and nothing joins the two to
each other, so the join pairs every row of the one with every row of the other, and the total
counts each row as many times as the other has rows (a student's absences times their courses).
A table joined only to such a table has several rows for the grouped row too: Attendance joined to
a student's Enrollment rows, beside their Roster rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.filtering_joins import shown_relations
from advisor.checks.joins import (
    grouped_by_columns,
    join_columns,
    join_neighbours,
    reached_without,
    several_per_grouped_row,
)
from advisor.checks.multiplicity import Joined, columns_joined, joined_rows
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import relation_rows
from advisor.checks.snippets import as_in_file
from advisor.words import names

_TOTALS = (exp.Sum, exp.Count)


@dataclass(frozen=True)
class _Several:
    """A catalog table, or a view, CTE or derived table of one's rows, with several rows for each
    row of the relation the block groups by."""

    group_row: m.Relation
    parent: m.Relation  # what it is joined to: the grouped relation, or a table of a chain joined to it
    columns: list[str]  # its columns joined to the parent, as written: a.calendarID, a.personID
    branch: m.Relation  # the table of its chain joined to the grouped relation itself

    @property
    def how(self) -> str:
        return f"on {names(self.columns)}" if self.parent is self.group_row else f"through {self.parent.label()}"


@statement_rule("JN004")
def multiplied_total(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not grouped_by_columns(block):
            continue
        several = _several_per_group_row(block)
        below_each: dict[int, tuple[m.Relation, Joined] | None] = {}  # by the counted relation's id
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for total in projection.node.find_all(_TOTALS):
                counted = counted_relation(total, refs)
                if counted is None or window_of(total) is not None:
                    continue
                others = [x for x in several if counted in several and x is not counted
                          and several[x].group_row is several[counted].group_row
                          and not _branches_joined(block, several, x, counted)]
                if others:  # the largest multiplies the most
                    other = max(others, key=lambda x: relation_rows(x) or 0)
                    yield _hit(query, total, counted, several[counted], other, several[other])
                    continue
                if id(counted) not in below_each:
                    below_each[id(counted)] = _several_below(block, counted)
                if (below := below_each[id(counted)]) is not None:
                    yield _hit_below(query, total, counted, *below)


def _several_below(block: m.Block, counted: m.Relation) -> tuple[m.Relation, Joined] | None:
    """A relation the query returns or groups on with several rows for each row of the counted one,
    joined to it alone (Attendance, a student's absences, beside the students counted per school);
    the largest. Where the counted relation has one row for each row of the grouped one (a CTE of
    each student's marks beside their Roster rows), any other the grouped row has several of. Not
    one the block groups by, whose rows are its groups' (JN010 says when several fall in one); nor
    one that links the counted rows to their groups (a student's enrollments, which put their
    credits in each school's group), nor one joined only to filter (JN007's)."""
    grouped = {id(ref.relation): ref.relation for ref in block.group_by if ref is not None}
    one_per_group = id(counted) in grouped or any(
        (found := joined_rows(block, relation).get(counted)) is not None and not found.several for relation in grouped.values())
    apart = set() if one_per_group else reached_without(join_neighbours(block), grouped.values(), counted)
    shown = shown_relations(block)
    below = [(relation, joined) for relation, joined in joined_rows(block, counted).items()
             if joined.several and id(relation) not in grouped and id(relation) not in apart and id(relation) in shown]
    return max(below, key=lambda pair: relation_rows(pair[0]) or 0, default=None)


def _several_per_group_row(block: m.Block) -> dict[m.Relation, _Several]:
    """The catalog tables (or views, CTEs and derived tables of one's rows) with several rows for
    a row of the one relation the block groups by that each is joined to, and the tables joined
    only to one of those, in chains."""
    found = {}
    for relation in block.relations:
        partners = several_per_grouped_row(block, relation)
        if len(partners) == 1:
            found[relation] = _Several(partners[0], partners[0], columns_joined(block, relation, partners[0]), relation)
    grouped = {id(ref.relation) for ref in block.group_by if ref is not None}
    added = True
    while added:
        added = False
        for relation in block.relations:
            if relation in found or relation.kind != m.TABLE or relation.table is None or id(relation) in grouped:
                continue
            partners = list(join_columns(block, relation)[0])
            if len(partners) == 1 and (parent := found.get(partners[0])) is not None:
                found[relation] = _Several(parent.group_row, partners[0], columns_joined(block, relation, partners[0]),
                                           parent.branch)
                added = True
    return found


def counted_relation(total: exp.Expression, refs: dict[int, m.ColumnRef]) -> m.Relation | None:
    """The one relation whose rows a SUM or COUNT totals: that of the columns it reads; None for
    COUNT(*), a DISTINCT total (each value once however often it comes), or columns of several."""
    relations = totalled_relations(total, refs)
    return relations[0] if len(relations) == 1 else None


def totalled_relations(total: exp.Expression, refs: dict[int, m.ColumnRef]) -> list[m.Relation]:
    """The relations whose columns a total reads; none for COUNT(*) or a DISTINCT total."""
    if isinstance(total.this, (exp.Distinct, exp.Star)):
        return []
    return list({id(ref.relation): ref.relation for column in total.find_all(exp.Column)
                 if (ref := refs.get(id(column))) is not None and ref.relation is not None}.values())


def _branches_joined(block: m.Block, several: dict[m.Relation, _Several], one: m.Relation, other: m.Relation) -> bool:
    """Whether the chains of the two tables are one, or joined to each other anywhere other than
    through the grouped row: a teacher's Section rows and the Calendar rows of their school, each
    Calendar row tied to a section through its Course, pair one each."""
    if several[one].branch is several[other].branch:
        return True
    ones = [r for r, found in several.items() if found.branch is several[one].branch]
    others = {id(r) for r, found in several.items() if found.branch is several[other].branch}
    return bool(others & reached_without(join_neighbours(block), ones, several[one].group_row))


def _hit(query: Query, total: exp.Expression, counted: m.Relation, how: _Several, other: m.Relation, other_how: _Several) -> Hit:
    written = as_in_file(query, total)
    verb = total_verb(total)
    group_row = how.group_row
    name = _rows_of(counted)
    return Hit(
        query.span_of(total),
        f"{written} {verb} each {name} row once for every {other.name} row of the same {group_row.name} "
        f"row: {counted.label()} ({how.how}) and {other.label()} ({other_how.how}) each have "
        f"several rows for one {group_row.label()} row and nothing joins them to each other, so the join pairs every "
        f"{name} row with every {other.name} row, and the total is multiplied by how many {other.name} "
        "rows there are.",
        f"Total {name} in a derived table of its own, grouped by {names(how.columns)} with its conditions, "
        f"and join that one row per {how.parent.name} row instead of {counted.label()}; the same for {other.name}."
        + counted_once(total, counted),
        (name, other.name),
    )


def _hit_below(query: Query, total: exp.Expression, counted: m.Relation, other: m.Relation, joined: Joined) -> Hit:
    written = as_in_file(query, total)
    name = _rows_of(counted)
    how = f"on {names(joined.columns)}" if joined.parent is counted else f"through {joined.parent.label()}"
    return Hit(
        query.span_of(total),
        f"{written} {total_verb(total)} each {name} row once for every {other.name} row joined to it: "
        f"{other.label()} ({how}) has several rows for one {counted.label()} row, so the join repeats each {name} "
        f"row for every one of them, and the total is multiplied by how many {other.name} rows each has.",
        f"Total {other.name} in a derived table of its own, one row per {counted.label()} row, and join that in place "
        f"of {other.label()}; or total {name} before the join." + counted_once(total, counted),
        (name, other.name),
    )


def _rows_of(relation: m.Relation) -> str:
    """What a relation's rows are named by: a catalog table's name (Attendance a's), a CTE's (absences
    ab's), or a derived table's alias."""
    return relation.table.name if relation.table is not None else relation.name


def total_verb(total: exp.Expression) -> str:
    return "counts" if isinstance(total, exp.Count) else "adds up"


def counted_once(total: exp.Expression, counted: m.Relation) -> str:
    """For a COUNT of a catalog table's rows, the COUNT(DISTINCT key) that counts each once."""
    key = counted.table.primary_key if counted.table is not None else ()
    return (f" For a count of {counted.table.name} rows, COUNT(DISTINCT {counted.alias}.{key[0]}) counts each once."
            if isinstance(total, exp.Count) and len(key) == 1 else "")

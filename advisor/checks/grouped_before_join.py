"""SC003: a view, CTE or derived table that groups, ranks or takes the top rows of a whole
history before it is joined: the join's limit comes too late to narrow what it reads. A view
cannot be limited inside, so the fix names what SQL Server applies before it groups: a condition
on a column it groups or partitions by, or its tables read in its place. One joined on what it
groups by may be run once for each joined row instead, as the timeout estimate allows: the
finding says so, a level less severe."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.analysis import model as m
from advisor.analysis.lineage import origins, passed_through
from advisor.analysis.model import Query, Reach
from advisor.catalog.model import Catalog
from advisor.checks.indexes import sides_of
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.scope import PREFERRED, by_kind, unscoped_reaches
from advisor.checks.semi_joins import values_kept
from advisor.checks.sizes import severity_for_rows
from advisor.findings import less_severe
from advisor.words import count, names


@statement_rule("SC003")
def grouped_before_join(query: Query, catalog: Catalog) -> Iterator[Hit]:
    by_barrier: dict[int, list[Reach]] = {}
    for reaches in unscoped_reaches(query, history_only=False).values():
        for reach in reaches:
            if reach.barrier is not None and reach.barrier.joined_to_others:
                by_barrier.setdefault(id(reach.barrier), []).append(reach)
    for reaches in by_barrier.values():
        barrier = reaches[0].barrier
        tables = list(dict.fromkeys(r.table.name for r in reaches))
        rows = max(r.table.rows for r in reaches)
        inner = barrier.inner[0] if barrier.inner else None
        how = "ranks" if inner is not None and inner.windowed else "groups" if inner is not None and inner.grouped else "takes the top rows of"
        read = [r.anchor.name for r in reaches if r.through and r.anchor is not barrier] or tables
        standing, pairs = barrier.standing_in, _joined_pairs(barrier)
        # what its join compares it with, else (a cross join, a condition in the WHERE) all it meets
        others = (list(dict.fromkeys(theirs.relation.label() for _, theirs in pairs))
                  or list(dict.fromkeys(r.label() for joined in standing for r in joined.block.relations if r is not joined)))
        subject = barrier.label() if barrier.kind == m.VIEW else f"{'CTE' if barrier.kind == m.CTE else 'Derived table'} {barrier.label()}"
        what = names(tables) if read == tables else f"{names(list(dict.fromkeys(read)))} ({names(tables)})"
        per_student = ("compute each student's value with OUTER APPLY (SELECT SUM(...) FROM ... WHERE x.personID = "
                       "s.personID), which reads only those students' rows." if how == "groups" else
                       "read one row per student with OUTER APPLY (SELECT TOP 1 ... WHERE x.personID = s.personID ORDER BY ...).")
        # a view cannot be limited inside, but a condition on what it groups by is applied there
        own = _limits_of_its_own(barrier) if barrier.kind == m.VIEW else []
        given = _persons_given(barrier, pairs, query) if barrier.kind == m.VIEW and not own else None
        by = "groups" if how == "groups" else "partitions"
        grouped_on = _joined_on_what_it_groups_by(barrier, pairs)
        if own:
            fix = (f"Compare its own columns with values instead of joining to limit it: {' or '.join(own)}. SQL Server "
                   f"applies a condition on a column {barrier.name} {by} by before it {how}; a join, only after. Or "
                   f"{per_student}")
        elif given:
            # in a LEFT JOIN's ON, where it keeps the students without a row in the view; in the
            # CTE or derived table standing in for it, where it is read
            where, keyword = (" (in the LEFT JOIN's ON)" if barrier.join == m.LEFT else "", "AND")
            if standing != [barrier]:
                reader = barrier.block.readers[0]
                where = f" where {'CTE ' + reader.name if reader.kind == m.CTE else 'derived table ' + reader.alias} reads it"
                keyword = "AND" if barrier.block.node.args.get("where") else "WHERE"
            fix = (f"Give it the students as a condition on its own column{where}, not only as a join: {keyword} {given}. SQL Server "
                   f"applies a condition on a column {barrier.name} {by} by before it {how}; a join, only after. Or "
                   f"{per_student}")
        else:
            certain = "make reading per row certain: " if grouped_on else ""
            limit = (f"Read {names(tables)} in place of the view, limited to" if barrier.kind == m.VIEW else
                     "Limit the rows inside it to")
            fix = f"{limit} the same year, calendar or students the outer query uses, or {certain}{per_student}"
        said = f"{subject} {how} all of {what}, {count(rows)} rows in the largest, before it is joined to {names(others)}"
        severity = severity_for_rows(rows)
        if grouped_on:
            # The timeout estimate lets SQL Server run it once for each joined row here: the
            # finding says that it may, and that nothing in the query makes it.
            said += (f" on {names(grouped_on)}, which it groups by: SQL Server can run it once for each row it is "
                     "joined to, reading only that row's share, but groups every row first when its estimates say so")
            severity = less_severe(severity)
        else:
            said += ": the join cannot limit what it reads"
        yield Hit(barrier.span, f"{said}.", fix, tuple(dict.fromkeys([barrier.name, *read, *tables])), severity)


def _joined_pairs(barrier: m.Relation) -> list[tuple[str | None, m.ColumnRef]]:
    """The joins that compare the barrier's columns with others', as its own column's name (None
    where the CTE or derived table standing in for it computes the column compared) and the column
    it is compared with."""
    pairs: list[tuple[str | None, m.ColumnRef]] = []
    for joined in barrier.standing_in:
        for mine, theirs in sides_of(joined.block, joined):
            relation, column = passed_through(joined, mine.name)
            pairs.append((column if relation is barrier else None, theirs))
    return pairs


def _joined_on_what_it_groups_by(barrier: m.Relation, pairs: list[tuple[str | None, m.ColumnRef]]) -> list[str]:
    """The columns a grouped view, CTE or derived table is joined on, when all are columns it
    groups by: SQL Server can then run it as a correlated subquery, seeking each outer row's rows
    before it groups them, as the timeout estimate takes it (Block.per_row_columns). Not one that
    ranks, or takes the top rows, whose rows depend on all of them."""
    if len(barrier.inner) != 1:
        return []
    block = barrier.inner[0]
    # a column it computes (YEAR(a.date) AS y) is not one a seek can find the rows of
    grouping = {p.name.lower() for p in block.projections if p.plain is not None} & block.per_row_columns
    joined = [name for name, _ in pairs]
    return list(dict.fromkeys(joined)) if joined and all(name and name.lower() in grouping for name in joined) else []


# The limits a view's own column can carry, in the order SC003's fix offers them, with what to compare it with
_OWN_LIMITS = {"year": "= @endYear", "calendar": "= @calendarID", "date": "BETWEEN @startDate AND @endDate", "school": "= @schoolID"}


def _limits_of_its_own(view: m.Relation) -> list[str]:
    """Up to two conditions on a grouped or ranking view's own columns that limit its history
    before it groups: on the columns it groups or partitions by that hold a year, calendar, date
    or school (v_AttDayDetail_Federal's f.endYear = @endYear)."""
    offered = _grouped_by_kind(view, PREFERRED)
    return [f"{view.alias}.{offered[kind][0]} {limit}" for kind, limit in _OWN_LIMITS.items() if offered.get(kind)][:2]


def _persons_given(view: m.Relation, pairs: list[tuple[str | None, m.ColumnRef]], query: Query) -> str | None:
    """For a view grouped or ranked by person (v_CumGPAFull by personID), the persons of the
    relation it is joined to on that column, as a condition on the view's own column, where
    conditions of that relation's own limit it to a year or the like: gpa.personID IN (SELECT
    s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.grade = '12')."""
    persons = {column.lower() for column in _grouped_by_kind(view, ("person",)).get("person", [])}
    limited = {id(node.anchor) for node in query.graph.all_nodes() if node.own_kinds & set(PREFERRED)} if query.graph else set()
    for name, theirs in pairs:
        if name and name.lower() in persons and id(theirs.relation) in limited:
            listed = values_kept(query, theirs.relation, theirs.name)
            if listed is not None:
                return f"{view.alias}.{name} IN {listed}"
    return None


def _grouped_by_kind(view: m.Relation, kinds: tuple[str, ...]) -> dict[str, list[str]]:
    """A grouped or ranking view's columns that it groups or partitions by, by the scope kind of
    `kinds` they carry."""
    if len(view.inner) != 1:
        return {}
    block = view.inner[0]
    # origins() stops at grouping, which computes values: a column grouped by passes its own on
    return by_kind(((p.name, origins(p.plain.relation, p.plain.name)) for p in block.projections
                     if p.plain is not None and p.plain.relation is not None and p.name.lower() in block.pushable_columns),
                    kinds)

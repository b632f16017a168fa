"""Views: where base tables would do, views on views, GPA and transcript views, the indexed
student view read without NOEXPAND, and a view joined back to a table it already reads."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import (
    INNER_JOINS,
    base_tables,
    direct_from,
    passed_through,
    row_equal_to,
    view_chain,
)
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.columns import unknown_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import LARGE_ROWS, severity_for_rows
from advisor.words import count, names

# Fewer small tables than this are not worth trading the view's convenience for.
_WORTH_DROPPING = 3


def _user_views(query: Query) -> Iterator[m.Relation]:
    for relation in query.relations:
        if relation.kind == m.VIEW and relation.block.in_user_text:
            yield relation


def _used_columns(relation: m.Relation) -> list[str]:
    """The view's columns the query reads, in the view's order; all of them under a star that
    passes every one on."""
    read = relation.read_columns
    return [c for c in relation.output_columns or [] if read is None or c.lower() in read]


@statement_rule("VW001")
def view_where_tables_suffice(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for view in _user_views(query):
        if view.view.indexed or not view.inner:
            continue  # an indexed view is read like a table; VW004 covers reading it right
        used = _used_columns(view)
        direct = direct_from(view, used)
        read = list(dict.fromkeys(t.table.name for t in base_tables(view)))
        if direct is None or len({t.table.name for t in direct.tables}) >= len(read):
            continue
        needed = [t.table.name for t in direct.tables]
        spare = [t for t in base_tables(view) if t.table.name not in needed]
        heaviest = max((t.table.rows for t in spare), default=0)
        if heaviest < LARGE_ROWS and len(spare) < _WORTH_DROPPING:
            continue  # what the view adds is small: reading it costs little more
        # a column computed where sqladvise cannot follow (an OUTER APPLY's) may need what looks spare
        untraced = (f", apart from {names(direct.untraced)}, which {view.name} computes from tables sqladvise cannot trace"
                    if direct.untraced else "")
        # columns the catalog does not list for the view (CL003) may need what looks spare too
        unlisted = list(dict.fromkeys(column.name for column in unknown_columns(view.block, view)))
        not_listed = f" It also reads {names(unlisted)}, which sqladvise's catalog does not list for {view.name}." if unlisted else ""
        message = (
            f"{view.name} reads {len(read)} base tables ({names(read)}); this query uses "
            f"{len(used)} of its columns ({names(used)}), which need only {names(needed)}{untraced}.{not_listed}"
        )
        remediation = "Read the base tables directly:\n" + direct.text
        if direct.renamed:
            them = "it" if len(direct.renamed) == 1 else "them"
            remediation += f"\n({view.name} names {them} otherwise: {'; '.join(direct.renames)}.)"
        formulas = direct.formulas
        if formulas:
            them = "it" if len(formulas) == 1 else "them"
            remediation += f"\n(computed as {view.name} computes {them}: {'; '.join(formulas)}.)"
        if direct.untraced:
            them = "it" if len(direct.untraced) == 1 else "them"
            remediation += f"\n({names(direct.untraced)}: computed inside {view.name}; keep the view only if you need {them}.)"
        if unlisted:
            remediation += (f"\n({names(unlisted)}: find which of {view.name}'s tables hold "
                            f"{'it' if len(unlisted) == 1 else 'them'} before leaving the view.)")
        yield Hit(view.span, message, remediation, (view.name, *needed),
                  "info" if untraced or unlisted else severity_for_rows(heaviest))


@statement_rule("VW002")
def nested_views(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for view in _user_views(query):
        chain = view_chain(view)
        if len(chain) < 2:
            continue
        steps = " on ".join(r.name for r in chain)
        tables = list(dict.fromkeys(t.table.name for t in base_tables(view)))
        if chain[-1].unexpanded:  # the views go deeper than sqladvise follows them
            found = f"{len(chain)} levels of views before sqladvise stops expanding them ({chain[-1].name}: {chain[-1].unexpanded})"
            read = ""
        else:
            found = f"{len(chain)} levels of views, {len(tables)} base tables in all"
            read = f" ({names(tables)} are what {view.name} reads)"
        yield Hit(
            view.span,
            f"{steps}: {found}. Every level adds joins and computed columns the optimizer must expand and cannot "
            "always remove.",
            f"Read the base tables the query needs{read}, or the lowest view that has the columns.",
            tuple(r.name for r in chain),
            "warning" if len(chain) >= 3 else "info",
        )


@statement_rule("VW003")
def after_hours_views(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for view in _user_views(query):
        chain = [r.name for r in view_chain(view)]
        heavy = [name for name in chain if "after_hours" in (catalog.view(name).advice if catalog.view(name) else ())]
        if not heavy:
            continue
        if heavy[0] == view.name:
            subject = view.name + (f" (and {names(heavy[1:])} under it)" if heavy[1:] else "")
        else:
            subject = f"{view.name} is built on {names(heavy)}, which"
        yield Hit(
            view.span,
            f"{subject} compute{'s' if len(heavy) == 1 else ''} grades, GPA or transcripts from every "
            f"matching row each time {'it is' if len(heavy) == 1 else 'they are'} read. Campus advises "
            f"running filters with GPA fields after school hours: they can task the server.",
            "Schedule it after school hours (Data Extract Utility or Task Scheduler), and limit it to the "
            "students and years you need.",
            tuple(heavy),
        )


@statement_rule("VW004")
def indexed_view_without_noexpand(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for view in _user_views(query):
        if not view.view.indexed or any(h.name == "NOEXPAND" for h in view.hints):
            continue
        tables = list(dict.fromkeys(t.table.name for t in base_tables(view)))
        rows = max((t.table.rows for t in base_tables(view)), default=0)
        yield Hit(
            view.span,
            f"{view.name} is an indexed view, but without WITH (NOEXPAND) SQL Server (Standard Edition "
            f"always, Enterprise often) ignores its index and joins {names(tables)} again "
            f"({count(rows)} rows in the largest).",
            f"Read it as {view.name} {view.alias} WITH (NOEXPAND)." if view.alias != view.name else f"Read it as {view.name} WITH (NOEXPAND).",
            (view.name,),
            severity_for_rows(rows),
        )


@statement_rule("VW006")
def view_joined_back(query: Query, catalog: Catalog) -> Iterator[Hit]:
    reported: set[int] = set()
    for block in query.user_blocks:
        for join in block.join_keys:
            for view_side, table_side in ((join.left, join.right), (join.right, join.left)):
                view, table = view_side.relation, table_side.relation
                # the view, or a derived table or CTE that passes on its column: WITH s AS (SELECT * FROM v ...)
                viewed = passed_through(view, view_side.name)[0]
                if (id(table) in reported or viewed.kind != m.VIEW or table.kind != m.TABLE or table.table is None
                        or table.changed):  # UPDATE e ... FROM Enrollment e JOIN student s: the view cannot stand in
                    continue
                taken = _taken_from_view(query, view_side, table_side, join.predicate)
                if taken is None:
                    continue
                reported.add(id(table))
                name = table.table.name
                has = (f"{view.name} has every column the query takes from {table.alias}" if taken
                       else f"The query takes nothing else from {table.alias}")
                reads = viewed.name if viewed is view else f"{viewed.name}, read through {view.name},"
                yield Hit(
                    table.span,
                    f"{reads} already reads {name}: {view.alias}.{view_side.name} is the key of that {name} row, "
                    f"so joining {table.label()} on it reads the row a second time for each row of the view. {has}.",
                    _without_the_table(query, view, table, join.predicate, taken),
                    (viewed.name, name),
                    severity_for_rows(table.table.rows),
                )


def _without_the_table(query: Query, view: m.Relation, table: m.Relation, join: m.Predicate,
                       taken: list[tuple[str, str]]) -> str:
    """How to write the query without the table: drop it, keep the conditions of the ON clause
    that joined it, and read the view's columns."""
    if table.join == m.FROM:
        steps, joining = [f"Start the FROM clause at {view.label()}, without {table.label()}."], view
    else:
        steps, joining = [f"Drop the join to {table.label()}."], table
    moved = [query.written(p.node) for p in table.block.predicates
             if p.on is joining and p is not join and not _matches_view(p, view, table)]
    if moved:
        steps.append(f"Move {' and '.join(moved)} from the ON clause to the WHERE clause.")
    if taken:
        given = "; ".join(f"{table.alias}.{column} is {view.alias}.{instead}" for column, instead in taken)
        steps.append(f"Read the view's columns instead: {given}.")
    return " ".join(steps)


def _taken_from_view(query: Query, view_side: m.ColumnRef, table_side: m.ColumnRef,
                     join: m.Predicate) -> list[tuple[str, str]] | None:
    """Where the table joins the view on the key of a row the view reads: each column the query
    takes from the table with the view's column that gives the same value (the key only where the
    query names it outside this join). None where dropping the table could change the rows, or
    the view lacks a column."""
    view, table = view_side.relation, table_side.relation
    key = table_side.name.lower()
    read = table.read_columns
    if read is None or not table.table.unique_on(key) or not _joined_for_every_row(view, table):
        return None
    row = row_equal_to(view, view_side.name, table.table, key)
    if row is None:
        return None
    wanted = read if _named_elsewhere(query, table, key, join) else read - {key}
    offered = {key: view_side.name}
    for column in wanted - offered.keys():
        given = next((c for c in view.output_columns or [] if row_equal_to(view, c, table.table, column) is row), None)
        if given is None:
            return None
        offered[column] = given
    return [(c.name, offered[c.name.lower()]) for c in table.table.columns if c.name.lower() in wanted]


def _joined_for_every_row(view: m.Relation, table: m.Relation) -> bool:
    """Whether dropping the table keeps the rows as they are: both joined inner, or the table
    LEFT JOINed on nothing but equalities with the view (other conditions null its columns)."""
    if view.join not in INNER_JOINS:
        return False
    return table.join in INNER_JOINS or table.join == m.LEFT and all(
        _matches_view(p, view, table) for p in table.block.predicates if p.on is table)


def _matches_view(predicate: m.Predicate, view: m.Relation, table: m.Relation) -> bool:
    """t.x = v.y: true of the row the view already read, where both hold a value."""
    return isinstance(predicate.node, exp.EQ) and {ref.relation for ref in predicate.columns} == {view, table}


def _named_elsewhere(query: Query, table: m.Relation, key: str, join: m.Predicate) -> bool:
    """Whether the query names the table's key anywhere but in the join to the view."""
    for block in query.blocks:
        refs = [*(r for p in block.predicates if p is not join for r in p.columns),
                *(r for p in block.projections for r in p.columns), *(r for r in block.group_by if r is not None)]
        if any(ref.relation is table and ref.name.lower() == key for ref in refs):
            return True
    return False

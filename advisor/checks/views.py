"""Views: where base tables would do, views on views, GPA and transcript views, and the indexed
student view read without NOEXPAND."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.analysis import model as m
from advisor.analysis.lineage import base_tables, direct_from, view_chain
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
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
    """The view's columns the query reads, in the view's order; all of them under a star."""
    offered = relation.output_columns or []
    starred = any(relation in (p.star_of or []) for p in relation.block.projections)
    return [c for c in offered if starred or c.lower() in relation.columns]


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
        message = (
            f"{view.name} reads {len(read)} base tables ({names(read)}); this query uses "
            f"{len(used)} of its columns ({names(used)}), which need only {names(needed)}."
        )
        remediation = "Read the base tables directly:\n" + direct.text
        formulas = direct.formulas
        if formulas:
            them = "it" if len(formulas) == 1 else "them"
            remediation += f"\n(computed as {view.name} computes {them}: {'; '.join(formulas)}.)"
        if direct.untraced:
            them = "it" if len(direct.untraced) == 1 else "them"
            remediation += f"\n({names(direct.untraced)}: computed inside {view.name}; keep the view only if you need {them}.)"
        yield Hit(view.span, message, remediation, (view.name, *needed), severity_for_rows(heaviest))


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

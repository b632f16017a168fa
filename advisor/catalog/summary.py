"""What a catalog holds, for `sqladvise catalog show`: its largest tables, its views and how deep
they stack, and what it lacks compared with the bundled Campus catalog."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.analysis import analyse
from advisor.analysis import model as m
from advisor.analysis.lineage import base_tables, view_chain
from advisor.analysis.views import ViewLibrary
from advisor.catalog.model import FUNCTION_KINDS, Catalog
from advisor.frontend.parse import read_script

LARGEST = 10


@dataclass(frozen=True)
class ViewFacts:
    """What one view expands to: how deep it stacks and the base tables under it."""

    name: str
    levels: int  # views stacked, this one included: 1 for a view on tables alone
    base_tables: tuple[str, ...]
    indexed: bool
    problem: str | None = None  # why its definition could not be expanded


@dataclass(frozen=True)
class Summary:
    """What `catalog show` says of a catalog: its largest tables, its views, what it lacks."""

    catalog: Catalog
    largest: tuple[tuple[str, int], ...]  # (table, rows), most rows first
    views: tuple[ViewFacts, ...]
    missing_tables: tuple[str, ...]  # in the bundled catalog, not in this one
    missing_views: tuple[str, ...]
    functions: dict[str, int]  # kind -> how many
    untrusted_keys: tuple[str, ...]  # "table.key": foreign keys the optimizer cannot rely on


def summarise(catalog: Catalog, bundled: Catalog) -> Summary:
    tables = sorted(catalog.tables.values(), key=lambda t: -t.rows)
    library = ViewLibrary(catalog)
    views = tuple(_view(catalog, library, name) for name in sorted(catalog.views))
    return Summary(
        catalog,
        tuple((table.name, table.rows) for table in tables[:LARGEST]),
        views,
        tuple(sorted(t.name for key, t in bundled.tables.items() if key not in catalog.tables)),
        tuple(sorted(v.name for key, v in bundled.views.items() if key not in catalog.views)),
        {kind: sum(f.kind == kind for f in catalog.functions.values()) for kind in FUNCTION_KINDS},
        tuple(f"{t.name}.{k.name}" for t in sorted(catalog.tables.values(), key=lambda t: t.name.lower())
              for k in t.foreign_keys if not k.trusted),
    )


def _view(catalog: Catalog, library: ViewLibrary, key: str) -> ViewFacts:
    view = catalog.views[key]
    # The view as a query reads it: the same expansion every check sees.
    (query,) = analyse(read_script(f"SELECT 1 AS probe FROM [{view.schema}].[{view.name}] AS probe\n"), catalog, library)
    relation = next((r for block in query.blocks for r in block.relations if r.kind == m.VIEW), None)
    if relation is None or relation.inner is None:
        return ViewFacts(view.name, 1, (), view.indexed, "its definition could not be read")
    tables = tuple(dict.fromkeys(t.table.name for t in base_tables(relation) if t.table is not None))
    return ViewFacts(view.name, len(view_chain(relation)), tables, view.indexed)

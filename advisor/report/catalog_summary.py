"""`sqladvise catalog show`: a catalog's summary as rich tables."""

from __future__ import annotations

from typing import TextIO

from advisor.catalog.summary import Summary
from advisor.report import catalog_note
from advisor.words import count, plural


def render(summary: Summary, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, highlight=False)
    catalog = summary.catalog
    console.print(f"[bold]{catalog.description}[/bold] ({catalog.origin})")
    functions = ", ".join(f"{n} {kind.replace('_', '-')}" for kind, n in summary.functions.items() if n)
    console.print(f"{plural(len(catalog.tables), 'table')}, {plural(len(catalog.views), 'view')}, "
                  f"{plural(sum(summary.functions.values()), 'function')}{f' ({functions})' if functions else ''}. "
                  f"{catalog_note(catalog)}")
    if catalog.server is not None:
        server = catalog.server
        facts = [f"SQL Server {server.product_version}" if server.product_version else None, server.edition,
                 f"compatibility level {server.compatibility_level}" if server.compatibility_level is not None else None,
                 f"collation {server.collation}" if server.collation else None]
        console.print("Server: " + ", ".join(fact for fact in facts if fact))
    if summary.untrusted_keys:
        console.print(f"[bold]Untrusted foreign keys[/bold] (created or re-enabled WITH NOCHECK; the optimizer "
                      f"cannot rely on them): {', '.join(summary.untrusted_keys)}")
    largest = Table(title="Largest tables", title_justify="left")
    largest.add_column("table")
    largest.add_column("rows", justify="right")
    for name, rows in summary.largest:
        largest.add_row(name, count(rows))
    console.print(largest)
    views = Table(title="Views: how deep they stack and what they read", title_justify="left")
    for heading in ("view", "levels", "base tables", "indexed"):
        views.add_column(heading, justify="right" if heading == "levels" else "left")
    for view in summary.views:
        read = view.problem or f"{len(view.base_tables)}: {', '.join(view.base_tables)}"
        views.add_row(view.name, str(view.levels), read, "yes" if view.indexed else "")
    console.print(views)
    if summary.missing_tables or summary.missing_views:
        console.print(f"[bold]Not in this catalog, but in the bundled Campus catalog[/bold]: "
                      f"{len(summary.missing_tables)} tables ({', '.join(summary.missing_tables) or 'none'}); "
                      f"{len(summary.missing_views)} views ({', '.join(summary.missing_views) or 'none'}). "
                      "sqladvise knows neither their sizes nor their definitions when a query reads them.")

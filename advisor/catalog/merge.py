"""A district's own catalog over the bundled one.

The district's objects win, object by object: their columns, indexes, row counts and view
definitions are the server's truth. What SQL Server's catalog cannot say, sqladvise's knowledge
of Campus fills in from the bundled object of the same name: which tables keep every school
year, which columns limit a query to a year or calendar, what identifies a row, which views to
run after hours. Objects the district's catalog lacks come from the bundled one, and the catalog
records which, so every report can say so. A table whose rows its source could not count (a live
pull from a database without statistics) takes the bundled table's size.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.catalog.model import Catalog, Table, View


def over_bundled(district: Catalog, bundled: Catalog) -> Catalog:
    tables = {key: _table(table, bundled.tables.get(key)) for key, table in district.tables.items()}
    views = {key: _view(view, bundled.views.get(key)) for key, view in district.views.items()}
    lacked = [table.name for key, table in bundled.tables.items() if key not in tables]
    lacked += [view.name for key, view in bundled.views.items() if key not in views]
    uncounted = [table for table in district.tables.values() if not table.rows_known]
    tables.update({key: table for key, table in bundled.tables.items() if key not in tables})
    views.update({key: view for key, view in bundled.views.items() if key not in views})
    return replace(district, tables=tables, views=views,
                   scope_join_keys=district.scope_join_keys or bundled.scope_join_keys,
                   wizard_fields=district.wizard_fields or bundled.wizard_fields,
                   from_bundled=_sorted(lacked),
                   sized_from_bundled=_sorted(t.name for t in uncounted if t.name.lower() in bundled.tables),
                   unsized=_sorted(t.name for t in uncounted if t.name.lower() not in bundled.tables))


def _sorted(names) -> tuple[str, ...]:
    return tuple(sorted(names, key=str.lower))


def _table(own: Table, known: Table | None) -> Table:
    if known is not None and not own.rows_known:
        own = replace(own, rows=known.rows, rows_known=True, pages=None, volume=known.volume,
                      growth_per_year=known.growth_per_year)
    if known is None or own.history or own.scope or own.join_keys or own.grains:
        return own  # the district says it itself, or sqladvise knows nothing more
    columns = {column.name.lower() for column in own.columns}
    return replace(own, history=known.history,
                   scope={column: kind for column, kind in known.scope.items() if column in columns},
                   join_keys=frozenset(key for key in known.join_keys if key in columns),
                   grains=tuple(grain for grain in known.grains if all(c.lower() in columns for c in grain)))


def _view(own: View, known: View | None) -> View:
    return replace(own, advice=known.advice) if known is not None and not own.advice else own

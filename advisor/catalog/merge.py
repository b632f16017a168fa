"""A district's own catalog over the bundled one.

The district's objects win, object by object: their columns, indexes, row counts and view
definitions are the server's truth. What SQL Server's catalog cannot say, sqladvise's knowledge
of Campus fills in from the bundled object of the same name: which tables keep every school
year, which columns limit a query to a year or calendar, what identifies a row, what a column
points at (Person's currentIdentityID), which views to run after hours. Objects the district's
catalog lacks come from the bundled one, and the catalog records which, so every report can say
so.

Where a district's catalog could not say something, the bundled object of the same name does: the
size of a table its source could not count (a live pull from a database without statistics), how
fast a table grows (an export has today's counts only), which index is clustered and which view
indexed (only SQL Server has them; a copy of its schema elsewhere cannot say).
"""

from __future__ import annotations

from dataclasses import replace

from advisor.catalog.model import Catalog, Index, Table, View


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
                   unsized=_sorted(t.name for t in uncounted if t.name.lower() not in bundled.tables),
                   unfamiliar=_sorted(t.name for key, t in district.tables.items() if key not in bundled.tables))


def _sorted(names) -> tuple[str, ...]:
    return tuple(sorted(names, key=str.lower))


def _table(own: Table, known: Table | None) -> Table:
    if known is not None and not own.rows_known:
        own = replace(own, rows=known.rows, rows_known=True, pages=None, volume=known.volume,
                      growth_per_year=known.growth_per_year, growth_known=True)
    if not own.growth_known:
        # The same share of its rows each year as Campus's table of that name gains.
        share = known.growth_per_year / max(known.rows, 1) if known is not None else 0.0
        own = replace(own, growth_per_year=round(own.rows * share), growth_known=True)
    if any(index.clustered is None for index in own.indexes):
        own = replace(own, indexes=_clustering(own.indexes, known))
    if known is not None and known.foreign_keys and not own.foreign_keys:
        # what Campus's columns point at (Person's currentIdentityID, its current Identity row),
        # which a server need not declare
        held = {column.name.lower() for column in own.columns}
        own = replace(own, foreign_keys=tuple(key for key in known.foreign_keys
                                              if all(column.lower() in held for column in key.columns)))
    if known is None or any((own.history, own.scope, own.join_keys, own.grains, own.shares, own.one_row, own.year_names)):
        return own  # the district says it itself, or sqladvise knows nothing more
    columns = {column.name.lower() for column in own.columns}
    return replace(own, history=known.history,
                   scope={column: kind for column, kind in known.scope.items() if column in columns},
                   join_keys=frozenset(key for key in known.join_keys if key in columns),
                   grains=tuple(grain for grain in known.grains if all(c.lower() in columns for c in grain)),
                   shares={column: shares for column, shares in known.shares.items() if column in columns},
                   one_row={column: value for column, value in known.one_row.items() if column in columns},
                   year_names=known.year_names & columns)


def _clustering(indexes: tuple[Index, ...], known: Table | None) -> tuple[Index, ...]:
    """Indexes whose source could not say which is clustered: the bundled table's index of the
    same name and keys decides; without one, none is."""
    if any(index.clustered for index in indexes):
        return tuple(replace(index, clustered=bool(index.clustered)) for index in indexes)
    clustered = {(i.name.lower(), tuple(c.lower() for c in i.columns)) for i in (known.indexes if known else ()) if i.clustered}
    return tuple(replace(index, clustered=(index.name.lower(), tuple(c.lower() for c in index.columns)) in clustered)
                 for index in indexes)


def _view(own: View, known: View | None) -> View:
    if own.indexed is None:
        own = replace(own, indexed=known.indexed, indexes=known.indexes, rows=known.rows) if known else replace(own, indexed=False)
    return replace(own, advice=known.advice) if known is not None and not own.advice else own

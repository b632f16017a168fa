"""View definitions from the catalog, analysed once per run and expanded wherever a query reads
the view. Cycle-safe and depth-limited: a district's views may refer to one another. An indexed
view read WITH (NOEXPAND) is read like the table SQL Server stores it as."""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import Origin, origins
from advisor.analysis.resolve import Resolver
from advisor.analysis.script import ScriptState, view_column_list
from advisor.catalog.model import Catalog, Column, Table, View
from advisor.frontend.parse import read_script

MAX_DEPTH = 16


# The type given to an indexed view's column that it computes, or that no one base column holds
COMPUTED_TYPE = "sql_variant"


class ViewLibrary:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        # By name and definition: a script may create a view of the same name as the catalog's.
        self._built: dict[tuple[str, str], tuple[list[m.Block], str | None]] = {}
        self._listed: dict[tuple[str, str], list[str] | None] = {}  # CREATE VIEW v (a, b): the names it lists
        self._building: list[str] = []
        self._materialized: dict[tuple[str, str], Table | None] = {}

    def expand(self, view: View) -> tuple[list[m.Block], str | None]:
        """The blocks of the view's query, or none and the reason it cannot be expanded."""
        key = (view.name.lower(), view.definition)
        if key in self._built:
            return self._built[key]
        if key[0] in self._building:
            chain = " -> ".join([*self._building[self._building.index(key[0]):], key[0]])
            return [], f"its definition refers back to itself ({chain})"
        if len(self._building) >= MAX_DEPTH:
            return [], f"views nest more than {MAX_DEPTH} deep"
        self._building.append(key[0])
        try:
            result = self._build(view)
        finally:
            self._building.pop()
        self._built[key] = result
        return result

    def _build(self, view: View) -> tuple[list[m.Block], str | None]:
        statements = read_script(view.definition).statements
        failed = next((s for s in statements if not s.understood), None)
        if failed is not None or not statements:
            return [], f"its definition cannot be read ({failed.error if failed else 'it is empty'})"
        tree = statements[0].tree
        self._listed[(view.name.lower(), view.definition)] = view_column_list(tree)
        query = tree.expression if isinstance(tree, exp.Create) else tree
        resolver = Resolver(self.catalog, self, ScriptState(), lines=None)
        blocks = resolver.query_blocks(query, None, {})
        if not blocks:
            return [], "its definition holds no query"
        return blocks, None

    def listed_columns(self, view: View) -> list[str] | None:
        """The names the view's definition lists for its columns, CREATE VIEW v (a, b) AS ..., which
        stand for its query's columns by place; None where it lists none (or cannot be read)."""
        self.expand(view)
        return self._listed.get((view.name.lower(), view.definition))

    def materialized(self, view: View) -> Table | None:
        """An indexed view read WITH (NOEXPAND) is read like a table: its stored rows, through
        its own indexes. This is that table, its columns' meaning (scope, join keys, how often
        their values occur) taken from the base tables behind them."""
        key = (view.name.lower(), view.definition)
        if key not in self._materialized:
            self._materialized[key] = self._materialize(view)
        return self._materialized[key]

    def _materialize(self, view: View) -> Table | None:
        blocks, _ = self.expand(view)
        if not blocks:
            return None
        stand_in = m.Relation(view.name, view.name, m.VIEW, exp.Table(), m.Block(exp.Select(), False), None,
                              view=view, inner=blocks, declared_columns=self.listed_columns(view))
        columns, scope, join_keys, shares = [], {}, set(), {}
        behind: dict[str, Origin] = {}
        for name in view.columns or blocks[0].output_names():
            found = [o for o in origins(stand_in, name) if not o.computed]
            source = found[0] if len(found) == 1 else None
            table = source.relation.table if source else None
            held = table.column(source.column) if table else None
            # the base column as it is, NOT NULL too: an indexed view takes inner joins only
            columns.append(replace(held, name=name) if held else Column(name, COMPUTED_TYPE))
            if source is not None:
                behind[name.lower()] = source
                if table.scope_kind(source.column):
                    scope[name.lower()] = table.scope_kind(source.column)
                if source.column.lower() in table.join_keys:
                    join_keys.add(name.lower())
                if source.column.lower() in table.shares:
                    shares[name.lower()] = table.shares[source.column.lower()]
        clustered = next((index for index in view.indexes if index.clustered), None)
        keyed = behind.get(clustered.columns[0].lower()) if clustered else None
        base = keyed.relation.table if keyed else max((o.relation.table for o in behind.values()), key=lambda t: t.rows, default=None)
        return Table(
            name=view.name, schema=view.schema, columns=tuple(columns),
            primary_key=clustered.columns if clustered and clustered.unique else (),
            indexes=view.indexes,
            rows=view.rows if view.rows is not None else base.rows if base else 0,
            growth_per_year=base.growth_per_year if base else 0,
            history=bool(base and base.history), scope=scope, join_keys=frozenset(join_keys), shares=shares,
        )

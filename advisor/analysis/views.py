"""View definitions from the catalog, analysed once per run and expanded wherever a query reads
the view. Cycle-safe and depth-limited: a district's views may refer to one another."""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.resolve import Resolver
from advisor.analysis.script import ScriptState
from advisor.catalog.model import Catalog, View
from advisor.frontend.parse import read_script

MAX_DEPTH = 16


class ViewLibrary:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        # By name and definition: a script may create a view of the same name as the catalog's.
        self._built: dict[tuple[str, str], tuple[list[m.Block], str | None]] = {}
        self._building: list[str] = []

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
        query = tree.expression if isinstance(tree, exp.Create) else tree
        resolver = Resolver(self.catalog, self, ScriptState(), lines=None)
        blocks = resolver.query_blocks(query, None, {})
        if not blocks:
            return [], "its definition holds no query"
        return blocks, None

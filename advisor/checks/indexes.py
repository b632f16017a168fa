"""What a block's joins and conditions, and a statement's graph and reaches, say of each of its
relations, looked up by the relation's id and built once: a check that looks at each relation in
turn and read all the joins, conditions or nodes for each would grow with the square of a chain
of hundreds of joins. They are the analysis's, which no check changes, so what is built from
them stays true until `forget`, once per file: what they hold refers back to the file's trees."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from advisor.analysis import model as m
from advisor.analysis.graph import Node

_Built = TypeVar("_Built")
_BUILT: dict[tuple[int, str], tuple[object, object]] = {}  # by the owner's id and what was built: (owner, it)


def once(owner: object, what: str, build: Callable[[], _Built]) -> _Built:
    """What `build` makes of `owner`, made the first time it is asked for until `forget`."""
    found = _BUILT.get((id(owner), what))
    if found is None or found[0] is not owner:
        found = _BUILT[id(owner), what] = (owner, build())
    return found[1]  # type: ignore[return-value]


def forget() -> None:
    _BUILT.clear()


def _join_sides(block: m.Block) -> dict[int, list[tuple[m.ColumnRef, m.ColumnRef]]]:
    def build() -> dict[int, list[tuple[m.ColumnRef, m.ColumnRef]]]:
        found: dict[int, list[tuple[m.ColumnRef, m.ColumnRef]]] = {}
        for key in block.join_keys:
            found.setdefault(id(key.left.relation), []).append((key.left, key.right))
            if key.right.relation is not key.left.relation:
                found.setdefault(id(key.right.relation), []).append((key.right, key.left))
        return found
    return once(block, "join sides", build)


def sides_of(block: m.Block, relation: m.Relation) -> list[tuple[m.ColumnRef, m.ColumnRef]]:
    """The relation's join keys in the block, as JoinKey.side gives them: its own column first."""
    return _join_sides(block).get(id(relation), [])


def naming(block: m.Block, relation: m.Relation) -> list[m.Predicate]:
    """The block's conditions that name the relation's columns, in the order written."""
    def build() -> dict[int, list[m.Predicate]]:
        found: dict[int, list[m.Predicate]] = {}
        for predicate in block.predicates:
            for named in {id(ref.relation): None for ref in predicate.columns}:
                found.setdefault(named, []).append(predicate)
        return found
    return once(block, "naming", build).get(id(relation), [])


class ByAnchor:
    """A statement's graph nodes and reaches, by the id of the relation in the user's text that
    leads to them, what limits those nodes, and the limits that flow into each node."""

    def __init__(self, query: m.Query):
        self.nodes: dict[int, list[Node]] = {}
        for node in query.graph.all_nodes() if query.graph is not None else ():
            self.nodes.setdefault(id(node.anchor), []).append(node)
        self.kinds = {at: frozenset().union(*(node.kinds for node in found)) for at, found in self.nodes.items()}
        # the limits into each node of the statement's own graph: where each is in its order, its source, the column
        self.edges: dict[int, list[tuple[int, Node, str]]] = {}
        for at, ((source, _), (target, column)) in enumerate(query.graph.edges if query.graph is not None else ()):
            self.edges.setdefault(id(target), []).append((at, source, column))
        self.reaches: dict[int, list[m.Reach]] = {}
        for reach in query.reaches:
            self.reaches.setdefault(id(reach.anchor), []).append(reach)


def by_anchor(query: m.Query) -> ByAnchor:
    return once(query, "by anchor", lambda: ByAnchor(query))

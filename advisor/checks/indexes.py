"""What a block's joins and conditions, and a statement's graph and reaches, say of each of its
relations, looked up by the relation's id and built once: a check that looks at each relation in
turn and read all the joins, conditions or nodes for each would grow with the square of a chain
of hundreds of joins. They are the analysis's, which no check changes, so what is built from
them stays true."""

from __future__ import annotations

import weakref

from advisor.analysis import model as m
from advisor.analysis.graph import Node

_Sides = dict[int, list[tuple[m.ColumnRef, m.ColumnRef]]]
_SIDES: weakref.WeakKeyDictionary[m.Block, _Sides] = weakref.WeakKeyDictionary()
_NAMING: weakref.WeakKeyDictionary[m.Block, dict[int, list[m.Predicate]]] = weakref.WeakKeyDictionary()


def join_sides(block: m.Block) -> _Sides:
    """Each relation's join keys, by its id, as JoinKey.side gives them: its own column first."""
    found = _SIDES.get(block)
    if found is None:
        found = _SIDES[block] = {}
        for key in block.join_keys:
            found.setdefault(id(key.left.relation), []).append((key.left, key.right))
            if key.right.relation is not key.left.relation:
                found.setdefault(id(key.right.relation), []).append((key.right, key.left))
    return found


def sides_of(block: m.Block, relation: m.Relation) -> list[tuple[m.ColumnRef, m.ColumnRef]]:
    return join_sides(block).get(id(relation), [])


def naming(block: m.Block, relation: m.Relation) -> list[m.Predicate]:
    """The block's conditions that name the relation's columns, in the order written."""
    found = _NAMING.get(block)
    if found is None:
        found = _NAMING[block] = {}
        for predicate in block.predicates:
            for named in {id(ref.relation): None for ref in predicate.columns}:
                found.setdefault(named, []).append(predicate)
    return found.get(id(relation), [])


class _ByAnchor:
    """A statement's graph nodes and reaches, by the id of the relation in the user's text that
    leads to them, and the limits that flow into each node."""

    def __init__(self, query: m.Query):
        self.nodes: dict[int, list[Node]] = {}
        for node in query.graph.all_nodes() if query.graph is not None else ():
            self.nodes.setdefault(id(node.anchor), []).append(node)
        # the limits into each node of the statement's own graph: where each is in its order, its source, the column
        self.edges: dict[int, list[tuple[int, Node, str]]] = {}
        for at, ((source, _), (target, column)) in enumerate(query.graph.edges if query.graph is not None else ()):
            self.edges.setdefault(id(target), []).append((at, source, column))
        self.kinds: dict[int, frozenset[str]] = {}  # what limits the nodes it leads to
        for at, found in self.nodes.items():
            self.kinds[at] = frozenset().union(*(node.kinds for node in found))
        self.reaches: dict[int, list[m.Reach]] = {}
        for reach in query.reaches:
            self.reaches.setdefault(id(reach.anchor), []).append(reach)


_BY_ANCHOR: weakref.WeakKeyDictionary[m.Query, _ByAnchor] = weakref.WeakKeyDictionary()


def by_anchor(query: m.Query) -> _ByAnchor:
    found = _BY_ANCHOR.get(query)
    if found is None:
        found = _BY_ANCHOR[query] = _ByAnchor(query)
    return found

"""What connects the inputs the planner joins: the equality joins and range conditions between
them, which of several joins decide the rows that meet, and which grouped columns a grouped key
decides."""

from __future__ import annotations

from advisor.analysis.graph import Join, Node, Target

Pairing = tuple[Target, Target, str]  # (a column of the joined side, the new input's column, the join's kind)


def joins_by_node(joins: list[Join]) -> dict[int, list[tuple[int, Join]]]:
    """The equality joins that can join inputs, by the nodes they touch, with their place in the
    graph: joining inputs one at a time then looks only at the joins of the one being added."""
    found: dict[int, list[tuple[int, Join]]] = {}
    for at, join in enumerate(joins):
        if join.kind in ("inner", "left", "full", "semi"):
            for side in {id(join.left[0]), id(join.right[0])}:
                found.setdefault(side, []).append((at, join))
    return found


def joins_between(joins_at: dict[int, list[tuple[int, Join]]], left_ids: set[int] | frozenset[int],
                  right_nodes: list[Node], right_ids: frozenset[int]) -> list[Pairing]:
    """Equality joins between the nodes `left_ids` and the input of `right_nodes`, as (left side,
    right side, kind), in the graph's order. An outer join whose optional side is already
    joined comes back as "right": the new input is the side it keeps whole. A join to a value
    computed from other nodes too counts once they are all joined."""
    found = {}
    for node in right_nodes:
        for at, join in joins_at.get(id(node), ()):
            if any(id(needed) not in left_ids and id(needed) not in right_ids for needed in join.needs):
                continue
            a, b = join.left, join.right
            if id(a[0]) in left_ids and id(b[0]) in right_ids:
                found[at] = (a, b, join.kind)
            elif id(b[0]) in left_ids and id(a[0]) in right_ids:
                found[at] = (b, a, "right" if join.kind == "left" else join.kind)
    return [found[at] for at in sorted(found)]


def deciding(joins: list[Pairing]) -> list[Pairing]:
    """The joins that decide which rows meet: of several between the same two tables, one on
    either table's unique key finds the row, and the others hold for it (a placement's trialID
    is its section's), so they neither narrow the rows nor the seek."""
    if len(joins) < 2:
        return joins
    keyed = {(id(a[0]), id(b[0])) for a, b, _ in joins if _unique(a) or _unique(b)}
    if not keyed:
        return joins
    return [(a, b, kind) for a, b, kind in joins if (id(a[0]), id(b[0])) not in keyed or _unique(a) or _unique(b)]


def _unique(side: Target) -> bool:
    return side[0].table is not None and side[0].table.unique_on(side[1])


def ranges_by_node(ranges: list) -> dict[int, list[tuple[int, tuple]]]:
    """The graph's range conditions, each with its place among them, by the id of each node it
    compares: what `ranges_between` looks them up in."""
    found: dict[int, list[tuple[int, tuple]]] = {}
    for at, found_range in enumerate(ranges):
        for node in {id(found_range[0]), id(found_range[1][0])}:
            found.setdefault(node, []).append((at, found_range))
    return found


def ranges_between(ranges_at: dict[int, list[tuple[int, tuple]]], left_ids: set[int] | frozenset[int],
                   right_ids: frozenset[int]) -> list:
    """The range conditions between the joined nodes and the new input (a.date BETWEEN
    r.startDate AND r.endDate), in the graph's order; `ranges_at` from `ranges_by_node`."""
    found = {at: r for node in right_ids for at, r in ranges_at.get(node, ())
             if (id(r[0]) in left_ids and id(r[1][0]) in right_ids) or (id(r[0]) in right_ids and id(r[1][0]) in left_ids)}
    return [found[at] for at in sorted(found)]


def undetermined(grouped: list[Target | None], joins: list[Join]) -> list[Target | None]:
    """The grouped columns that can add groups: a table whose key is grouped, and every table
    joined from it on the other table's key (each of its rows meets one row there), decide the
    rest of their columns. GROUP BY se.sectionID, sch.name makes a group per section: its
    school is the one its course's calendar names."""
    keyed = {id(column[0]) for column in grouped if column is not None and _unique(column)}
    decided = set(keyed)
    grown = bool(decided)
    while grown:
        grown = False
        for join in joins:
            if join.kind not in ("inner", "left"):
                continue
            for known, other in ((join.left, join.right), (join.right, join.left)):
                if id(known[0]) in decided and id(other[0]) not in decided and _unique(other):
                    decided.add(id(other[0]))
                    grown = True
    return [column for column in grouped
            if column is None or id(column[0]) not in decided or (id(column[0]) in keyed and _unique(column))]

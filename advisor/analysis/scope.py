"""How far a statement's filters reach.

For every catalog table a statement reads (each node of the flattened graph), decide whether
the query limits the rows read to a school year, calendar, school, term, section, date window
or a few people, or reads the table's whole history.

A filter on a scope column limits its table. An equality join passes a limit on: it always
limits the joined column's values, and it limits the rows read from the other table when the
column carries scope there (calendarID does; personID does not, since a student's rows span
every year). An OR limits what each of its branches limits, on the table itself, through the
joins (c.schoolID = 3 OR e.endYear = 2026 limits the Enrollment e joined to c) or through an IN
or EXISTS that matches it with limited rows. A grouped or ranked block is solved on its own, with
the filters pushed into it; a correlated subquery or APPLY after the query around it, which limits
it through its correlation; what is joined on an APPLY's columns is limited by what limits the
APPLY's tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.flatten import flatten
from advisor.analysis.graph import SET, Choice, Filter, Graph, Node, other_bound
from advisor.analysis.history import Kept, between
from advisor.analysis.lineage import blocks_within
from advisor.catalog.model import Catalog

FILTERED = "filtered"  # a limit on a table the catalog does not describe
OPEN_ENDED = frozenset({"year", "date"})  # an upper bound alone keeps all the history before it
# The most school years a fixed lower bound on a year or date keeps and still counts as a window:
# past it, the rows read grow by a year's every year (a.date >= '2020-01-01').
WINDOW_YEARS = 2
# Limits that keep a table's dates within one school year (or a window of dates).
WITHIN_A_YEAR = frozenset({"year", "calendar", "term", "trial", "section", "date"})


def reaches(roots: list[m.Block], catalog: Catalog, declared: Collection[str] = (),
            today: date | None = None,
            constants: dict[str, exp.Expression] | None = None) -> tuple[Graph, list[m.Reach]]:
    graph = flatten(roots, declared, today, constants)
    solve(graph, catalog)
    found = [
        m.Reach(node.table, node.anchor, node.through, bool(node.kinds), frozenset(node.kinds), node.barrier)
        for node in graph.all_nodes()
        if node.table is not None and node.anchor is not None
    ]
    return graph, found


def solve(graph: Graph, catalog: Catalog) -> None:
    for node in graph.nodes:
        if node.opaque is not None:
            for inner in node.opaque.graphs:
                solve(inner, catalog)
            if any(n.kinds for inner in node.opaque.graphs for n in inner.all_nodes() if n.opaque is None):
                node.kinds.add(FILTERED)
        node.kinds |= node.preset
        node.kinds |= {kind for f in node.filters if (kind := limit_of(f, catalog.history_years))}
    for choice in graph.choices:
        # An OR limits a node only if every branch limits it: (0 = @year OR s.endYear = @year)
        # reads every year when @year is 0.
        per_branch = [_limited_by(branch, catalog.history_years) for branch in choice.branches]
        for key in set.intersection(*(set(limited) for limited in per_branch)) if per_branch else ():
            node = per_branch[0][key][0]
            node.kinds |= {kind for limited in per_branch for kind in limited[key][1]}
    for node in graph.nodes:
        node.own_kinds = set(node.kinds)
    _limit_across_branches(graph, catalog)
    _carry_anchor_limits(graph)
    _propagate(graph, catalog)
    for later in graph.later:
        solve(later, catalog)
    # an APPLY correlated with what another limits only now; an IN or EXISTS in a branch of an OR
    # that limits what it matches
    while _limit_applied(graph) or _limit_across_branches(graph, catalog):
        _propagate_within(graph, catalog)


def _limit_across_branches(graph: Graph, catalog: Catalog) -> bool:
    """An OR whose branches limit different tables joined to one another (c.schoolID = 3 OR
    e.endYear = 2026, the Calendar joined to the Enrollment on calendarID): a table that every
    branch's limits reach through the joins is limited by all of them. Whether it limited any more."""
    nodes = {id(node): node for node in graph.nodes}
    changed = False
    for choice in graph.choices:
        reached: list[dict[int, set[str]]] = []
        for index in range(len(choice.branches)):
            mine: dict[int, set[str]] = {}
            for node, kinds, _ in branch_limits(graph, catalog, choice, index):
                for key, found in reached_by(graph, catalog, node, kinds).items():
                    mine.setdefault(key, set()).update(found)
            reached.append(mine)
        for key in set.intersection(*(set(mine) for mine in reached)) if reached else ():
            added = {kind for mine in reached for kind in mine[key]} - nodes[key].kinds if key in nodes else set()
            if added:
                nodes[key].kinds |= added
                changed = True
    return changed


def branch_limits(graph: Graph, catalog: Catalog, choice: Choice,
                  index: int) -> list[tuple[Node, set[str], exp.Expression]]:
    """What the branch of an OR at `index` limits, each table with the limits and the condition
    that gives them: its filters', and those of the tables whose rows an IN or EXISTS in it keeps,
    as far as the rows it matches them with are limited (a.calendarID IN (SELECT c.calendarID FROM
    Calendar c WHERE c.endYear = 2026): this year's)."""
    found = [(f.node, {kind}, f.condition) for f in choice.branches[index] if (kind := limit_of(f, catalog.history_years))]
    for later in graph.later:
        if choice.branch_holding(later.branch_test) != index:
            continue
        for (inner, column), (outer, outer_column) in later.offers:
            limits = inner.kinds | inner.values.get(column, set())
            carried = _carried(catalog, outer, outer_column, limits) if outer.opaque is None else set()
            if carried:
                found.append((outer, carried, later.branch_test))
    return found


def _limit_applied(graph: Graph) -> bool:
    """An APPLY's rows come from tables limited by its own filters or through its correlation
    (CROSS APPLY (SELECT c.calendarID FROM Calendar c WHERE c.schoolID = sch.schoolID AND c.endYear
    = 2026) cc): what is joined on its columns is limited as if by a derived table's. Known only once
    its graph, run after the one around it, is solved."""
    changed = False
    for later in graph.later:
        node = later.applied
        if node is not None and FILTERED not in node.kinds and any(n.kinds for n in later.all_nodes() if n.opaque is None):
            node.kinds.add(FILTERED)
            changed = True
    return changed


def _propagate_within(graph: Graph, catalog: Catalog) -> None:
    """Spread limits again in a graph and in those run for its rows, once more of them are known."""
    _propagate(graph, catalog)
    for later in graph.later:
        _propagate_within(later, catalog)


def _carry_anchor_limits(graph: Graph) -> None:
    """A recursive CTE's reference to itself holds rows grown from its anchor's: what limits the
    anchor (WHERE p.personID = @person) limits them, and through them what the recursion joins."""
    for node in graph.nodes:
        if node.relation.recursive_anchor:
            anchor = {id(block) for block in blocks_within(node.relation.recursive_anchor)}
            node.kinds |= {kind for other in graph.nodes if id(other.relation.block) in anchor for kind in other.own_kinds}
            node.own_kinds = set(node.kinds)


def kind_of(node: Node, column: str, bound: str | None = None) -> str | None:
    """What a filter on the column limits the node to. Only a lower bound limits a year or a
    date to part of the history: date <= GETDATE() keeps every past year."""
    if node.table is None:
        return None if node.opaque is not None else FILTERED
    kind = node.table.scope_kind(column)
    if bound == "upper" and kind in OPEN_ENDED:
        return None
    return kind


def limit_of(f: Filter, history: int) -> str | None:
    """What a filter limits its node to (`kind_of`), but a lower bound on a school year or date that
    keeps the whole history of `history` school years (c.endYear >= 2016), or more than a window
    and one more year every year (a.date >= '2020-01-01'), limits it to nothing; nor does a part of
    a date that comes round every year (MONTH(a.date) = 3), nor a bound on one side of an identifier
    (calendarID > 0)."""
    if f.every_year or one_sided(f):
        return None  # MONTH(a.date) = 3: March of every year; calendarID > 0: every calendar past it
    kind = kind_of(f.node, f.column, f.bound)
    if kind is None and _names_a_year(f):
        return "year"
    return None if kind in OPEN_ENDED and keeps_history(f, history) else kind


# A school year as districts write it into a name: 26-27, 2026-27, 2026-2027, 26/27
_SCHOOL_YEAR = re.compile(r"(?<!\d)(\d\d|\d{4})\s*[-/]\s*(\d\d|\d{4})(?!\d)")


def _names_a_year(f: Filter) -> bool:
    """Whether every value a filter compares a column of `year_names` with holds a school year
    (c.name LIKE '26-27%'): it picks that year's rows, where c.name = 'Summer' picks every year's."""
    table = f.node.table
    return (table is not None and f.column in table.year_names and f.own_values and f.operator in ("eq", "in", "like")
            and bool(f.literals) and all(map(_holds_a_school_year, f.literals)))


def _holds_a_school_year(text: str) -> bool:
    return any(int(end[-2:]) == (int(start[-2:]) + 1) % 100 for start, end in _SCHOOL_YEAR.findall(text))


def one_sided(f: Filter) -> bool:
    """An identifier bounded on one side only (calendarID > 0): it keeps every one past the bound,
    each new year's too. Years and dates have their own reading (`keeps_history`); an expression
    of the column (CHARINDEX(... a.calendarID ...) > 0, a list) is no bound on its values."""
    kind = kind_of(f.node, f.column, f.bound)
    return (kind is not None and kind not in OPEN_ENDED and f.bound is not None and f.own_values
            and other_bound(f, f.node.filters) is None)


def keeps_history(f: Filter, history: int) -> bool:
    """Whether a lower bound keeps all `history` school years, or a fixed start keeps more than a window."""
    kept = window(f) if f.bound != "upper" else None
    return kept is not None and (kept.school_years >= history or (kept.fixed and kept.school_years > WINDOW_YEARS))


def window(f: Filter) -> Kept | None:
    """What a lower bound on a school year or date keeps, with the upper bounds AND-ed beside it on
    the same table (r.startDate >= '2019-08-01' AND r.endDate <= '2020-06-30': one school year, which
    does not grow); None when one of those is not known before the query runs (<= @to)."""
    node = f.node
    ends = [u for u in node.filters if u.bound == "upper" and u.operator == "range" and node.table is not None
            and node.table.scope_kind(u.column) in OPEN_ENDED]
    if f.kept is None or f.bound != "lower" or not ends:
        return f.kept
    if any(u.kept is None for u in ends):
        return None
    return between(f.kept, max((u.kept for u in ends), key=lambda kept: kept.school_years), node.table.scope_kind(f.column))


def _limited_by(filters: list[Filter], history: int) -> dict[int, tuple[Node, set[str]]]:
    limited: dict[int, tuple[Node, set[str]]] = {}
    for f in filters:
        kind = limit_of(f, history)
        if kind:
            limited.setdefault(id(f.node), (f.node, set()))[1].add(kind)
    return limited


def _propagate(graph: Graph, catalog: Catalog) -> None:
    """Spread limits along the joins until nothing changes."""
    _spread(graph, catalog, lambda node: node.kinds, lambda node: node.values)


def reached_by(graph: Graph, catalog: Catalog, source: Node, kinds: set[str]) -> dict[int, set[str]]:
    """The nodes (by id, the source's own too) that limits of these kinds on `source` would reach
    through the joins, were they AND-ed to the query, with the limits that reach each: c.endYear =
    2026 in one branch of an OR would limit the Attendance joined to c on calendarID. The graph is
    left as it is."""
    limited: dict[int, set[str]] = {id(source): set(kinds)}
    values: dict[int, dict[str, set[str]]] = {}
    _spread(graph, catalog, lambda node: limited.setdefault(id(node), set()), lambda node: values.setdefault(id(node), {}))
    return {key: found for key, found in limited.items() if found}


def _spread(graph: Graph, catalog: Catalog, kinds: Callable[[Node], set[str]],
            values: Callable[[Node], dict[str, set[str]]]) -> None:
    """Spread the limits `kinds` gives each node (and `values`, those of its columns) along the
    joins until nothing changes, adding to them in place."""
    changed = True
    while changed:
        changed = False
        for (source, source_column), (target, column) in graph.edges:
            limits = kinds(source) | values(source).get(source_column, set())
            if not limits or target is source:
                continue
            known = values(target).setdefault(column, set())
            if not limits <= known:
                known |= limits
                changed = True
            carried = set() if target.opaque is not None else _carried(catalog, target, column, limits)
            if not carried <= kinds(target):
                kinds(target).update(carried)
                changed = True
        for source, (target, column), bound in graph.ranges:
            if kinds(source) and target is not source and target.opaque is None:
                if kind_of(target, column, bound) == "date" and "date" not in kinds(target):
                    kinds(target).add("date")
                    changed = True


def passes_limits(catalog: Catalog, target: Node, column: str) -> bool:
    """Whether a join on `column` passes every limit of what it joins to the target: a scope key
    (calendarID, sectionID...), or a unique key, which finds at most one row for each row joined."""
    table = target.table
    if table is None:
        return column in catalog.scope_join_keys
    return catalog.carries_scope(table, column) or table.unique_on(column)


def _carried(catalog: Catalog, target: Node, column: str, limits: set[str]) -> set[str]:
    """The limits a join on `column` passes to the target: the source's own (a Calendar
    limited to one school limits Attendance to that school, not to a year)."""
    table = target.table
    if passes_limits(catalog, target, column):
        return set(limits)
    if table is None:
        return set()
    if table.scope_kind(column) == "person" and "person" in limits:
        return {"person"}
    if table.scope_kind(column) == "date" and limits & (WITHIN_A_YEAR | {SET}):
        return {"date"}  # a.date IN (SELECT d.date FROM Day d ... one year's calendars), or a few dates: a window
    return set()

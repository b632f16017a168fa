"""An estimated plan for a flattened statement, chosen and costed as SQL Server would on the
same guesses: for each table a scan or an index seek (with key lookups when the index does not
cover), whichever is cheaper, which is where SQL Server's tipping point falls; tables joined
greedily from the smallest, each join by nested loops into an index or by hash, whichever is
cheaper; then the grouping, windows and sorts the query asks for. Correlated subqueries run
once per outer row, or are joined once, whichever is cheaper.

Every cost is also a Part with words, so that the largest parts can be told to the author. The
share of the cost that reads pages is kept apart too (io_cost): SQL Server prices reads as if
from disk, and the time model (timing.py) weighs them as the measurements say they take.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.forced import Forced, forced_indexes
from advisor.analysis.graph import ROW, Filter, Graph, Group, Join, Node, Target
from advisor.analysis.lineage import origins
from advisor.analysis.scope import WITHIN_A_YEAR
from advisor.catalog.model import Index, Table
from advisor.catalog.storage import covers
from advisor.risk import cost
from advisor.risk.cardinality import (
    BETWEEN_GUESS,
    EQUALITY_EXPONENT,
    RANGE_GUESS,
    Sizes,
    base_rows,
    combinations,
    distinct_in,
    filter_selectivity,
    groups,
    join_selectivity,
    like_prefix,
    node_selectivity,
    values_in_all,
)
from advisor.risk.connections import (
    deciding,
    joins_between,
    joins_by_node,
    ranges_between,
    ranges_by_node,
    undetermined,
)
from advisor.words import row_count

# Why nested loops test every pair of two inputs, by the join method that does
_EVERY_PAIR = {
    "pairs": "nothing joins them",
    "ranges": "only ranges join them (<, >, BETWEEN), which test every pair",
    "either": "only an OR of equalities joins them, and no index seeks every branch of it",
}
# What holds a table to one school year's rows, but a window of dates
_SCHOOL_YEAR = WITHIN_A_YEAR - {"date"}
# More rows than any join gives: each temp table filled from the one before joined to itself
# squares its rows, and ten of them would pass what a float holds, and its costs with them.
_MOST_JOINED_ROWS = 1e18


@dataclass
class Part:
    """A share of the cost, and what it is in words. `condition`, when set, is the user's own
    condition that causes it: the words refer to it as {condition}. `kind` names the per-row
    work (allowances.py) the words already tell of."""

    cost: float
    words: str
    condition: exp.Expression | None = None
    kind: str | None = None


@dataclass(frozen=True, eq=False)
class Unit:
    """Tables joined in parentheses, LEFT JOIN (Roster r JOIN SectionPlacement sp ON ...) ON
    r.personID = a.personID, as the plan joins them: `pins` are the equalities the run that
    planned them was given."""

    group: Group
    graph: Graph
    pins: dict[int, list[Filter]]


@dataclass
class Estimate:
    """The rows and cost of part of a plan, and what it spends them on."""

    rows: float
    cost: float
    parts: list[Part] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    node: Node | None = None  # a single plain table: nested loops can seek into it
    io_cost: float = 0.0  # the part of the cost that reads pages
    unit: Unit | None = None  # tables joined in parentheses: nested loops can run their join for each outer row
    order: tuple[str, ...] = ()  # a single table's: the lower-case columns its rows come in the order of, as read
    # the rows each join that made it left, with the ids of the nodes joined by then: later joins
    # repeat or drop those nodes' combinations of rows, and never make new ones
    reached: tuple[tuple[frozenset[int], float], ...] = ()

    @cached_property
    def node_ids(self) -> frozenset[int]:
        return frozenset(id(node) for node in self.nodes)


class Planner:
    def __init__(self, sizes: Sizes):
        self.sizes = sizes
        # temp tables that earlier statements of the script filled: their estimated rows, by name
        self.filled: dict[str, float] = {}
        # each correlated subquery's two estimates, by its graph (held too, so that its id stays its own)
        self._subqueries: dict[int, tuple[Graph, Estimate, Estimate, float]] = {}
        # each node's seek paths, by node and joined columns (the graphs outlive the planner)
        self._seek_paths: dict[tuple[int, frozenset[str]], list[tuple[float, float, bool, float]]] = {}
        # one run of what nested loops run for each outer row (_run_into, _run_unit), by the
        # grouped derived table's node or the parenthesised join's group, and the columns pinned
        self._runs: dict[tuple[int, frozenset], Estimate] = {}
        # what each EXISTS or IN reads, by its group and the columns of its own tables pinned: planned
        # once for each, as the runs for each outer row of the ones around it ask again
        self._semis: dict[tuple[int, frozenset], Estimate] = {}

    def estimate(self, graph: Graph, pins: dict[int, list[Filter]] | None = None, by: tuple[Target, ...] = ()) -> Estimate:
        """The graph's rows and cost; `pins` are equalities on its nodes' columns that a run is
        given (a correlated subquery's, for one outer row), `by` the columns a subquery that totals
        its rows is grouped by when it is computed for every outer row at once."""
        # a subquery in a WHERE or ON, and an APPLY, run for the rows the joins make: before the
        # SELECT groups or sorts them, where it is the SELECT that joins them
        first = [later for later in graph.later if later.per_joined_row] if graph.root.kind == "join" and graph.root.blocks else []
        found = self._group(graph.root, graph, pins or {}, by, first)
        for later in graph.later:
            if later not in first:
                found = self._correlated(found, later)
        return found

    # -- groups of nodes ------------------------------------------------------------------------
    def _group(self, group: Group, graph: Graph, pins: dict[int, list[Filter]], by: tuple[Target, ...] = (),
               first: list[Graph] = ()) -> Estimate:
        if group.blocks and id(group.blocks[0]) in graph.empty_blocks:  # its own SELECT, before the views in it
            return Estimate(0, 0)
        if group.kind == "union":
            return _together([self._group(arm, graph, pins) for arm in group.members], group.members)
        inputs, semis = [], []
        for member in group.members:
            if isinstance(member, Group):
                (semis if member.kind == "semi" else inputs).append(member)
            elif not member.per_row:  # an APPLY run for each row: the later graphs cost it
                inputs.append(member)
        estimates = [self._group(m, graph, pins) if isinstance(m, Group) else self._access(m, graph, pins) for m in inputs]
        inners = [self._semi_inner(semi, graph, pins) for semi in semis]
        applies = _applies(group, graph)
        current = self._join_all(estimates, graph, applies) if estimates else Estimate(1, 0)
        # An IN (SELECT ...) can lead instead: its distinct values, joined to the rest by seeks;
        # not one already pushed into the grouped view it filters, which has used its values.
        may_lead = bool(inners and estimates) and not _all_pushed_in(graph, current.node_ids)
        for inner in inners:
            current = self._semi(current, inner, graph)
        if may_lead:
            leading = self._join_all(estimates + [self._distinct(inner, graph) for inner in inners], graph, applies)
            current = min(current, leading, key=lambda estimate: estimate.cost)
        if not group.blocks and len(current.nodes) > 1:  # a parenthesised join, joined to the rest as one input
            return replace(current, unit=Unit(group, graph, pins))
        for later in first:
            current = self._correlated(current, later)
        if first:
            current = self._kept_by_subqueries(current, graph, first)
        return self._block_operations(current, group, graph, by)

    def _semi_inner(self, semi: Group, graph: Graph, pins: dict[int, list[Filter]]) -> Estimate:
        """What an EXISTS or IN reads. Of one that joins several tables, nested loops can run the
        join for each outer row, its tables sought on that row's values (a student's rosters, then
        each roster's failing grades), as for tables joined in parentheses."""
        inside = {id(node) for node in semi.nodes()}
        own = {at: given for at, given in pins.items() if at in inside}
        key = (id(semi), frozenset((at, f.column) for at, given in own.items() for f in given))
        if key not in self._semis:
            inner = _together([self._group(arm, graph, own) for arm in semi.members], semi.members)
            if len(semi.members) == 1 and len(inner.nodes) > 1:
                inner = replace(inner, unit=Unit(semi.members[0], graph, own))
            self._semis[key] = inner
        return self._semis[key]

    def _kept_by_subqueries(self, current: Estimate, graph: Graph, first: list[Graph]) -> Estimate:
        """The rows left, before they are grouped or sorted, where a subquery run apart keeps some:
        one that picks one row of a node for each value of what it is correlated with (graph.picks,
        each person's latest enrollment) shrinks the node's rows to those values' count, and the
        rows joined to them with them; x IN (SELECT y ... GROUP BY ... HAVING ...) keeps the share
        of x's values that its rows hold (graph.kept_in)."""
        share = 1.0
        for later in first:
            correlated = [theirs for _, theirs in _correlations(later, {id(node) for node in later.all_nodes()})]
            if later.picks is not None and correlated:
                alone = self._rows_kept(later.picks, graph, base_rows(self.sizes, later.picks, self.filled))
                share *= min(1.0, groups(self.sizes, correlated, alone) / alone)
            if later.kept_in and not correlated:
                values = self._subquery(later)[1].rows
                share *= min(1.0, values / max(1.0, *(distinct_in(self.sizes, node, column, current.rows)
                                                      for node, column in later.kept_in)))
        return current if share == 1.0 else replace(current, rows=_at_least_a_row(current.rows, current.rows * share))

    def _join_all(self, inputs: list[Estimate], graph: Graph, applies: dict[int, tuple[Node, frozenset[int]]]) -> Estimate:
        """Join greedily: start from the smallest input, then always add the connected input
        that keeps the result smallest. The connected inputs are found through the joins of
        each input as it is added, so a join of thousands of tables costs no more per step than
        the tables next to it. The smallest input may take a scan to find (yesterday's
        attendance), or be a small table nothing limits (a view's Calendar): where the order found
        reads one input whole for a quarter of its cost or more, or starts from an input with no
        conditions of its own, it is tried too from the cheapest to read of the other inputs with
        conditions of their own, and dropped as soon as it costs more. An APPLY (`applies`, from
        _applies) is no input: its rows come with the outer tables it is run for, and so do the
        joins on its columns."""
        if len(inputs) == 1:
            return inputs[0]
        joins_at = joins_by_node(graph.joins)
        either_at = [(len(group), joins_by_node(list(group))) for group in graph.either]
        ordered = sorted(inputs, key=lambda e: e.rows)
        best = self._join_from(ordered[0], ordered, (joins_at, either_at, applies), graph, math.inf)
        heaviest = max(ordered, key=lambda e: e.cost)
        if _limited(ordered[0]) and not heaviest.cost <= best.cost <= heaviest.cost * 4:
            return best  # the plan does not read one input whole for much of its cost: a start elsewhere gains little
        starts = [e for e in ordered[1:] if e is not heaviest and _limited(e)]
        if starts:
            best = self._join_from(min(starts, key=lambda e: e.cost), ordered, (joins_at, either_at, applies), graph,
                                   best.cost) or best
        return best

    def _join_from(self, start: Estimate, ordered: list[Estimate], links: tuple[dict, list[tuple[int, dict]], dict],
                   graph: Graph, most: float) -> Estimate | None:
        """The greedy order from `start`; None once it costs more than `most`. `links` holds the
        equality joins by node, each OR of them (graph.either) by node with its branch count, and
        the APPLYs with the outer nodes each is run for."""
        if start.cost > most:
            return None
        joins_at, either_at, applies = links
        by_node = (joins_at, *(at for _, at in either_at))  # every join that can bring in an input
        place = {id(estimate): at for at, estimate in enumerate(ordered)}
        owner = {id(node): estimate for estimate in ordered for node in estimate.nodes}
        pending = dict(applies)
        for applied, needs in applies.values():  # an input that brings an APPLY's rows is near what joins its columns
            holder = next((owner[need] for need in needs if need in owner), None)
            if holder is not None:
                owner[id(applied)] = holder
        current, added = start, start
        joined_ids: set[int] = set()
        waiting = {id(estimate): estimate for estimate in ordered if estimate is not start}
        near: dict[int, Estimate] = {}
        ranges_at = ranges_by_node(graph.ranges)
        while waiting:
            joined_ids.update(added.node_ids)
            arrived = _arrived(pending, joined_ids)
            joined_ids.update(id(applied) for applied in arrived)
            for node in (*added.nodes, *arrived):
                for at in by_node:
                    for _, join in at.get(id(node), ()):
                        for side in (join.left[0], join.right[0]):
                            other = owner.get(id(side))
                            if other is not None and id(other) in waiting:
                                near[id(other)] = other
            candidates = sorted(near.values(), key=lambda e: place[id(e)]) or list(waiting.values())
            sized = []
            for candidate in candidates:
                brought = _arrived(dict(pending), joined_ids | candidate.node_ids) if pending else []
                nodes, node_ids = ((candidate.nodes, candidate.node_ids) if not brought else
                                   ([*candidate.nodes, *brought], candidate.node_ids | {id(applied) for applied in brought}))
                joins = deciding(joins_between(joins_at, joined_ids, nodes, node_ids))
                eithers = [found for branches, at in either_at
                           if len(found := joins_between(at, joined_ids, candidate.nodes, candidate.node_ids)) == branches]
                ranges = ranges_between(ranges_at, joined_ids, candidate.node_ids)
                sized.append((candidate, joins, eithers, bool(ranges),
                              self._joined_rows(current, candidate, joins, ranges, eithers)))
            fewest = min(rows for *_, rows in sized)
            # only the joins that keep the fewest rows are costed: the cheapest of them is taken
            costed = [(self._join_method(current, candidate, joins, rows, ranged, eithers), candidate, joins, rows)
                      for candidate, joins, eithers, ranged, rows in sized if rows == fewest]
            method, added, joins, rows = min(costed, key=lambda option: option[0][0])
            current = self._join(current, added, rows, method)
            if current.cost > most:
                return None
            del waiting[id(added)]
            near.pop(id(added), None)
        return current

    def _joined_rows(self, left: Estimate, right: Estimate, joins: list, ranges: list, eithers: list) -> float:
        """The rows of a join, given its equality joins, the range conditions between the two and
        its ORs of equality joins, each of which keeps the pairs any of its branches keeps."""
        by_grain, joins = self._grain_selectivities(left, right, joins)
        selectivities = by_grain + [self._pair_selectivity(left, right, a, b) for a, b, _ in joins]
        # a.date BETWEEN r.startDate AND r.endDate: each comparison keeps about 30% of the pairs.
        selectivities += [RANGE_GUESS for _ in ranges]
        selectivities += [min(1.0, sum(self._pair_selectivity(left, right, a, b) for a, b, _ in either)) for either in eithers]
        rows = min(left.rows * right.rows * self.sizes.combine(selectivities), _MOST_JOINED_ROWS)
        kinds = _kinds(joins, eithers)
        if "left" in kinds:  # an outer join keeps every row of its preserved side
            rows = max(rows, left.rows)
        if "right" in kinds:
            rows = max(rows, right.rows)
        if "full" in kinds:
            rows = max(rows, left.rows, right.rows)
        return rows

    def _grain_selectivities(self, left: Estimate, right: Estimate, joins: list) -> tuple[list[float], list]:
        """The joins of a node on all the columns of a table's grain, each such group as one
        comparison of combined values, and the joins left. a.personID = s.personID AND
        a.calendarID = s.calendarID pairs each attendance row with its one enrollment: the pairs
        of values are enrollments, where compared one column at a time the two conditions would
        keep a fraction of the rows. The other side's columns may be different nodes' (a
        person's personID, their attendance's calendarID)."""
        by_node: dict[int, list] = {}  # the joins of each node of the side being joined
        for join in joins:
            if join[0][1].lower() == join[1][1].lower():  # gs.personID = p.personID
                by_node.setdefault(id(join[1][0]), []).append(join)
        selectivities, rest = [], list(joins)
        for same in by_node.values():
            names = {b[1].lower() for _, b, _ in same}
            if len(names) < 2:
                continue  # most joins: one column, no grain of several
            grain = max(((table, grain) for table, grain in self.sizes.grains if len(grain) > 1 and grain <= names),
                        key=lambda found: len(found[1]), default=None)
            if grain is None:
                continue
            table, columns = grain
            used = list({join[1][1].lower(): join for join in same if join[1][1].lower() in columns}.values())
            selectivities.append(1 / max(
                combinations(self.sizes, [a for a, _, _ in used], table, left.rows, len(left.nodes) == 1),
                combinations(self.sizes, [b for _, b, _ in used], table, right.rows, len(right.nodes) == 1), 1.0))
            rest = [join for join in rest if all(join is not other for other in used)]
        return selectivities, rest

    def _pair_selectivity(self, left: Estimate, right: Estimate, a, b) -> float:
        same_year = _held_to_a_year(left, a[0]) and _held_to_a_year(right, b[0])
        mine = distinct_in(self.sizes, a[0], a[1], left.rows, alone=len(left.nodes) == 1, same_year=same_year)
        theirs = distinct_in(self.sizes, b[0], b[1], right.rows, alone=len(right.nodes) == 1, same_year=same_year)
        # A column whose values the catalog does not tell (a table variable's cid) holds values of
        # the column it is joined to, as SQL Server's containment assumes, and so no more than that
        # column has in all: @v's rows each meet their Calendar row, where counted as all different
        # they met 546 of them.
        mine_in_all, theirs_in_all = values_in_all(self.sizes, *a), values_in_all(self.sizes, *b)
        if theirs_in_all is not None and mine_in_all is None:
            mine = min(mine, theirs_in_all)
        elif mine_in_all is not None and theirs_in_all is None:
            theirs = min(theirs, mine_in_all)
        return join_selectivity(mine, theirs)

    def _join_method(self, left: Estimate, right: Estimate, joins: list, rows: float, ranged: bool,
                     eithers: list) -> tuple[float, str, float]:
        """The cheaper way to join the two, the total cost it comes to and the part of it that
        reads pages: a hash join or nested loops that seek into `right`; with no equality between
        them, nested loops that compare every pair, "ranges" where range conditions (a.date
        BETWEEN r.startDate AND r.endDate) keep some of them. No hash join can take an OR of
        equalities: alone, it is joined by nested loops that seek `right` once for each branch,
        through an index on each branch's column, or that test every pair ("either")."""
        if joins:
            hashed = cost.hash_join(min(left.rows, right.rows), max(left.rows, right.rows), rows)
            options = [(left.cost + right.cost + hashed, "hash", left.io_cost + right.io_cost)]
        else:
            method = "either" if eithers else "ranges" if ranged else "pairs"
            options = [(left.cost + right.cost + cost.nested_loops(left.rows * right.rows), method,
                        left.io_cost + right.io_cost)]
            if not eithers:
                return options[0]
        # nested loops keep the rows of their outer input only, and none of the input they seek
        # into that no outer row finds: a join that keeps that input whole is hashed
        if _kinds(joins, eithers) & {"right", "full"}:
            return options[0]
        seeks = [self._seek_into(right, [b for _, b, _ in joins], left.rows)] if joins else \
            [self._seek_into(right, [b], left.rows) for _, b, _ in eithers[0]]
        if None not in seeks:
            options.append((left.cost + sum(spent for spent, _ in seeks) + cost.nested_loops(rows), "loops",
                            left.io_cost + sum(io_cost for _, io_cost in seeks)))
        return min(options, key=lambda option: option[0])

    def _join(self, left: Estimate, right: Estimate, rows: float, chosen: tuple[float, str, float]) -> Estimate:
        """The two joined `chosen` way (from _join_method): its cost and the words that say it."""
        total, method, io_cost = chosen
        if method in _EVERY_PAIR:
            why = _EVERY_PAIR[method]
            parts = [*left.parts, *right.parts, Part(cost.nested_loops(left.rows * right.rows),
                                                     f"pairs every one of {row_count(left.rows)} with every one of "
                                                     f"{row_count(right.rows)}: {why}")]
            return Estimate(rows, total, parts, left.nodes + right.nodes, io_cost=io_cost, reached=_reached(left, right, rows))
        right_parts = right.parts if method == "hash" else []
        name = _name(right)
        if method == "hash":
            words = f"joins {row_count(left.rows)} to {row_count(right.rows)} of {name}"
        elif right.unit is not None:
            words = f"runs the join of {_names(right.nodes)} once for each of {row_count(left.rows)}"
        elif right.node is None:  # a grouped derived table run for each row (_run_into)
            inside = _largest_name(right.nodes[0].opaque.graphs[0].all_nodes())
            words = f"runs {name} on {inside} once for each of {row_count(left.rows)}"
        else:
            words = f"looks up {name} once for each of {row_count(left.rows)}"
        join_cost = total - left.cost - (right.cost if method == "hash" else 0)
        return Estimate(rows, total, [*left.parts, *right_parts, Part(join_cost, words)], left.nodes + right.nodes,
                        io_cost=io_cost, reached=_reached(left, right, rows))

    def _seek_into(self, right: Estimate, columns: list[tuple[Node, str]], executions: float) -> tuple[float, float] | None:
        """Nested loops into a single table: the cost of all the seeks through its best index
        for the join and the part of it that reads pages, or None when no index can seek on the
        join columns."""
        node = right.node
        if right.unit is not None:
            return self._run_unit(right.unit, columns, executions)
        if node is None:
            return self._run_into(right, columns, executions)
        if node.table is None:
            return None
        table = node.table
        rows = self.sizes.rows(table)
        best = None
        for per_seek, pages, covered, looked_up in self._seeks(node, frozenset(column for n, column in columns if n is node)):
            # a random read to start each seek, then the pages its rows fill: never more pages
            # in all than the index has, as repeated seeks find theirs in memory
            read = min(executions * pages * per_seek / max(rows, 1), pages)
            io_cost = cost.FIRST_PAGE_IO * min(executions, pages) + cost.NEXT_PAGE_IO * read
            total = io_cost + executions * cost.cpu(per_seek)
            if not covered:
                total += cost.lookups(executions * looked_up, self.sizes.pages(table))
                io_cost += cost.lookup_io(executions * looked_up, self.sizes.pages(table))
            best = (total, io_cost) if best is None else min(best, (total, io_cost))
        return best

    def _run_into(self, right: Estimate, columns: list[tuple[Node, str]], executions: float) -> tuple[float, float] | None:
        """Nested loops into a derived table or CTE that groups, joined on columns it groups by:
        SQL Server can run it once for each outer row, its tables sought on the row's values
        before they are grouped, as it runs a correlated subquery. The cost of all the runs and
        the part of it that reads pages; None where it cannot."""
        node = right.nodes[0] if len(right.nodes) == 1 else None
        opaque = node.opaque if node is not None else None
        if opaque is None or len(opaque.graphs) != 1 or len(opaque.blocks) != 1:
            return None
        grouping = opaque.blocks[0].per_row_columns
        if not columns or any(n is not node or column not in grouping or column not in opaque.sources for n, column in columns):
            return None

        def once() -> Estimate:
            pins: dict[int, list[Filter]] = {}
            for _, column in columns:
                _pin(pins, *opaque.sources[column])
            return self.estimate(opaque.graphs[0], pins)

        return self._runs_of((id(node), frozenset(column for _, column in columns)), once, executions)

    def _run_unit(self, unit: Unit, columns: list[tuple[Node, str]], executions: float) -> tuple[float, float]:
        """Nested loops into tables joined in parentheses: SQL Server runs their join once for
        each outer row, seeking its tables on the row's values (a student's roster rows, then their
        sections' placements). The cost of all the runs and the part of it that reads pages."""
        pins = {at: list(given) for at, given in unit.pins.items()}
        for node, column in columns:
            _pin(pins, node, column)
        key = (id(unit.group), frozenset((at, f.column) for at, given in pins.items() for f in given))
        return self._runs_of(key, lambda: self._group(unit.group, unit.graph, pins), executions)

    def _runs_of(self, key: tuple[int, frozenset], once: Callable[[], Estimate], executions: float) -> tuple[float, float]:
        """The cost of `executions` runs, and the part of it that reads pages, of what `once`
        plans for one run: planned once for each `key`, as every join order asks again."""
        if key not in self._runs:
            self._runs[key] = once()
        run = self._runs[key]
        return executions * run.cost, executions * run.io_cost

    def _seeks(self, node: Node, joined: frozenset[str]) -> list[tuple[float, float, bool, float]]:
        """The indexes a seek on the joined columns can use, each as (rows per seek, its pages,
        whether it covers the query, rows per seek looked up in the table): the same for every
        order the planner tries, so worked out once. Only the rows that pass the joins and filters
        on columns the index holds but does not seek on are looked up (a seek on Attendance's
        personID tests the calendarID its clustered key carries before it looks a row up)."""
        key = (id(node), joined)
        if key not in self._seek_paths:
            table = node.table
            rows = self.sizes.rows(table)
            keys = _seek_keys(node.filters)
            forced = _forced(node)
            found = []
            for index in table.indexes:
                if forced is not None and not forced.allows(index):
                    continue
                selectivities, sought, uses_join = [], set(), False  # sought: the columns the seek uses
                for column in (c.lower() for c in index.columns):
                    equal, ranged = keys.get(column, (None, None))
                    if column in joined:
                        selectivities.append(self._joined_selectivity(table, column, rows))
                        uses_join = True
                    elif equal is not None or ranged is not None:
                        selectivities.append(filter_selectivity(self.sizes, node, equal or ranged, rows))
                    else:
                        break
                    sought.add(column)
                    if column not in joined and equal is None:
                        break  # a range ends the seek: personID = x AND date >= y on (personID, date)
                if not uses_join:
                    continue
                covered = covers(table, index, node.relation.read_columns)
                held = table.held(index) - sought if not covered else frozenset()
                tested = [self._joined_selectivity(table, column, rows) for column in joined if column in held]
                tested += [filter_selectivity(self.sizes, node, f, rows) for f in node.filters if f.column in held]
                found.append((rows * self.sizes.combine(selectivities), self.sizes.index_pages(table, index), covered,
                              rows * self.sizes.combine(selectivities + tested)))
            self._seek_paths[key] = found
        return self._seek_paths[key]

    def _joined_selectivity(self, table: Table, column: str, rows: float) -> float:
        """The share of a table's rows that one value of a joined column finds."""
        return 1 / max(self.sizes.ndv(table, column) or rows, 1)

    def _distinct(self, inner: Estimate, graph: Graph) -> Estimate:
        """The distinct values an IN (SELECT ...) gives its link column. Of an IN over a UNION, each
        arm's column is linked to the same outer column: one column of values, joined once (as
        every arm's, they would each narrow the join as if a row had to match all of them)."""
        links = [side for join in graph.joins if join.kind == "semi" for side in (join.left, join.right)
                 if id(side[0]) in inner.node_ids]
        values = distinct_in(self.sizes, links[0][0], links[0][1], inner.rows) if links else inner.rows
        step = cost.hash_aggregate(inner.rows)
        other_arms = {id(node) for node, _ in links} - {id(links[0][0])} if links else set()
        return Estimate(values, inner.cost + step, [*inner.parts, Part(step, f"groups {row_count(inner.rows)}")],
                        [node for node in inner.nodes if id(node) not in other_arms], io_cost=inner.io_cost)

    def _semi(self, current: Estimate, inner: Estimate, graph: Graph) -> Estimate:
        """EXISTS / IN: the outer rows that find a match, by a hash or by seeks."""
        links = [(a, b) for join in graph.joins if join.kind == "semi"
                 for a, b in ((join.left, join.right), (join.right, join.left))
                 if id(a[0]) in current.node_ids and id(b[0]) in inner.node_ids]
        if links and not _pushed_in(*links[0][0]):
            # containment: an outer row finds a match when its value is among the inner's values
            (outer_node, outer_column), (inner_node, inner_column) = links[0]
            known = self.sizes.ndv(outer_node.table, outer_column) if outer_node.table is not None else None
            inner_values = distinct_in(self.sizes, inner_node, inner_column, inner.rows)
            rows = current.rows * min(1.0, inner_values / max(known or current.rows, 1))
        else:
            rows = current.rows
        hashed = inner.cost + cost.hash_join(min(inner.rows, current.rows), max(inner.rows, current.rows), rows)
        spent, io_cost, by_hash = hashed, inner.io_cost, True
        seek = self._seek_into(inner, [b for _, b in links], current.rows)
        if seek is not None and (looped := seek[0] + cost.nested_loops(current.rows)) < hashed:
            spent, io_cost, by_hash = looped, seek[1], False
        parts = [*current.parts, *(inner.parts if by_hash else []),
                 Part(spent - (inner.cost if by_hash else 0), f"checks {row_count(current.rows)} against {_name(inner)}")]
        return Estimate(rows, current.cost + spent, parts, current.nodes + inner.nodes, io_cost=current.io_cost + io_cost,
                        reached=current.reached)

    def _subquery(self, later: Graph) -> tuple[Estimate, Estimate, float]:
        """A correlated subquery for one outer row, and whole, and how many of the whole's rows
        each outer row is tested against, joined once (_compared). Each is planned once: planned
        afresh for each way in, subqueries nested n deep would be planned 2^n times."""
        if id(later) not in self._subqueries:
            inner_ids = {id(n) for n in later.all_nodes()}
            pins: dict[int, list[Filter]] = {}
            matched: list[Target] = []
            for mine, _ in _correlations(later, inner_ids):
                _pin(pins, *mine)
                matched.append(mine)
            # computed for all the outer rows at once, a total (COUNT(*)) is one for each matched value
            whole = self.estimate(later, by=tuple(matched))
            compared = self._compared(later, whole, matched) if _compared_with_outer(later, inner_ids) else 0.0
            self._subqueries[id(later)] = (later, self.estimate(later, pins), whole, compared)
        _, once, whole, compared = self._subqueries[id(later)]
        return once, whole, compared

    def _compared(self, later: Graph, whole: Estimate, matched: list[Target]) -> float:
        """For a subquery that compares its rows with the outer row by a range (e2.startDate >
        e.startDate), the rows of it each outer row is tested against once it is joined: an EXISTS
        or IN is hashed on its equalities (e2.personID = e.personID), each row they match tested
        by the range; a total cannot be joined (math.inf), each row's is its own, nor a range alone."""
        if not later.existence or not matched:
            return math.inf
        keys = max(distinct_in(self.sizes, node, column, whole.rows) for node, column in matched)
        return whole.rows / max(keys, 1.0)

    # -- tables -------------------------------------------------------------------------------------
    def _access(self, node: Node, graph: Graph, pins: dict[int, list[Filter]]) -> Estimate:
        if node.opaque is not None:
            return self._opaque(node)
        if ROW in node.preset:  # found by where the cursor is, not by a search
            spent = cost.io(1) + cost.cpu(1)
            words = f"changes the row cursor {node.relation.cursor_row} is on"
            return Estimate(1.0, spent, [Part(spent, words)], [node], node, io_cost=cost.io(1))
        pinned = pins.get(id(node), [])
        rows = base_rows(self.sizes, node, self.filled)
        out = self._rows_kept(node, graph, rows, pinned)
        table = node.table
        if table is None:
            pages = max(rows / 100, 1)
            return Estimate(out, cost.scan(rows, pages), [], [node], node, io_cost=cost.io(pages))
        pages = self.sizes.pages(table)
        forced = _forced(node)
        usable = [index for index in table.indexes if forced is None or forced.allows(index)]
        # (cost, its reads, words, whether it reads every row, the order its rows come in): the
        # clustered index or heap, or the narrowest index that holds every column the query
        # reads, as SQL Server would scan it
        options = []
        if forced is None or forced.whole_table:
            clustered = next((index for index in table.indexes if index.clustered), None)
            options.append((cost.scan(rows, pages), cost.io(pages), self._scan_words(node, rows), True,
                            _delivered(clustered, []) if clustered is not None else ()))
        needed = node.relation.read_columns
        for index in usable:
            if not index.clustered and covers(table, index, needed):
                narrow = self.sizes.index_pages(table, index)
                options.append((cost.scan(rows, narrow), cost.io(narrow), self._scan_words(node, rows, index.name), True,
                                _delivered(index, [])))
        filters = [*node.filters, *pinned]
        keys = _seek_keys(filters)
        for index in usable:
            matched = _seekable(index, keys)
            if not matched:
                continue
            selectivity = self.sizes.combine([filter_selectivity(self.sizes, node, f, rows) for f in matched])
            read = _at_least_a_row(rows, rows * selectivity)
            range_pages = max(self.sizes.index_pages(table, index) * selectivity, 1)
            spent, io_cost = cost.scan(read, range_pages), cost.io(range_pages)
            if not covers(table, index, needed):
                looked_up = self._looked_up(node, index, [f for f in filters if f not in matched], read, rows)
                spent += cost.lookups(looked_up, pages)
                io_cost += cost.lookup_io(looked_up, pages)
            options.append((spent, io_cost, f"seeks {row_count(read, table.name)} through {index.name}", False,
                            _delivered(index, matched)))
        if not options:  # the index forced neither seeks on the filters nor holds every column read
            options.append(self._forced_scan(node, forced.indexes[0], filters, rows))
        spent, io_cost, words, scanned, order = min(options, key=lambda option: option[0])
        blocked = _blocked_seek(table, filters) if scanned else None
        condition = None
        if blocked is not None:
            spelled = table.column(blocked.column).name if table.column(blocked.column) else blocked.column
            words, condition = "{condition} stops a seek on the " + f"{table.name} index on {spelled}", blocked.condition
        return Estimate(out, spent, [Part(spent, words, condition)], [node], node, io_cost=io_cost, order=order)

    def _rows_kept(self, node: Node, graph: Graph, rows: float, pinned: list[Filter] = ()) -> float:
        """Of a table's rows, those its own conditions keep, and the equalities a run pins it with."""
        extra = [filter_selectivity(self.sizes, node, f, rows) for f in pinned]
        tested = self._tested(node, graph)
        return _at_least_a_row(rows, rows * node_selectivity(self.sizes, node, graph.choices, rows, extra, tested))

    def _tested(self, node: Node, graph: Graph) -> dict[int, dict[int, float]]:
        """The share of a table's rows that an IN or EXISTS in a branch of an OR keeps, by the OR
        (its id) and the branch's place: those whose value is among the values the subquery's rows
        hold, as an IN's are (a.calendarID IN (SELECT c.calendarID ... this year): a year's)."""
        tested: dict[int, dict[int, float]] = {}
        for later in graph.later:
            mine = [(inner, outer_column) for inner, (outer, outer_column) in later.offers if outer is node]
            held_in = [(choice, at) for choice in graph.choices
                       if (at := choice.branch_holding(later.branch_test)) is not None] if mine else []
            if not held_in or node.table is None:
                continue
            choice, index = held_in[0]
            whole = self._subquery(later)[1]
            (inner, column), outer_column = mine[0]
            held = distinct_in(self.sizes, inner, column, whole.rows)
            tested.setdefault(id(choice), {})[index] = min(1.0, held / max(self.sizes.ndv(node.table, outer_column) or 1.0, 1.0))
        return tested

    def _looked_up(self, node: Node, index: Index, filters: list[Filter], read: float, rows: float) -> float:
        """How many of the rows read through a nonclustered index are looked up in the table: the
        filters on other columns it holds are applied before the lookups."""
        held = node.table.held(index)
        residual = [filter_selectivity(self.sizes, node, f, rows) for f in filters if f.column in held]
        return _at_least_a_row(read, read * self.sizes.combine(residual)) if residual else read

    def _forced_scan(self, node: Node, index: Index, filters: list[Filter],
                     rows: float) -> tuple[float, float, str, bool, tuple[str, ...]]:
        """A nonclustered index an INDEX hint forces where it can seek on nothing: all of it is
        read, and its rows looked up in the table for the columns it lacks."""
        table = node.table
        index_pages, pages = self.sizes.index_pages(table, index), self.sizes.pages(table)
        looked_up = self._looked_up(node, index, filters, rows, rows)
        spent = cost.scan(rows, index_pages) + cost.lookups(looked_up, pages)
        io_cost = cost.io(index_pages) + cost.lookup_io(looked_up, pages)
        words = (f"reads all {row_count(rows, table.name)} through {index.name}, as its INDEX hint forces, and looks up "
                 f"{row_count(looked_up)} in the table")
        return spent, io_cost, words, False, _delivered(index, [])

    def _scan_words(self, node: Node, rows: float, index: str | None = None) -> str:
        table = node.table
        where = _in_view(node)
        through = f" in {index}" if index else ""
        if table.history and not node.kinds:
            return f"reads all {row_count(rows, table.name)}{through}{where}: no year or calendar limit"
        return f"reads all {row_count(rows, table.name)}{through}{where}"

    def _opaque(self, node: Node) -> Estimate:
        """A grouped, windowed or TOP block: computed whole, then its own filters (rn = 1)."""
        inner = [self.estimate(graph) for graph in node.opaque.graphs]
        rows = sum(e.rows for e in inner)
        kept = [f for f in node.opaque.pushed if not any(f.column in block.pushable_columns for block in node.opaque.blocks)]
        firsts = [found for f in kept if len(inner) == 1 and (found := self._firsts(f, node.opaque.blocks[0], inner[0])) is not None]
        guessed = len(kept) - len(firsts)
        selectivity = self.sizes.combine([min(rows ** (0.75 - 1), 1.0)] * guessed) if rows > 1 else 1.0
        parts = [p for e in inner for p in e.parts]
        return Estimate(min([rows * selectivity, *firsts]), sum(e.cost for e in inner), parts, [node],
                        io_cost=sum(e.io_cost for e in inner))

    def _firsts(self, condition: Filter, block: m.Block, inner: Estimate) -> float | None:
        """rn = 1 on ROW_NUMBER() OVER (PARTITION BY ...) AS rn keeps the first row of each
        partition: as many rows as the partition columns make groups (each student's first
        guardian: a row per student)."""
        if condition.operator != "eq" or condition.literals != ("1",):
            return None
        numbered = next((p for p in block.projections if p.name.lower() == condition.column), None)
        window = numbered.node.unalias() if numbered is not None else None
        if not isinstance(window, exp.Window) or not isinstance(window.this, exp.RowNumber):
            return None
        refs = {id(ref.node): ref for ref in numbered.columns if ref.relation is not None}
        nodes = {id(n.relation): n for n in inner.nodes}
        partition = [refs.get(id(column)) for column in window.args.get("partition_by") or []]
        return groups(self.sizes, [_held_by(ref.relation, ref.name, nodes) if ref else None for ref in partition], inner.rows)

    def _block_operations(self, current: Estimate, group: Group, graph: Graph, by: tuple[Target, ...] = ()) -> Estimate:
        """What the SELECT does with the joined rows: group them, number them, sort them. A total
        of all the rows (COUNT(*) with no GROUP BY) is grouped `by` columns where given."""
        if not group.blocks:
            return current
        first = group.blocks[0]
        rows, spent, parts = current.rows, current.cost, list(current.parts)
        # UNPIVOT makes a row of each of its columns (leaving out those that are NULL: at most as many)
        rows *= math.prod(relation.unpivoted for relation in first.relations if relation.unpivoted)
        pivoted = _pivot_grouped(first, current, graph.joins)
        if pivoted is not None:
            step = cost.hash_aggregate(rows)
            parts.append(Part(step, f"groups {row_count(rows)} for PIVOT"))
            # grouped by nothing (all it reads is aggregated or pivoted on): one row
            spent, rows = spent + step, groups(self.sizes, undetermined(pivoted, graph.joins), rows) if pivoted else 1.0
        grouping = [block for block in group.blocks if block.grouped or block.distinct]
        totals = bool(grouping) and all(_scalar_aggregate(block) for block in grouping)
        if totals and not by:
            step = cost.stream_aggregate(rows)  # one pass, one row out: no hash table
            parts.append(Part(step, f"totals {row_count(rows)}"))
            spent, rows = spent + step, 1.0
        elif grouping:
            step = cost.hash_aggregate(rows)
            parts.append(Part(step, f"groups {row_count(rows)}"))
            keys = list(by) if totals else undetermined(_grouped(first, current), graph.joins)
            spent, rows = spent + step, groups(self.sizes, keys, _combined_at_most(current, keys, rows))
            rows = _at_least_a_row(rows, rows * _having_share(first, rows))
        if first.windowed:
            step = cost.sort(rows)
            parts.append(Part(step, f"sorts {row_count(rows)} for a window function (OVER ...)"))
            spent += step
        limit, percent = first.top_rows, first.top_percent
        in_order = first.ordered and limit is not None and len(parts) == len(current.parts) and _read_in_order(first, current)
        if first.ordered and not in_order:
            kept = cost.top_n_kept(rows, limit)
            step = cost.sort(rows, kept)
            keeping = "" if kept is None else f", keeping the first {row_count(kept)}"
            parts.append(Part(step, f"sorts {row_count(rows)} for ORDER BY{keeping}"))
            spent += step
        if limit is not None and len(parts) == len(current.parts) and len(current.nodes) == 1 and limit < rows:
            # TOP n over one table with nothing to sort or group, or read in its ORDER BY's order
            # (each student's latest mark, on the person's index by date): the read stops at the n-th row
            # (no less than reading its first page and those rows: a seek run for each outer row
            # still goes down the index once)
            share = limit / rows
            stopped = min(spent, max(spent * share, cost.scan(limit, 1)))
            why = "its index gives the ORDER BY's order" if in_order else "TOP without ORDER BY"
            parts = [Part(stopped, f"stops at the first {row_count(limit)} of {_name(current)} it finds ({why})")]
            return Estimate(limit, stopped, parts, current.nodes,
                            io_cost=min(current.io_cost, max(current.io_cost * share, cost.io(1))))
        if limit is not None:
            rows = min(rows, limit)
        if percent is not None:
            rows *= min(percent, 100) / 100
        if first.built_as:  # FOR XML or FOR JSON: the rows become one document, one value
            rows = 1.0
        # A plain table stays one that nested loops can seek into; a grouped or sorted one does not.
        plain = current.node if len(parts) == len(current.parts) else None
        return Estimate(rows, spent, parts, current.nodes, plain, io_cost=current.io_cost)

    # -- correlated subqueries -------------------------------------------------------------------------
    def _correlated(self, outer: Estimate, later: Graph) -> Estimate:
        """Run once per outer row (an apply), or decorrelated into one join: the cheaper; as many
        times over as the expression around it runs it (COALESCE's test and value: twice)."""
        once, whole, compared = self._subquery(later)
        runs = later.runs
        per_row = outer.rows * once.cost * runs
        if compared == math.inf:  # a2.date <= a.date: no one total per key to join, each row has its own
            joined = math.inf
        else:  # with the pairs an EXISTS's range tests (e2.startDate > e.startDate), where it has one
            tested = cost.cpu(outer.rows * compared) if compared else 0.0
            joined = (whole.cost + cost.hash_join(min(whole.rows, outer.rows), max(whole.rows, outer.rows), outer.rows)
                      + tested) * runs
        name, times = _name(whole), "once" if runs == 1 else "twice" if runs == 2 else f"{runs} times"
        if per_row <= joined:
            part = Part(per_row, f"runs a subquery on {name} {times} for each of {row_count(outer.rows)}", kind="correlated")
            return Estimate(outer.rows, outer.cost + per_row, [*outer.parts, part], outer.nodes,
                            io_cost=outer.io_cost + outer.rows * once.io_cost * runs, reached=outer.reached)
        again = "" if runs == 1 else f", {times}"
        part = Part(joined - whole.cost, f"joins a subquery on {name} to {row_count(outer.rows)}{again}")
        return Estimate(outer.rows, outer.cost + joined, [*outer.parts, *whole.parts, part], outer.nodes,
                        io_cost=outer.io_cost + whole.io_cost * runs, reached=outer.reached)


def _applies(group: Group, graph: Graph) -> dict[int, tuple[Node, frozenset[int]]]:
    """The group's APPLYs, by id, each with the ids of the outer nodes its correlation compares
    with (e.personID = p.personID: p's), or a function's arguments read (STRING_SPLIT(p.list,
    ',')). It runs once for each of their rows (a subquery's cost is its graph's in graph.later),
    and its columns hold values once they are joined: JOIN School sch ON sch.schoolID =
    cs.schoolID joins School to the rows the APPLY was run for."""
    found: dict[int, tuple[Node, frozenset[int]]] = {}
    for member in group.members:
        if not isinstance(member, Node) or not member.per_row:
            continue
        needs = {id(other[0]) for later in graph.later if later.applied is member
                 for _, other in _correlations(later, {id(node) for node in later.all_nodes()})}
        given = {id(ref.relation) for ref in member.relation.arguments}
        needs |= {id(node) for node in graph.nodes if node.anchor is not None and id(node.anchor) in given}
        found[id(member)] = (member, frozenset(needs))
    return found


def _correlations(later: Graph, inner_ids: set[int]) -> Iterator[tuple[Target, Target]]:
    """A correlated subquery's equalities with the outer row, each as (its column, the outer one)."""
    for join in later.joins:
        if join.kind == "correlation":
            for mine, other in ((join.left, join.right), (join.right, join.left)):
                if id(mine[0]) in inner_ids and id(other[0]) not in inner_ids:
                    yield mine, other


def _arrived(pending: dict[int, tuple[Node, frozenset[int]]], joined: set[int] | frozenset[int]) -> list[Node]:
    """The APPLYs whose outer nodes are all among `joined`, taken out of `pending`."""
    arrived = [applied for applied, needs in pending.values() if needs <= joined]
    for applied in arrived:
        del pending[id(applied)]
    return arrived


def _compared_with_outer(subquery: Graph, inner: set[int]) -> bool:
    """Whether a correlated subquery (its nodes' ids `inner`) compares its rows with the outer row
    by a range (a running count, a2.date <= a.date): what it totals differs from one outer row to
    the next, even for the same key, so it cannot be computed once for each key and joined."""
    return any((id(source) in inner) != (id(target[0]) in inner) for source, target, _ in subquery.ranges)


def _held_to_a_year(side: Estimate, node: Node) -> bool:
    """Whether a node's rows on one side of a join are held to a school year: by its own
    conditions, or, joined to others already, by theirs (a Calendar joined to the active
    SchoolYear, sy.active = 1). Not by another's window of dates (a household membership still
    open), which holds no school year's calendars."""
    if node.own_kinds & WITHIN_A_YEAR:
        return True
    held = node.kinds & _SCHOOL_YEAR
    return bool(held) and any(other is not node and other.own_kinds & held for other in side.nodes)


def _kinds(joins: list, eithers: list) -> set[str]:
    """How the joins and the ORs of joins between two inputs join them: inner, left, right..."""
    return {kind for _, _, kind in joins} | {kind for either in eithers for _, _, kind in either}


def _limited(estimate: Estimate) -> bool:
    """Whether an input has conditions of its own: a join may well start from it."""
    return any(node.filters for node in estimate.nodes)


def _reached(left: Estimate, right: Estimate, rows: float) -> tuple[tuple[frozenset[int], float], ...]:
    return (*left.reached, *right.reached, (left.node_ids | right.node_ids, rows))


def _combined_at_most(current: Estimate, keys: list[Target | None], rows: float) -> float:
    """The most combinations of the grouped columns' values `rows` rows can hold: no more than the
    rows there were once the joins had brought in each grouped column's table. A teacher's
    sections joined to their rosters make a row per student, but no more teachers than sections."""
    if not keys or None in keys:  # an expression's columns may come from any of the tables
        return rows
    needed = {id(node) for node, _ in keys}
    return min([rows, *(reached for ids, reached in current.reached if needed <= ids)])


def _together(arms: list[Estimate], members: list[Group | Node]) -> Estimate:
    """The arms of a UNION, or of an IN (... UNION ...): their rows and costs add up; the rows of
    an arm after EXCEPT or INTERSECT do not, as they only take rows away."""
    if len(arms) == 1:
        return arms[0]
    rows = sum(arm.rows for arm, member in zip(arms, members) if not _taken_away(member))
    return Estimate(rows, sum(a.cost for a in arms), [p for a in arms for p in a.parts],
                    [n for a in arms for n in a.nodes], io_cost=sum(a.io_cost for a in arms))


def _taken_away(member: Group | Node) -> bool:
    """Whether an arm of a set operation is the one after EXCEPT or INTERSECT."""
    if not isinstance(member, Group) or not member.blocks:
        return False
    node = member.blocks[0].node
    while isinstance(node.parent, exp.Subquery):
        node = node.parent
    return isinstance(node.parent, (exp.Except, exp.Intersect)) and node.parent.expression is node


def _at_least_a_row(rows: float, kept: float) -> float:
    """SQL Server never estimates that a filter on a table keeps less than one row (unless the
    table is empty): a seek for one person's one attribute is one row, not a hundredth of one."""
    return max(kept, min(rows, 1.0))


def _seek_keys(filters: list[Filter]) -> dict[str, tuple[Filter | None, Filter | None]]:
    """For each column a seek could use, its first equality (or IN) and its first range (or LIKE
    with a literal start)."""
    keys: dict[str, tuple[Filter | None, Filter | None]] = {}
    for condition in filters:
        if condition.sargable:
            equal, ranged = keys.get(condition.column, (None, None))
            if condition.operator in ("eq", "in", "null"):  # SQL Server seeks IS NULL as a value
                equal = equal or condition
            elif _ends_seek(condition):  # of two bounds, the lower one stands for the range
                ranged = condition if ranged is None or condition.bound == "lower" else ranged
            keys[condition.column] = (equal, ranged)
    return keys


def _forced(node: Node) -> Forced | None:
    """The indexes an INDEX hint leaves the node's table; None where it names one the table lacks:
    SQL Server refuses that query, and the plan it would run cannot be told."""
    forced = forced_indexes(node.relation, node.table)
    return forced if forced is not None and not forced.missing else None


def _delivered(index: Index, matched: list[Filter]) -> tuple[str, ...]:
    """The lower-case columns the rows read from an index come in the order of: its keys after
    those a seek fixes to one value each (personID = 12 on (personID, date): by date)."""
    fixed = 0
    for condition in matched:
        if condition.operator not in ("eq", "null") or condition.values != 1:
            break
        fixed += 1
    return tuple(column.lower() for column in index.columns[fixed:])


def _read_in_order(block: m.Block, current: Estimate) -> bool:
    """Whether a single table's rows come as the block's ORDER BY orders them, each item a column
    of it in the order the index it reads gives, all ascending or all descending (read backwards):
    no sort, and a TOP stops the read once it has its rows."""
    order = block.node.args["order"].expressions
    refs = {id(ref.node): ref for ref in block.ordered_by}
    columns = [refs.get(id(item.this)) for item in order]
    if current.node is None or any(ref is None or ref.relation is not current.node.relation for ref in columns):
        return False
    if len({bool(item.args.get("desc")) for item in order}) != 1:
        return False
    return tuple(ref.name.lower() for ref in columns) == current.order[:len(columns)]


def _seekable(index, keys: dict[str, tuple[Filter | None, Filter | None]]) -> list[Filter]:
    """The filters an index can seek on (`keys` from _seek_keys): equalities on its leading
    columns, then one range."""
    matched = []
    for column in index.columns:
        equal, ranged = keys.get(column.lower(), (None, None))
        if equal is not None:
            matched.append(equal)
            continue
        if ranged is not None:
            matched.append(ranged)
        break
    return matched


def _ends_seek(condition: Filter) -> bool:
    """A range, or a LIKE with a literal start: the last column an index seek can use."""
    return condition.operator == "range" or (condition.operator == "like" and bool(like_prefix(condition.condition)))


def _blocked_seek(table, filters: list[Filter]) -> Filter | None:
    """A filter that would allow a seek if the column stood alone: YEAR(a.date) = 2026."""
    leading = {index.columns[0].lower() for index in table.indexes}
    return next((f for f in filters if not f.sargable and f.column in leading and f.condition is not None), None)


def _grouped(block, current: Estimate) -> list[tuple[Node, str] | None]:
    """The columns the block groups on (its GROUP BY, or for a DISTINCT its SELECT list), each
    with the node that holds it among the joined ones, through a view or derived table that
    passes it on as it is (student.studentNumber is Person's): None for an expression, or a
    column a view computes."""
    nodes = {id(node.relation): node for node in current.nodes}
    refs = block.group_by if block.group_by or not block.distinct else [p.plain for p in block.projections]
    return [_held_by(ref.relation, ref.name, nodes) if ref is not None and ref.relation is not None else None for ref in refs]


def _pivot_grouped(block, current: Estimate, joins: list[Join]) -> list[tuple[Node, str] | None] | None:
    """The columns a PIVOT in the block groups the rows it reads by, as _grouped gives them. The
    rows are grouped here, after the block's joins: each table joined to the PIVOT's result that
    may give several rows for one of its rows (not joined on its key) is grouped by its key too.
    None without a PIVOT, or with a join to what has no key."""
    pivoted = [relation for relation in block.relations if relation.pivot_groups is not None]
    if len(pivoted) != 1:
        return None
    nodes = {id(node.relation): node for node in current.nodes}
    grouped = [_held_by(pivoted[0], column, nodes) for column in pivoted[0].pivot_groups]
    for other in block.relations:
        if other is pivoted[0]:
            continue
        node = nodes.get(id(other))
        if node is None or other.table is None or not other.table.primary_key:
            return None
        if not any(side is node and other.table.unique_on(column)
                   for join in joins for side, column in (join.left, join.right)):
            grouped += [(node, column.lower()) for column in other.table.primary_key]
    return grouped


def _held_by(relation: m.Relation, column: str, nodes: dict[int, Node]) -> tuple[Node, str] | None:
    """The joined node, and its column, that hold a relation's column: the relation's own node,
    or the one table column a view or derived table passes on as it is."""
    if id(relation) in nodes:
        return nodes[id(relation)], column
    behind = [origin for origin in origins(relation, column) if not origin.computed and id(origin.relation) in nodes]
    return (nodes[id(behind[0].relation)], behind[0].column) if len(behind) == 1 else None


def _pushed_in(node: Node, column: str) -> bool:
    """Whether x IN (SELECT ...) was pushed into the grouped view or CTE it filters, which has
    then kept only the rows it matches: the semi join keeps them all."""
    return node.opaque is not None and any(f.source is not None and f.column == column for f in node.opaque.pushed)


def _all_pushed_in(graph: Graph, node_ids: frozenset[int]) -> bool:
    """Whether every IN (SELECT ...) on these nodes was pushed into the grouped view it filters."""
    links = [side for join in graph.joins if join.kind == "semi" for side in (join.left, join.right) if id(side[0]) in node_ids]
    return bool(links) and all(_pushed_in(*side) for side in links)


def _scalar_aggregate(block) -> bool:
    """COUNT(*), SUM(...) and the like without GROUP BY or DISTINCT: one row, whatever the input."""
    return block.grouped and not block.distinct and isinstance(block.node, exp.Select) and block.node.args.get("group") is None


def _pin(pins: dict[int, list[Filter]], node: Node, column: str) -> None:
    """An equality on the node's column with the value each run is given (the outer row's)."""
    pins.setdefault(id(node), []).append(Filter(node, column, "eq", None, True, 1, None))


def _having_share(block: m.Block, groups: float) -> float:
    """The share of the groups a HAVING on an aggregate keeps (HAVING COUNT(*) >= 18): no
    statistics describe a total, so SQL Server's guesses for a column it knows nothing of. A
    HAVING on a grouped column filtered the rows before they were grouped."""
    share = 1.0
    for predicate in block.predicates:
        node = predicate.node.unnest()
        if predicate.clause != "having" or node.find(exp.AggFunc) is None:
            continue
        if isinstance(node, (exp.GT, exp.GTE, exp.LT, exp.LTE)):
            share *= RANGE_GUESS
        elif isinstance(node, exp.Between):
            share *= BETWEEN_GUESS
        elif isinstance(node, exp.EQ):
            share *= max(groups, 1.0) ** (EQUALITY_EXPONENT - 1)
    return share


def _name(estimate: Estimate) -> str:
    """The input's largest table, and the view it was read through: Roster (in v_AttendanceDetail)."""
    return _largest_name(estimate.nodes)


def _names(nodes: list[Node]) -> str:
    """The tables of a join, largest first: Roster and SectionPlacement (in v_AttendanceDetail)."""
    ranked = sorted(nodes, key=_size, reverse=True)
    names = [_node_name(n) for n in ranked]
    listed = f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} and {len(names) - 1} other tables"
    return listed + _in_view(ranked[0])


def _largest_name(nodes: list[Node]) -> str:
    biggest = max(nodes, key=_size, default=None)
    return "the subquery" if biggest is None else _node_name(biggest) + _in_view(biggest)


def _size(node: Node) -> int:
    """A node's rows in the catalog; 0 for a temp table or a derived table, which it does not list."""
    return node.table.rows if node.table is not None else 0


def _node_name(node: Node) -> str:
    return node.table.name if node.table is not None else node.relation.name


def _in_view(node: Node) -> str:
    """What follows the name of a table a view reads, " (in v_AttendanceDetail)"; nothing for the user's own."""
    return f" (in {node.anchor.name})" if node.through and node.anchor is not None else ""

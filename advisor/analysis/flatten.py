"""A statement flattened into a graph of table instances (graph.py), the way SQL Server inlines views.

Every catalog table a statement reads becomes a node: once per time it is read, however deep
in views, CTEs and derived tables. A filter on a column becomes a Filter on the node the column
comes from; an OR becomes a Choice; an equality between two nodes' columns becomes a Join (and
the Edges along which a limit can flow). A block that groups, windows or takes TOP n is not
flattened: SQL Server computes it before joining it, so it is an opaque node with a graph of its
own, built once the plain filters that reach inside it are known. Correlated subqueries and
APPLY run once per outer row: each is a graph of its own too, linked to the one around it.

scope.py decides from this graph what limits each table; the risk model costs it.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.constants import held
from advisor.analysis.counting import levels_of
from advisor.analysis.graph import (
    NOTHING,
    ROW,
    SET,
    Choice,
    Filter,
    Graph,
    Group,
    Join,
    Node,
    Subgraph,
    Target,
)
from advisor.analysis.history import CALENDAR_YEAR, kept_by
from advisor.analysis.picks import picked_from
from advisor.analysis.predicates import (
    column_converted,
    comparison,
    conjuncts,
    date_of_datetime,
    date_part,
    disjuncts,
    literal_text,
    same_literal,
)
from advisor.analysis.resolve import correlated, own_nodes

_FLIP = {"lower": "upper", "upper": "lower"}
_FEW_COLUMNS = 8
_FEW_ROWS = 100  # a TOP that returns no more than this many rows gives a handful of values
DAYS_IN_A_YEAR = 366  # the most levels a recursive CTE that builds a list may go and its values still be a few

# Table reads one statement may expand to. The team's samples read at most 15, through stacked
# views too; past this the expansion is runaway (CTEs each reading the one before twice), and
# SQL Server itself may give up compiling it (errors 8621 and 8623).
MOST_TABLE_READS = 1000


class TooLarge(Exception):
    """The statement reads more tables, once its views and CTEs are expanded, than are flattened."""


@dataclass(frozen=True)
class _Via:
    """Where table instances come from: the user's relation that leads to them."""

    anchor: m.Relation | None = None
    through: tuple[str, ...] = ()
    barrier: m.Relation | None = None


def _barrier(relation: m.Relation, via: _Via) -> m.Relation | None:
    """The grouped, windowed or TOP block to name for the tables read inside `relation`: the
    innermost one joined to others, the join that limits it too late, or else the outermost. A
    view grouped before its join to the seniors, inside a derived table that ranks what that join
    leaves, is limited too late by that join, whatever the derived table is joined to."""
    own = relation if relation.block.in_user_text else via.anchor
    if own is not None and own.joined_to_others:
        return own
    return via.barrier or own


class _Shared:
    """What the builders of one statement's graphs share: the table reads they hold so far, the
    variables the script declares and the constants some hold, and the report parameters found in
    IN lists."""

    def __init__(self, declared: Collection[str], today: date, constants: dict[str, exp.Expression]):
        self.reads = 0
        self.declared = declared
        self.constants = constants
        self.today = today  # what a year or date counted back from GETDATE() is counted from
        self.list_parameters: dict[str, str] = {}  # lower case: as first written

    def add_read(self) -> None:
        self.reads += 1
        if self.reads > MOST_TABLE_READS:
            raise TooLarge

    def values_of(self, values: tuple[exp.Expression, ...]) -> float:
        """How many values an IN list gives: any number for a variable alone in it that the script
        does not declare, IN (@schoolIDs), a report's multi-value parameter."""
        if len(values) == 1 and isinstance(values[0], exp.Parameter):
            name = "@" + values[0].name
            if name.lower() not in self.declared:
                self.list_parameters.setdefault(name.lower(), name)
                return math.inf
        return len(values)


@dataclass(eq=False)
class _Later:
    """A query run once per outer row, or apart from the rows around it, to be built into a graph
    of its own once the graph around it is."""

    blocks: list[m.Block]
    via: _Via
    frame: _Frame
    empty: bool  # it stands in a query that returns nothing
    runs: int = 1  # times each outer row runs it
    matched: list[Target] = field(default_factory=list)  # for x NOT IN (SELECT y ...), the outer columns x is
    applied: Node | None = None  # an APPLY's node
    existence: bool = False  # an EXISTS or IN: whether a row matches, not what the rows give
    picks: Node | None = None  # e.startDate = (SELECT MAX(e2.startDate) ...): e's node (picks.py)
    per_joined_row: bool = False  # in a WHERE or ON, or an APPLY: run for the rows the joins make, before grouping
    kept_in: list[Target] = field(default_factory=list)  # x IN (SELECT y ... GROUP BY ...): the outer columns x is
    # An IN or EXISTS inside a condition's OR (not under NOT): it, and for an IN the outer columns x is
    branch_test: exp.Expression | None = None
    offered: list[Target] = field(default_factory=list)


@dataclass(eq=False)
class _Binding:
    """What one relation stands for: a node, or the branches of an expanded query."""

    node: Node | None = None
    branches: list[tuple[m.Block, _Frame]] = field(default_factory=list)


class _Frame:
    """The bindings of one expansion of a block. A view read twice is expanded twice, each
    time into its own nodes; a correlated column is found in an enclosing frame."""

    def __init__(self, parent: _Frame | None = None):
        self.parent = parent
        self.bindings: dict[int, _Binding] = {}

    def binding(self, relation: m.Relation | None) -> _Binding | None:
        frame: _Frame | None = self
        while frame is not None:
            found = frame.bindings.get(id(relation))
            if found is not None:
                return found
            frame = frame.parent
        return None


def flatten(roots: list[m.Block], declared: Collection[str] = (), today: date | None = None,
            constants: dict[str, exp.Expression] | None = None) -> Graph:
    """The statement's graph; TooLarge past MOST_TABLE_READS table reads. `declared`: the
    variables the script declares before it, lower case; `today`: the day it is checked on;
    `constants`: the values of those that hold one (constants.py), by name without the @."""
    shared = _Shared(declared, today or date.today(), constants or {})
    builder = _Builder(Graph(), shared)
    builder.add_query(roots, _Via(), _Frame(), semi=False)
    builder.finish()
    builder.graph.list_parameters = tuple(shared.list_parameters.values())
    return builder.graph


class _Builder:
    """Builds one graph (and, when it finishes, the graphs it leads to)."""

    def __init__(self, graph: Graph, shared: _Shared):
        self.graph = graph
        self.shared = shared  # with the graphs this one leads to
        self.inside_empty = 0  # how many SELECTs that return no rows enclose the blocks being added
        self.group = graph.root  # where new nodes go
        self.opaque: list[tuple[Node, list[m.Block], _Via]] = []
        self.later: list[_Later] = []
        self.semi_joined: set[int] = set()

    # -- blocks and relations --------------------------------------------------------------
    def add_query(self, blocks: list[m.Block], via: _Via, frame: _Frame, semi: bool, kind: str = "join",
                  used: set[str] | None = None) -> list[tuple[m.Block, _Frame]]:
        """Flatten a query's branches into the current group; several branches (a UNION) or a
        semi-join get a group of their own. Returns each branch's block and frame. `used`: the
        output columns read from a view's single SELECT, when not all of them are."""
        if len(blocks) == 1 and kind == "join":
            frame = _Frame(frame)
            self.group.blocks.append(blocks[0])
            self.add_block(blocks[0], via, frame, semi, used)
            return [(blocks[0], frame)]
        around = self.group
        group = Group("union" if len(blocks) > 1 else kind)
        around.members.append(group)
        branches = []
        for block in blocks:
            self.group = Group("join", blocks=[block])
            group.members.append(self.group)
            inner = _Frame(frame)
            self.add_block(block, via, inner, semi)
            branches.append((block, inner))
        if kind == "semi" and len(blocks) > 1:
            group.kind = "semi"  # a UNION inside IN (...): its arms filter together
        self.group = around
        return branches

    def add_block(self, block: m.Block, via: _Via, frame: _Frame, semi: bool = False, used: set[str] | None = None) -> None:
        if block.empty:
            self.graph.empty_blocks.add(id(block))
            self.inside_empty += 1
        around, units = self.group, {}
        for relation in block.relations:
            if used is not None and _unread_left_join(relation, block, used):
                continue  # SQL Server leaves out a LEFT JOIN on a key when nothing reads its columns
            head = relation.unit or relation
            if head.optional and (head is not relation or any(r.unit is relation for r in block.relations)):
                # A LEFT JOIN (r JOIN sp ON ...) ON ...: r and sp are joined to each other, then the
                # pair to the rest, as SQL Server joins them
                if id(head) not in units:
                    units[id(head)] = Group("join")
                    around.members.append(units[id(head)])
                self.group = units[id(head)]
            frame.bindings[id(relation)] = self._relation(relation, via, frame, semi)
            self.group = around
        for subquery in block.subqueries:
            self._subquery(subquery, block, via, frame)
        for predicate in block.predicates:
            self._predicate(predicate, block, frame)
        self.inside_empty -= block.empty

    def _node(self, relation: m.Relation, via: _Via, semi: bool, **facts) -> Node:
        mine = relation.block.in_user_text
        node = Node(relation.table, relation, relation if mine else via.anchor, () if mine else via.through,
                    via.barrier, semi=semi, **facts)
        if self.inside_empty:
            node.preset.add(NOTHING)
        if node.anchor is not None and node.anchor.cursor_row:  # a view's row too: its tables' one row each
            node.preset.add(ROW)
        self.shared.add_read()
        self.graph.nodes.append(node)
        self.group.members.append(node)
        return node

    def _relation(self, relation: m.Relation, via: _Via, frame: _Frame, semi: bool) -> _Binding:
        if relation.table is not None:  # a table, or an indexed view read through its index
            return _Binding(self._node(relation, via, semi))
        if relation.kind in (m.TEMP, m.TABLE_VARIABLE) or listed_rows(relation) is not None:
            return _Binding(self._node(relation, via, semi, preset={SET}))
        per_row = _per_row(relation)
        if not relation.inner:  # a function's rows (STRING_SPLIT)
            return _Binding(self._node(relation, via, semi, per_row=per_row))
        inner_via = self._inner_via(relation, via)
        if not per_row and all(block.transparent for block in relation.inner):
            return _Binding(branches=self.add_query(relation.inner, inner_via, _Frame(frame), semi, used=relation.read_columns))
        # one row, or a few: a join to its values limits like a temp table's (CROSS JOIN (SELECT MAX(endYear) ...) y)
        node = self._node(relation, via, semi, preset={SET} if _returns_few(relation.inner) else set(), per_row=per_row)
        node.opaque = Subgraph([], relation.inner)
        if per_row:
            # Runs once per outer row, limited through its correlation: no barrier.
            self.later.append(_Later(relation.inner, inner_via, frame, bool(self.inside_empty), applied=node,
                                     per_joined_row=True))
        else:
            self.opaque.append((node, relation.inner, _Via(inner_via.anchor, inner_via.through, _barrier(relation, via))))
        return _Binding(node)

    def _inner_via(self, relation: m.Relation, via: _Via) -> _Via:
        mine = relation.block.in_user_text
        through = () if mine else via.through
        if relation.kind == m.VIEW:
            through = (*through, relation.name)
        return _Via(relation if mine else via.anchor, through, via.barrier)

    def _subquery(self, subquery: m.Subquery, block: m.Block, via: _Via, frame: _Frame) -> None:
        holder = subquery.node
        top_level = any(predicate.node is holder for predicate in block.predicates)
        semi_join = top_level and isinstance(holder, (exp.Exists, exp.In)) and subquery.clause in ("where", "on")
        if semi_join and all(b.transparent for b in subquery.blocks):
            self.semi_joined.update(id(inner) for inner in subquery.blocks)
            branches = self.add_query(subquery.blocks, via, frame, semi=True, kind="semi")
            if isinstance(holder, exp.In):
                self._in_query(holder, _Binding(branches=branches), block, frame, subquery.correlated)
            return
        branch_test = holder if _in_a_branch(holder, block) else None
        self.later.append(_Later(subquery.blocks, via, frame, bool(self.inside_empty), subquery.runs,
                                 self._not_in(holder, block, frame), existence=isinstance(holder, (exp.Exists, exp.In)),
                                 picks=self._picked(subquery, block, frame), per_joined_row=subquery.clause in ("where", "on"),
                                 kept_in=self._kept_in(holder, block, frame), branch_test=branch_test,
                                 offered=self._in_subject(branch_test, block, frame) if isinstance(branch_test, exp.In) else []))

    def _picked(self, subquery: m.Subquery, block: m.Block, frame: _Frame) -> Node | None:
        """The one node whose rows the subquery picks among (picks.py); not where it joins that
        node to other tables, as a join the rows it picks are already counted by."""
        column = picked_from(subquery, block)
        if column is None or _computed_from(column, subquery, block):
            return None
        targets = self._targets(column, frame, direct_only=True)
        return targets[0][0] if len(targets) == 1 else None

    def _not_in(self, holder: exp.Expression, block: m.Block, frame: _Frame) -> list[Target]:
        """For x NOT IN (SELECT y ...), the outer columns x stands for: only the rows of y that match
        one count, so their limits reach y, as through NOT EXISTS's WHERE y = x."""
        negated = holder.parent if isinstance(holder, exp.In) else None
        if not isinstance(negated, exp.Not) or not any(predicate.node is negated for predicate in block.predicates):
            return []
        return self._in_subject(holder, block, frame)

    def _kept_in(self, holder: exp.Expression, block: m.Block, frame: _Frame) -> list[Target]:
        """For x IN (SELECT y ...) AND-ed into the conditions and planned apart (it groups, ranks or
        takes a TOP), the outer columns x stands for: it keeps their rows whose value y holds."""
        if not isinstance(holder, exp.In) or not any(predicate.node is holder for predicate in block.predicates):
            return []
        return self._in_subject(holder, block, frame)

    def _in_subject(self, holder: exp.In, block: m.Block, frame: _Frame) -> list[Target]:
        refs = {id(ref.node): ref for predicate in block.predicates for ref in predicate.columns}
        subject = _one_relation(_column_refs(holder.this, refs))
        return self._targets(subject, frame) if subject is not None else []

    def _in_query(self, holder: exp.In, query: _Binding, block: m.Block, frame: _Frame, correlated: bool) -> None:
        """x IN (SELECT y ...): the values of y limit x, pushed into a grouped x like a filter; and
        only the rows of y that match an x count, so x's limits reach y, as they reach through an
        EXISTS's WHERE y = x."""
        refs = {id(ref.node): ref for predicate in block.predicates for ref in predicate.columns}
        subject = _one_relation(_column_refs(holder.this, refs))
        first = query.branches[0][0]
        if subject is None or not first.projections:
            return
        sources = self._binding_targets(query, first.projections[0].name, direct_only=True)
        source = sources[0] if len(sources) == 1 else None
        for target in self._targets(subject, frame):
            if target[0].opaque is not None and not correlated:
                target[0].opaque.pushed.append(Filter(target[0], target[1], "eq", None, True, 1, holder, source=source))
            self.graph.edges.extend(edge for source in sources for edge in ((source, target), (target, source)))
            self.graph.joins.extend(Join(target, source, "semi") for source in sources)

    # -- conditions ---------------------------------------------------------------------------
    def _predicate(self, predicate: m.Predicate, block: m.Block, frame: _Frame) -> None:
        if predicate.on_groups:
            return  # it drops groups once every row is read and grouped: no table has fewer rows
        refs = {id(ref.node): ref for ref in predicate.columns}
        receivers = _receivers(predicate)
        branches = disjuncts(predicate.node)
        if len(branches) > 1:
            equalities = [(b.this, b.expression) for b in branches] if all(isinstance(b, exp.EQ) for b in branches) else []
            pairs = _equal_columns(equalities, refs) if equalities else None
            if pairs is None or not self._either(pairs, receivers, block, frame, predicate):
                self._disjunction(predicate.node, branches, refs, receivers, block, frame)
            return
        parsed = comparison(predicate.node)
        if parsed is None or parsed.operator == "in query":
            return
        subject_refs = _column_refs(parsed.subject, refs)
        value_refs = [ref for value in parsed.values for ref in _column_refs(value, refs)]
        if subject_refs and value_refs and parsed.operator == "in":  # s.personID IN (rp.personID1, rp.personID2)
            pairs = _equal_columns([(parsed.subject, value) for value in parsed.values], refs)
            if pairs is not None:
                self._either(pairs, receivers, block, frame, predicate)
            return
        if subject_refs and value_refs:
            left, right = _one_relation(subject_refs), _one_relation(value_refs)
            if parsed.operator == "eq" and (left is None) != (right is None):
                self._computed_equality(*((left, value_refs) if left is not None else (right, subject_refs)),
                                        block, frame, predicate)
                return
            if left is None or right is None or left.relation is right.relation:
                return
            if parsed.operator == "eq":
                self._equality(left, right, receivers, block, frame, predicate)
            elif parsed.operator == "range":
                for source_ref, target_ref, bound in ((right, left, parsed.bound), (left, right, _FLIP.get(parsed.bound))):
                    if _allowed(target_ref, receivers) and self._may_limit(target_ref, block):
                        for source, _ in self._targets(source_ref, frame):
                            self.graph.ranges.extend((source, target, bound) for target in self._targets(target_ref, frame))
            return
        per_row = {id(subquery.node): subquery for subquery in block.subqueries if subquery.correlated}
        for subject, values, bound in parsed.sides():
            run_per_row = [per_row.get(id(value.unnest() if isinstance(value, exp.Paren) else value)) for value in values]
            if any(run_per_row):  # = (SELECT MAX(...) ... WHERE e2.personID = e.personID): a value for each row, not one value
                if parsed.operator == "eq" and isinstance(subject, exp.Column):
                    self._per_row_equality(_one_relation(_column_refs(subject, refs)), run_per_row[0], block, frame, predicate)
                continue
            ref = _one_relation(_column_refs(subject, refs))
            if parsed.operator == "null" and ref is not None and ref.relation is not None and ref.relation.optional:
                continue  # LEFT JOIN r ... WHERE r.rosterID IS NULL: the rows that found none, not fewer rows of r to read
            if ref is not None and not any(_column_refs(value, refs) for value in values):
                self._rule_out_arms(ref, parsed.operator, values, frame)
                if _allowed(ref, receivers) and self._may_limit(ref, block):
                    for filter_ in self._filters(ref, parsed.operator, bound, subject, values, predicate.node, frame):
                        if filter_.node.opaque is not None:
                            filter_.node.opaque.pushed.append(filter_)
                        else:
                            filter_.node.filters.append(filter_)
                if not parsed.between:
                    break

    def _filters(self, ref: m.ColumnRef, operator: str, bound: str | None, subject: exp.Expression,
                 values: tuple[exp.Expression, ...], condition: exp.Expression, frame: _Frame) -> list[Filter]:
        count = self.shared.values_of(values) if operator == "in" else 1
        bound = _bound_on_column(subject, ref.node, bound)
        plain = self._targets(ref, frame, direct_only=True)  # those a view passes on as they are
        choices = self._choices(ref, frame) if isinstance(subject, exp.Column) else _case_results(subject)
        texts = [literal_text(value) for value in values]
        literals = tuple(text.lower() for text in texts) if None not in texts else ()
        found = []
        for node, column in self._targets(ref, frame):
            direct = (node, column) in plain
            own = direct and _own_values(subject, node, column)
            kept = None
            if direct and operator == "range" and node.table is not None:
                kind = node.table.scope_kind(column)
                if isinstance(subject, exp.Year) and kind == "date":
                    kind = CALENDAR_YEAR
                if own or kind == CALENDAR_YEAR:
                    strict = isinstance(condition.unnest(), (exp.GT, exp.LT)) * (1 if bound == "lower" else -1)
                    kept = kept_by(tuple(held(value, self.shared.constants) for value in values), kind or "", self.shared.today, strict)
            part = date_part(subject) if node.table is not None and node.table.scope_kind(column) == "date" else None
            every_year = part if part != "year" else None
            found.append(Filter(node, column, operator, bound, own and not _converted(node, column, values), count,
                                condition, own or (direct and _with_default(subject)), choices, literals, kept=kept,
                                every_year=every_year))
        return found

    def _choices(self, ref: m.ColumnRef, frame: _Frame) -> int | None:
        """How many values a view's column takes when the view computes it with a CASE of
        literal results (activeToday: 1 or 0), through the views that pass it on."""
        binding = frame.binding(ref.relation)
        if binding is None or len(binding.branches) != 1:
            return None
        block, inner = binding.branches[0]
        projection = _projection(block, ref.relation.inner_name(ref.name), None)
        if projection is None or projection.star_of is not None:
            return None
        if projection.plain is not None:
            return self._choices(projection.plain, inner)
        return _case_results(projection.node.unalias())

    def _may_limit(self, ref: m.ColumnRef, block: m.Block) -> bool:
        """A correlated subquery filters its own rows, not those of the query around it; an
        EXISTS or IN flattened into that query does both."""
        return not ref.outer or id(block) in self.semi_joined

    def _equality(self, left: m.ColumnRef, right: m.ColumnRef, receivers: set[int] | None, block: m.Block,
                  frame: _Frame, predicate: m.Predicate) -> None:
        lefts = self._targets(left, frame, direct_only=True)
        rights = self._targets(right, frame, direct_only=True)
        self.graph.joins.extend(self._joins(left, right, lefts, rights, block, frame, predicate))
        for sources, targets, target_ref in ((lefts, rights, right), (rights, lefts, left)):
            if _allowed(target_ref, receivers) and self._may_limit(target_ref, block):
                self.graph.edges.extend((source, target) for source in sources for target in targets)

    def _joins(self, left: m.ColumnRef, right: m.ColumnRef, lefts: list[Target], rights: list[Target], block: m.Block,
               frame: _Frame, predicate: m.Predicate) -> list[Join]:
        """The joins of left = right, given the nodes each column is as it is (`lefts`, `rights`)."""
        kind = _join_kind(left, right, predicate, block, self.semi_joined)
        # the optional side of an outer join on the right: ON ct.personID = rp.personID2; a RIGHT
        # JOIN's relation is the side it keeps whole, on the left
        if kind == "left" and _inside(left.relation, predicate.on) != (predicate.on.join == m.RIGHT):
            left, right, lefts, rights = right, left, rights, lefts
        # A column a derived table or CTE computes (CAST(p.personID AS int) AS pid) joins the
        # tables it is computed from; only where it is a plain column does it carry a limit across.
        return [Join(a, b, kind) for a in lefts or self._targets(left, frame) or self._stand_in(left, frame)
                for b in rights or self._targets(right, frame) or self._stand_in(right, frame)]

    def _computed_equality(self, column: m.ColumnRef, computed_from: list[m.ColumnRef], block: m.Block, frame: _Frame,
                           predicate: m.Predicate) -> None:
        """p.personID = COALESCE(ct.personID, s.personID): a join to a value computed from several
        relations, which SQL Server seeks or hashes once they are all joined. Its first column
        stands for the value; no limit crosses it, as it is any one of them."""
        if any(ref.relation is None or ref.relation is column.relation for ref in computed_from):
            return
        stand_in = computed_from[0]
        needs = tuple(node for ref in computed_from if ref.relation is not stand_in.relation
                      for node, _ in self._targets(ref, frame))
        self.graph.joins.extend(replace(join, needs=needs, computed=True) for join in self._joins(
            column, stand_in, self._targets(column, frame, direct_only=True),
            self._targets(stand_in, frame, direct_only=True), block, frame, predicate))

    def _per_row_equality(self, column: m.ColumnRef | None, subquery: m.Subquery, block: m.Block, frame: _Frame,
                          predicate: m.Predicate) -> None:
        """e.enrollmentID = (SELECT TOP 1 e2.enrollmentID ... WHERE e2.personID = p.personID ...):
        a value for each row of the tables the subquery is correlated with, so a join to them, as
        to a value computed from their columns."""
        outer = _computed_from(column, subquery, block) if column is not None and column.relation is not None else []
        if outer:
            self._computed_equality(column, outer, block, frame, predicate)

    def _either(self, pairs: list[tuple[m.ColumnRef, m.ColumnRef]], receivers: set[int] | None, block: m.Block,
                frame: _Frame, predicate: m.Predicate) -> bool:
        """An OR of equalities between the same two relations, each between one node of either:
        a join that a row of one passes when it matches the other on any branch. Where one
        side joins on the same column in every branch (s.personID), the other's rows are those
        its values find, and its limits reach them."""
        targets = [(self._targets(left, frame, direct_only=True), self._targets(right, frame, direct_only=True))
                   for left, right in pairs]
        joins = [self._joins(left, right, lefts, rights, block, frame, predicate)
                 for (left, right), (lefts, rights) in zip(pairs, targets)]
        if any(len(found) != 1 for found in joins) or len({frozenset((id(j.left[0]), id(j.right[0]))) for j, in joins}) != 1:
            return False
        self.graph.either.append(tuple(join for join, in joins))
        for side in (0, 1):
            if len({(id(pair[side].relation), pair[side].name.lower()) for pair in pairs}) > 1:
                continue
            for pair, found in zip(pairs, targets):
                if _allowed(pair[1 - side], receivers) and self._may_limit(pair[1 - side], block):
                    self.graph.edges.extend((a, b) for a in found[side] for b in found[1 - side])
        return True

    def _disjunction(self, condition: exp.Expression, branches: list[exp.Expression], refs: dict[int, m.ColumnRef],
                     receivers: set[int] | None, block: m.Block, frame: _Frame) -> None:
        choice = Choice([], True, condition)
        for branch in branches:
            filters: list[Filter] = []
            for part in conjuncts(branch):
                parsed = comparison(part)
                found = False
                if parsed is not None and parsed.operator != "in query":
                    for subject, values, bound in parsed.sides():
                        ref = _one_relation(_column_refs(subject, refs))
                        if ref is None or any(_column_refs(value, refs) for value in values):
                            continue
                        if _allowed(ref, receivers) and self._may_limit(ref, block):
                            filters.extend(self._filters(ref, parsed.operator, bound, subject, values, part, frame))
                            found = True
                        if not parsed.between:
                            break
                choice.complete = choice.complete and found
            choice.branches.append(filters)
        self.graph.choices.append(choice)

    def _rule_out_arms(self, ref: m.ColumnRef, operator: str, values: tuple[exp.Expression, ...], frame: _Frame) -> None:
        """A UNION arm whose column is a constant no value matches returns nothing: SQL Server
        drops it when it compiles the query."""
        binding = frame.binding(ref.relation)
        if operator not in ("eq", "in") or binding is None or len(binding.branches) < 2 \
                or not all(isinstance(value, exp.Literal) for value in values):
            return
        name = ref.relation.inner_name(ref.name)
        for block, _ in binding.branches:
            projection = _projection(block, name, _position(binding, name) if block is not binding.branches[0][0] else None)
            constant = projection.node.unalias() if projection is not None else None
            if isinstance(constant, exp.Literal) and all(same_literal(constant, value) is False for value in values):
                self.graph.empty_blocks.add(id(block))

    # -- columns to nodes --------------------------------------------------------------------------
    def _targets(self, ref: m.ColumnRef, frame: _Frame, direct_only: bool = False) -> list[Target]:
        binding = frame.binding(ref.relation)
        if binding is None:
            return []
        # an expanded query's own name for the column; an opaque node's columns are the relation's
        name = ref.name if binding.node is not None else ref.relation.inner_name(ref.name)
        return self._binding_targets(binding, name, direct_only)

    def _stand_in(self, ref: m.ColumnRef, frame: _Frame) -> list[Target]:
        """A column the catalog's view lacks, which the district's may have: the join still joins,
        on that column of the first table the view reads, rather than pairing every row."""
        offered = ref.relation.output_columns if ref.relation is not None else None
        binding = frame.binding(ref.relation)
        if offered is None or ref.name.lower() in {c.lower() for c in offered}:
            return []
        while binding is not None and binding.node is None and binding.branches and binding.branches[0][0].relations:
            block, inner = binding.branches[0]
            binding = inner.binding(block.relations[0])
        return [(binding.node, ref.name.lower())] if binding is not None and binding.node is not None else []

    def _binding_targets(self, binding: _Binding, column: str, direct_only: bool) -> list[Target]:
        if binding.node is not None:
            return [(binding.node, column.lower())]
        position = _position(binding, column)
        found: list[Target] = []
        for at, (block, frame) in enumerate(binding.branches):
            projection = _projection(block, column, position if at else None)
            if projection is not None:
                found.extend(self._projection_targets(projection, column, frame, direct_only))
        return found

    def _projection_targets(self, projection: m.Projection, column: str, frame: _Frame, direct_only: bool) -> list[Target]:
        if projection.star_of is not None:
            for relation in projection.star_of:
                if relation.offers(column):
                    return self._targets(m.ColumnRef(projection.node, column, relation), frame, direct_only)
            return []
        expression = projection.node.unalias() if isinstance(projection.node, exp.Alias) else projection.node
        if direct_only and not isinstance(expression, exp.Column):
            return []
        return [target for ref in projection.columns for target in self._targets(ref, frame, direct_only)]

    # -- the graphs this one leads to ---------------------------------------------------------------
    def finish(self) -> None:
        _imply_values(self.graph)
        for node, blocks, via in self.opaque:
            for block in blocks:
                child = _Builder(Graph(outer=self.graph), self.shared)
                child.inside_empty = int(NOTHING in node.preset)
                (_, frame), = child.add_query([block], via, _Frame(), semi=False)
                branch = _Binding(branches=[(block, frame)])
                for outer in node.opaque.pushed:
                    named = node.relation.inner_name(outer.column).lower()  # the query's own name for it
                    if named in block.pushable_columns:
                        for inner, column in child._binding_targets(branch, named, direct_only=True):
                            inner.filters.append(Filter(inner, column, outer.operator, outer.bound, outer.sargable,
                                                        outer.values, outer.condition, source=outer.source))
                if len(node.opaque.blocks) == 1:
                    for column in {column for join in self.graph.joins for side, column in (join.left, join.right) if side is node}:
                        found = child._binding_targets(branch, node.relation.inner_name(column), direct_only=True)
                        if len(found) == 1:
                            node.opaque.sources[column] = found[0]
                child.finish()
                node.opaque.graphs.append(child.graph)
        for later in self.later:
            for block in later.blocks:
                child = _Builder(Graph(outer=self.graph, runs=later.runs, applied=later.applied, existence=later.existence,
                                       picks=later.picks, per_joined_row=later.per_joined_row, kept_in=later.kept_in),
                                 self.shared)
                child.inside_empty = int(later.empty)
                (_, inner), = child.add_query([block], later.via, _Frame(later.frame), semi=False)
                if (later.matched or later.offered) and block.projections:
                    sources = child._binding_targets(_Binding(branches=[(block, inner)]), block.projections[0].name,
                                                     direct_only=True)
                    child.graph.edges.extend((target, source) for target in later.matched for source in sources)
                    child.graph.offers.extend((source, target) for target in later.offered for source in sources)
                child.finish()
                if isinstance(later.branch_test, exp.Exists):
                    child.graph.offers.extend(_correlated_pairs(child.graph))
                child.graph.branch_test = later.branch_test
                self.graph.later.append(child.graph)


def _in_a_branch(holder: exp.Expression, block: m.Block) -> bool:
    """An IN or EXISTS that is one of the things an OR in the block's conditions asks, not under NOT:
    it keeps the rows it matches when no other branch does."""
    if not isinstance(holder, (exp.Exists, exp.In)):
        return False
    node = holder
    while node.parent is not None and not any(predicate.node is node for predicate in block.predicates):
        if isinstance(node.parent, exp.Not):
            return False
        node = node.parent
    return node is not holder and any(predicate.node is node for predicate in block.predicates) and len(disjuncts(node)) > 1


def _correlated_pairs(graph: Graph) -> list[tuple[Target, Target]]:
    """The correlation of an EXISTS: each (its column, the outer row's) it is matched on."""
    inner = {id(node) for node in graph.nodes}
    return [(mine, theirs) for join in graph.joins if join.kind == "correlation"
            for mine, theirs in ((join.left, join.right), (join.right, join.left))
            if id(mine[0]) in inner and id(theirs[0]) not in inner]


def _imply_values(graph: Graph) -> None:
    """a.calendarID = 812 with d.calendarID = a.calendarID: SQL Server derives d.calendarID = 812
    and can seek Day on it. Literal values only, and only across inner joins."""
    for join in graph.joins:
        if join.kind != "inner" or join.computed:
            continue
        for (source, column), (target, other) in ((join.left, join.right), (join.right, join.left)):
            given = next((f for f in source.filters if f.column == column and f.literals and f.own_values
                          and f.operator in ("eq", "in")), None)
            if given is not None and target.opaque is None \
                    and not any(f.column == other and f.operator in ("eq", "in") for f in target.filters):
                target.filters.append(replace(given, node=target, column=other))


def _returns_few(blocks: list[m.Block]) -> bool:
    """Whether a query returns a handful of rows whatever the tables hold: an aggregate without
    GROUP BY (one row), or a TOP of a few."""
    return all((block.grouped and not block.group_by and not block.windowed)
               or (block.top_rows is not None and block.top_rows <= _FEW_ROWS) for block in blocks)


def listed_rows(relation: m.Relation) -> int | None:
    """The most rows of a relation that lists them rather than reading a table, whose values a
    join takes as a temp table's: a VALUES list's; a derived table's or CTE's that reads nothing,
    a row for each of its SELECTs (WITH params AS (SELECT 2026 AS endYear), joined on c.endYear =
    p.endYear); a recursive CTE's that builds them from constants alone (each anchor arm a row,
    its one recursive arm reading only itself: a row more per level), when it recurs a year of
    levels at most (the days from one date to another, joined to Attendance.date). Its levels
    are the fewer of those the statement allows (SQL Server's 100, or OPTION (MAXRECURSION n))
    and those its own condition lets it count, which is what bounds it under MAXRECURSION 0.
    None for any other relation."""
    if relation.kind == m.VALUES:
        return len(relation.node.expressions)
    if relation.kind in (m.CTE, m.DERIVED) and relation.inner and all(
            not block.relations and not block.subqueries for block in relation.inner):
        return len(relation.inner)
    if relation.kind != m.CTE:
        return None
    references = [inner for block in relation.inner for inner in block.relations]
    if len(references) != 1 or not references[0].recursive_anchor:
        return None
    (reference,) = references
    count = reference.counted
    bounds = [levels for levels in (reference.recursions, levels_of(count) if count else None) if levels is not None]
    if not bounds or min(bounds) > DAYS_IN_A_YEAR:
        return None
    return len(reference.recursive_anchor) * (1 + min(bounds))


def _unread_left_join(relation: m.Relation, block: m.Block, used: set[str]) -> bool:
    """A table LEFT JOINed on one of its keys adds no rows and removes none: when none of its
    columns is read, the optimizer does not read it (join elimination)."""
    table = relation.table
    if relation.join != m.LEFT or table is None or any(s.correlated for s in block.subqueries):
        return False
    keys = {mine.name.lower() for join in block.join_keys if (side := join.side(relation)) for mine, _ in [side]}
    unique = [{k.lower() for k in key} for key in [table.primary_key, *(i.columns for i in table.indexes if i.unique)] if key]
    if not any(key <= keys for key in unique):
        return False
    for projection in block.projections:
        if projection.star_of is not None and relation in projection.star_of:
            return False
        if projection.name.lower() in used and any(ref.relation is relation for ref in projection.columns):
            return False
    return not any(p.on is not relation and any(ref.relation is relation for ref in p.columns) for p in block.predicates)


def _position(binding: _Binding, column: str) -> int | None:
    """A UNION's columns are named by its first branch and matched by position in the others."""
    names = [p.name.lower() for p in binding.branches[0][0].projections]
    return names.index(column.lower()) if column.lower() in names else None


def _case_results(expression: exp.Expression) -> int | None:
    """How many values a CASE whose every result is a literal gives (an absent ELSE gives NULL)."""
    if not isinstance(expression, exp.Case):
        return None
    results = [branch.args.get("true") for branch in expression.args.get("ifs") or []]
    results.append(expression.args.get("default") or exp.Null())
    if not all(isinstance(result, (exp.Literal, exp.Null)) for result in results):
        return None
    return len({result.sql() for result in results})


def _with_default(subject: exp.Expression) -> bool:
    """ISNULL(e.noShow, 0) or COALESCE(col, 'N'): the column's own values, with a literal for its
    NULLs. No index on the column can be sought through it."""
    return (isinstance(subject, exp.Coalesce) and isinstance(subject.this, exp.Column)
            and all(isinstance(default, exp.Literal) for default in subject.expressions))


def _converted(node: Node, column: str, values: tuple[exp.Expression, ...]) -> bool:
    """Whether SQL Server converts the column to compare it with the values (column_converted)."""
    declared = node.table.column(column) if node.table is not None else None
    return declared is not None and column_converted(declared.type, values)


def _own_values(subject: exp.Expression, node: Node, column: str) -> bool:
    """Whether the side compares the node's column's own values: the bare column, or a date and
    time column converted to date (which SQL Server seeks as the range of that day)."""
    if isinstance(subject, exp.Column):
        return True
    declared = node.table.column(column) if node.table is not None else None
    return declared is not None and date_of_datetime(subject, declared.type)


def _bound_on_column(subject: exp.Expression, column: exp.Expression, bound: str | None) -> str | None:
    """The bound a range on `subject` puts on the column in it. DATEDIFF(day, a.date, GETDATE())
    <= 30 is a lower bound on a.date: the difference shrinks as the date grows."""
    if bound is not None and isinstance(subject, exp.DateDiff) and any(n is column for n in subject.expression.walk()):
        return _FLIP[bound]
    return bound


def _projection(block: m.Block, column: str, position: int | None) -> m.Projection | None:
    if position is not None and position < len(block.projections) and not any(p.star_of for p in block.projections):
        return block.projections[position]
    lower = column.lower()
    for projection in block.projections:
        if projection.name.lower() == lower:
            return projection
        if projection.star_of is not None and any(r.offers(lower) for r in projection.star_of):
            return projection
    return None


def _join_kind(left: m.ColumnRef, right: m.ColumnRef, predicate: m.Predicate, block: m.Block, semi_joined: set[int]) -> str:
    if left.outer or right.outer:
        return "semi" if id(block) in semi_joined else "correlation"
    relation = predicate.on
    if relation is None or relation.made_inner_by is not None:
        return "inner"
    if relation.optional or relation.join == m.RIGHT or (relation.unit is not None and relation.unit.optional):
        return "left"  # in A LEFT JOIN (B JOIN C ON ...) ON ..., C is as optional as B
    return "full" if relation.join == m.FULL else "inner"


def _inside(relation: m.Relation | None, on: m.Relation) -> bool:
    """Whether the relation is the one an ON joins, or of the parenthesized group it heads."""
    return relation is on or (relation is not None and relation.unit is not None and relation.unit is (on.unit or on))


def _receivers(predicate: m.Predicate) -> set[int] | None:
    """The relations an ON condition may limit: only the inner side of an outer join."""
    relation = predicate.on
    if relation is None or relation.join in (m.INNER, m.CROSS, m.FROM, m.CROSS_APPLY) or relation.made_inner_by is not None:
        return None
    if relation.optional:  # and the tables of the parenthesized group it heads
        return {id(relation)} | {id(r) for r in relation.block.relations if r.unit is relation}
    if relation.join == m.RIGHT:
        return {id(r) for r in relation.block.relations if r is not relation}
    return set()


def _allowed(ref: m.ColumnRef, receivers: set[int] | None) -> bool:
    return receivers is None or id(ref.relation) in receivers


def _column_refs(node: exp.Expression, refs: dict[int, m.ColumnRef]) -> list[m.ColumnRef]:
    """The condition's columns that lie inside `node`, in the condition's order. With a few
    columns, walking up from each is quickest; with many (a chain of a thousand ORs), walking
    down from `node` keeps each branch's search to the branch."""
    if len(refs) > _FEW_COLUMNS:
        return [refs[id(child)] for child in own_nodes(node) if id(child) in refs]
    found = []
    for ref in refs.values():
        current = ref.node
        while current is not None and current is not node:
            current = current.parent
        if current is node:
            found.append(ref)
    return found


def _equal_columns(sides: list[tuple[exp.Expression, exp.Expression]],
                   refs: dict[int, m.ColumnRef]) -> list[tuple[m.ColumnRef, m.ColumnRef]] | None:
    """The two columns of each of the equalities an OR or an IN list makes, when each compares
    the same two relations (rp.personID1 = s.personID OR rp.personID2 = s.personID), in the first
    one's order. A side computed from one relation's columns stands for its first column, as in a
    join of one equality (c.calendarID = e.calendarID + 1000)."""
    pairs: list[tuple[m.ColumnRef, m.ColumnRef]] = []
    for this, other in sides:
        left, right = _one_relation(_column_refs(this, refs)), _one_relation(_column_refs(other, refs))
        if left is None or right is None or left.relation is None or right.relation is None or (left.outer and right.outer):
            return None
        if pairs and left.relation is pairs[0][1].relation:
            left, right = right, left
        if left.relation is right.relation or (pairs and (left.relation, right.relation) != (pairs[0][0].relation, pairs[0][1].relation)):
            return None
        pairs.append((left, right))
    return pairs


def _per_row(relation: m.Relation) -> bool:
    """Whether an APPLY is costed as run for each row: a function's (STRING_SPLIT(@grades, ','),
    whose rows are not known), and a query's that reads a column of the tables before it. A query
    that does not (CROSS APPLY (SELECT TOP 1 ... ORDER BY ...) cs) gives the same rows for every
    row, as a derived table CROSS JOINed does."""
    return relation.join in m.APPLIES and (not relation.inner or correlated(relation.inner, relation.block))


def _outer_refs(block: m.Block) -> list[m.ColumnRef]:
    """The columns of the blocks around it that a correlated subquery's conditions compare with."""
    return [ref for predicate in block.predicates for ref in predicate.columns if ref.outer]


def _computed_from(column: m.ColumnRef, subquery: m.Subquery, block: m.Block) -> list[m.ColumnRef]:
    """Of the block's other tables, the columns a subquery run for each of their rows compares
    with, where `column` is compared with its value and no other equality joins the two (a join
    to a value computed from them); none where one does (e.personID = p.personID AND e.startDate
    = (SELECT MAX(...) ...)), as the subquery then picks among the rows that join finds."""
    outer = [replace(ref, outer=False) for inner in subquery.blocks for ref in _outer_refs(inner)
             if ref.relation is not None and ref.relation is not column.relation and ref.relation in block.relations]
    relations = {id(ref.relation) for ref in outer}
    return [] if any(_joins_relations(other, column.relation, relations) for other in block.predicates) else outer


def _joins_relations(predicate: m.Predicate, relation: m.Relation, others: set[int]) -> bool:
    """Whether the condition is an equality of a column of `relation` and one of the `others`'."""
    node = predicate.node.unnest()
    return (isinstance(node, exp.EQ) and any(ref.relation is relation for ref in predicate.columns)
            and any(id(ref.relation) in others for ref in predicate.columns))


def _one_relation(refs: list[m.ColumnRef]) -> m.ColumnRef | None:
    """The first column, when all of them come from one known relation."""
    if not refs or refs[0].relation is None or any(ref.relation is not refs[0].relation for ref in refs):
        return None
    return refs[0]

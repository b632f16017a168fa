"""How far a statement's filters reach.

For every catalog table a statement reads, directly or inside views, CTEs and derived tables,
decide whether the query limits the rows read to a school year, calendar, school, term,
section, date window or a few people, or reads the table's whole history.

The statement is flattened into a graph of table instances, the way SQL Server pushes filters
into views: a filter on a column restricts the table instance the column comes from, and an
equality join passes a limit from one table to the next when the joined column carries scope
(calendarID does; personID does not, since a student's rows span every year). A block that
groups, windows or takes TOP n stops outside limits: it is solved on its own, as SQL Server
computes it before the join, with only the plain filters on its grouping columns pushed in.
Correlated subqueries are solved after the query around them, which limits them through their
correlation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.predicates import comparison, disjuncts
from advisor.analysis.resolve import conjuncts
from advisor.catalog.model import Catalog

_FILTERED = "filtered"  # a limit on a table the catalog does not describe
_SET = "set"  # temp tables and table variables: built by the script, assumed small
_OPEN_ENDED = frozenset({"year", "date"})  # an upper bound alone keeps all the history before it
_FLIP = {"lower": "upper", "upper": "lower"}
_APPLY = (m.CROSS_APPLY, m.OUTER_APPLY)


@dataclass(eq=False)
class _Node:
    """One instance of a table in the flattened statement."""

    table: m.Table | None
    anchor: m.Relation | None
    through: tuple[str, ...]
    barrier: m.Relation | None
    kinds: set[str] = field(default_factory=set)  # what limits the rows read from it
    opaque: bool = False  # a grouped / windowed / TOP block, solved on its own
    # Columns whose values are limited by a join although the rows read are not: Person's
    # personID in the student view, joined to this year's enrollments.
    values: dict[str, set[str]] = field(default_factory=dict)

    def limits(self, column: str) -> set[str]:
        return self.kinds | self.values.get(column, set())


_Target = tuple[_Node, str]


@dataclass(frozen=True)
class _Via:
    """Where table instances come from: the user's relation that leads to them."""

    anchor: m.Relation | None = None
    through: tuple[str, ...] = ()
    barrier: m.Relation | None = None


@dataclass(eq=False)
class _Binding:
    """What one relation stands for: a table instance, or the branches of an expanded query."""

    node: _Node | None = None
    branches: list[tuple[m.Block, _Frame]] = field(default_factory=list)


class _Frame:
    """The bindings of one expansion of a block. A view read twice is expanded twice, each
    time into its own table instances; a correlated column is found in an enclosing frame."""

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


def reaches(roots: list[m.Block], catalog: Catalog) -> list[m.Reach]:
    solve = _Solve(catalog)
    for root in roots:
        solve.add_block(root, _Via(), _Frame())
    solve.finish()
    return [
        m.Reach(node.table, node.anchor, node.through, bool(node.kinds), frozenset(node.kinds), node.barrier)
        for node in solve.all_nodes()
        if node.table is not None and node.anchor is not None
    ]


class _Solve:
    """One graph: a query and everything flattened into it."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.nodes: list[_Node] = []
        self.edges: list[tuple[_Target, _Target]] = []
        self.ranges: list[tuple[_Node, _Target, str | None]] = []
        self.opaque: list[tuple[_Node, list[m.Block], _Via]] = []
        self.later: list[tuple[list[m.Block], _Via, _Frame]] = []
        self.pushed: dict[int, set[str]] = {}
        self.children: list[_Solve] = []
        self.semi_joined: set[int] = set()

    # -- building ----------------------------------------------------------------------------
    def add_block(self, block: m.Block, via: _Via, frame: _Frame) -> None:
        for relation in block.relations:
            frame.bindings[id(relation)] = self._relation(relation, via, frame)
        for subquery in block.subqueries:
            self._subquery(subquery, block, via, frame)
        for predicate in block.predicates:
            self._predicate(predicate, block, frame)

    def _node(self, relation: m.Relation, via: _Via, **facts) -> _Node:
        mine = relation.block.in_user_text
        node = _Node(relation.table, relation if mine else via.anchor, () if mine else via.through, via.barrier, **facts)
        self.nodes.append(node)
        return node

    def _relation(self, relation: m.Relation, via: _Via, frame: _Frame) -> _Binding:
        if relation.kind == m.TABLE:
            return _Binding(self._node(relation, via))
        if relation.kind in (m.TEMP, m.TABLE_VARIABLE, m.VALUES):
            return _Binding(self._node(relation, via, kinds={_SET}))
        if not relation.inner:
            return _Binding(self._node(relation, via))
        inner_via = self._inner_via(relation, via)
        if all(block.transparent for block in relation.inner):
            branches = []
            for block in relation.inner:
                inner = _Frame(frame)
                self.add_block(block, inner_via, inner)
                branches.append((block, inner))
            return _Binding(branches=branches)
        node = self._node(relation, via, opaque=True)
        if relation.join in _APPLY:
            # Runs once per outer row, limited through its correlation: no barrier.
            self.later.append((relation.inner, inner_via, frame))
        else:
            barrier = via.barrier or (relation if relation.block.in_user_text else via.anchor)
            self.opaque.append((node, relation.inner, _Via(inner_via.anchor, inner_via.through, barrier)))
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
            branches = []
            for inner in subquery.blocks:
                self.semi_joined.add(id(inner))
                inner_frame = _Frame(frame)
                self.add_block(inner, via, inner_frame)
                branches.append((inner, inner_frame))
            if isinstance(holder, exp.In):
                self._in_query(holder, _Binding(branches=branches), block, frame, subquery.correlated)
            return
        self.later.append((subquery.blocks, via, frame))

    def _in_query(self, holder: exp.In, query: _Binding, block: m.Block, frame: _Frame, correlated: bool) -> None:
        """x IN (SELECT y ...): the values of y limit x; pushed into a grouped x like a filter."""
        refs = _refs_of(block)
        subject = _one_relation(_column_refs(holder.this, refs))
        first = query.branches[0][0]
        if subject is None or not first.projections:
            return
        sources = self._binding_targets(query, first.projections[0].name, direct_only=True)
        for target in self._targets(subject, frame):
            if target[0].opaque and not correlated:
                self.pushed.setdefault(id(target[0]), set()).add(target[1])
            self.edges.extend((source, target) for source in sources)

    # -- conditions ------------------------------------------------------------------------------
    def _predicate(self, predicate: m.Predicate, block: m.Block, frame: _Frame) -> None:
        refs = {id(ref.node): ref for ref in predicate.columns}
        receivers = _receivers(predicate)
        branches = disjuncts(predicate.node)
        if len(branches) > 1:
            self._disjunction(branches, refs, receivers, block, frame)
            return
        parsed = comparison(predicate.node)
        if parsed is None or parsed.operator == "in query":
            return
        subject_refs = _column_refs(parsed.subject, refs)
        value_refs = [ref for value in parsed.values for ref in _column_refs(value, refs)]
        if subject_refs and value_refs:
            left, right = _one_relation(subject_refs), _one_relation(value_refs)
            if left is None or right is None or left.relation is right.relation:
                return
            if parsed.operator == "eq":
                self._equality(left, right, receivers, block, frame)
            elif parsed.operator == "range":
                for source_ref, target_ref, bound in ((right, left, parsed.bound), (left, right, _FLIP.get(parsed.bound))):
                    if _allowed(target_ref, receivers) and self._may_limit(target_ref, block):
                        for source, _ in self._targets(source_ref, frame):
                            self.ranges.extend((source, target, bound) for target in self._targets(target_ref, frame))
            return
        bound = parsed.bound if subject_refs else _FLIP.get(parsed.bound)
        subject = _one_relation(subject_refs or value_refs)
        if subject is not None and _allowed(subject, receivers) and self._may_limit(subject, block):
            self._limit(subject, bound, frame)

    def _may_limit(self, ref: m.ColumnRef, block: m.Block) -> bool:
        """A correlated subquery filters its own rows, not those of the query around it; an
        EXISTS or IN flattened into that query does both."""
        return not ref.outer or id(block) in self.semi_joined

    def _equality(self, left: m.ColumnRef, right: m.ColumnRef, receivers: set[int] | None, block: m.Block, frame: _Frame) -> None:
        for source_ref, target_ref in ((left, right), (right, left)):
            if _allowed(target_ref, receivers) and self._may_limit(target_ref, block):
                for source in self._targets(source_ref, frame, direct_only=True):
                    for target in self._targets(target_ref, frame, direct_only=True):
                        self.edges.append((source, target))

    def _disjunction(self, branches: list[exp.Expression], refs: dict[int, m.ColumnRef], receivers: set[int] | None,
                     block: m.Block, frame: _Frame) -> None:
        """An OR limits a table only if every branch limits it: (0 = @year OR s.endYear = @year)
        reads every year when @year is 0."""
        common: dict[int, tuple[_Node, set[str]]] | None = None
        for branch in branches:
            limited: dict[int, tuple[_Node, set[str]]] = {}
            for part in conjuncts(branch):
                parsed = comparison(part)
                if parsed is None or parsed.operator == "in query":
                    continue
                for subject, values, bound in parsed.sides():
                    ref = _one_relation(_column_refs(subject, refs))
                    if ref is None or any(_column_refs(value, refs) for value in values):
                        continue
                    if not _allowed(ref, receivers) or not self._may_limit(ref, block):
                        continue
                    for node, column in self._targets(ref, frame):
                        kind = _kind_of(node, column, bound)
                        if kind:
                            limited.setdefault(id(node), (node, set()))[1].add(kind)
            if common is None:
                common = limited
            else:
                common = {key: (node, kinds | limited[key][1]) for key, (node, kinds) in common.items() if key in limited}
        for node, kinds in (common or {}).values():
            node.kinds |= kinds

    def _limit(self, ref: m.ColumnRef, bound: str | None, frame: _Frame) -> None:
        for node, column in self._targets(ref, frame):
            if node.opaque:
                self.pushed.setdefault(id(node), set()).add(column)
            kind = _kind_of(node, column, bound)
            if kind:
                node.kinds.add(kind)

    # -- columns to table instances -----------------------------------------------------------
    def _targets(self, ref: m.ColumnRef, frame: _Frame, direct_only: bool = False) -> list[_Target]:
        binding = frame.binding(ref.relation)
        return self._binding_targets(binding, ref.name, direct_only) if binding is not None else []

    def _binding_targets(self, binding: _Binding, column: str, direct_only: bool) -> list[_Target]:
        if binding.node is not None:
            return [(binding.node, column.lower())]
        # A UNION's columns are named by its first branch and matched by position in the others.
        first = binding.branches[0][0]
        names = [p.name.lower() for p in first.projections]
        position = names.index(column.lower()) if column.lower() in names else None
        found: list[_Target] = []
        for at, (block, frame) in enumerate(binding.branches):
            projection = _projection(block, column, position if at else None)
            if projection is not None:
                found.extend(self._projection_targets(projection, column, frame, direct_only))
        return found

    def _projection_targets(self, projection: m.Projection, column: str, frame: _Frame, direct_only: bool) -> list[_Target]:
        if projection.star_of is not None:
            for relation in projection.star_of:
                if column.lower() in {c.lower() for c in relation.output_columns or []}:
                    return self._targets(m.ColumnRef(projection.node, column, relation), frame, direct_only)
            return []
        expression = projection.node.unalias() if isinstance(projection.node, exp.Alias) else projection.node
        if direct_only and not isinstance(expression, exp.Column):
            return []
        return [target for ref in projection.columns for target in self._targets(ref, frame, direct_only)]

    # -- solving -------------------------------------------------------------------------------
    def finish(self) -> None:
        for node, blocks, via in self.opaque:
            child = _Solve(self.catalog)
            pushed = self.pushed.get(id(node), set())
            for block in blocks:
                frame = _Frame()
                child.add_block(block, via, frame)
                branch = _Binding(branches=[(block, frame)])
                for column in pushed & _pushable(block):
                    for inner_node, inner_column in child._binding_targets(branch, column, direct_only=True):
                        kind = _kind_of(inner_node, inner_column)
                        if kind:
                            inner_node.kinds.add(kind)
            child.finish()
            if any(n.kinds for n in child.all_nodes() if not n.opaque):
                node.kinds.add(_FILTERED)
            self.children.append(child)
        self._propagate()
        for blocks, via, frame in self.later:
            child = _Solve(self.catalog)
            for block in blocks:
                child.add_block(block, via, _Frame(frame))
            child.finish()
            self.children.append(child)

    def _propagate(self) -> None:
        """Spread limits along the joins until nothing changes. An equality join limits the
        joined column's values whatever the column; it limits the rows read from the other
        table only through a column that carries scope."""
        changed = True
        while changed:
            changed = False
            for (source, source_column), (target, column) in self.edges:
                limits = source.limits(source_column)
                if not limits or target is source:
                    continue
                known = target.values.setdefault(column, set())
                if not limits <= known:
                    known |= limits
                    changed = True
                carried = set() if target.opaque else self._carried(target, column, limits)
                if not carried <= target.kinds:
                    target.kinds |= carried
                    changed = True
            for source, (target, column), bound in self.ranges:
                if source.kinds and target is not source and not target.opaque:
                    kind = _kind_of(target, column, bound)
                    if kind == "date" and kind not in target.kinds:
                        target.kinds.add(kind)
                        changed = True

    def _carried(self, target: _Node, column: str, limits: set[str]) -> set[str]:
        """The limits a join on `column` passes to the target: the source's own (a Calendar
        limited to one school limits Attendance to that school, not to a year)."""
        table = target.table
        if table is None:
            return set(limits) if column in self.catalog.scope_join_keys else set()
        if self.catalog.carries_scope(table, column) or table.unique_on(column):
            return set(limits)  # a unique key: at most one row for each row it is joined to
        if table.scope_kind(column) == "person" and "person" in limits:
            return {"person"}
        return set()

    def all_nodes(self) -> list[_Node]:
        found = list(self.nodes)
        for child in self.children:
            found.extend(child.all_nodes())
        return found


def _projection(block: m.Block, column: str, position: int | None) -> m.Projection | None:
    if position is not None and position < len(block.projections) and not any(p.star_of for p in block.projections):
        return block.projections[position]
    lower = column.lower()
    for projection in block.projections:
        if projection.name.lower() == lower:
            return projection
        if projection.star_of is not None and any(lower in {c.lower() for c in r.output_columns or []} for r in projection.star_of):
            return projection
    return None


def _kind_of(node: _Node, column: str, bound: str | None = None) -> str | None:
    """What a filter on the column limits the node to. Only a lower bound limits a year or a
    date to part of the history: date <= GETDATE() keeps every past year."""
    if node.table is None:
        return None if node.opaque else _FILTERED
    kind = node.table.scope_kind(column)
    if bound == "upper" and kind in _OPEN_ENDED:
        return None
    return kind


def _receivers(predicate: m.Predicate) -> set[int] | None:
    """The relations an ON condition may limit: only the inner side of an outer join."""
    relation = predicate.on
    if relation is None or relation.join in (m.INNER, m.CROSS, m.FROM, m.CROSS_APPLY):
        return None
    if relation.join in (m.LEFT, m.OUTER_APPLY):
        return {id(relation)}
    if relation.join == m.RIGHT:
        return {id(r) for r in relation.block.relations if r is not relation}
    return set()


def _allowed(ref: m.ColumnRef, receivers: set[int] | None) -> bool:
    return receivers is None or id(ref.relation) in receivers


def _pushable(block: m.Block) -> set[str]:
    if block.top:
        return set()
    if block.grouped:
        return block.group_columns
    return block.partition_columns


def _column_refs(node: exp.Expression, refs: dict[int, m.ColumnRef]) -> list[m.ColumnRef]:
    """The condition's columns that lie inside `node` (found by walking up from each column:
    a condition has few columns and they sit shallow)."""
    found = []
    for ref in refs.values():
        current = ref.node
        while current is not None and current is not node:
            current = current.parent
        if current is node:
            found.append(ref)
    return found


def _refs_of(block: m.Block) -> dict[int, m.ColumnRef]:
    return {id(ref.node): ref for predicate in block.predicates for ref in predicate.columns}


def _one_relation(refs: list[m.ColumnRef]) -> m.ColumnRef | None:
    """The first column, when all of them come from one known relation."""
    if not refs or refs[0].relation is None or any(ref.relation is not refs[0].relation for ref in refs):
        return None
    return refs[0]

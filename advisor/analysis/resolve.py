"""Statement tree to blocks: every SELECT with its relations (resolved against the catalog, the
script's temp tables and its CTEs), the columns it reads from each, its conditions and its
subqueries. View definitions are resolved the same way, by views.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.counting import counting
from advisor.analysis.predicates import COMPARISONS, conjuncts, never_true
from advisor.analysis.reruns import reruns
from advisor.analysis.script import ScriptState
from advisor.analysis.written import identifier_name
from advisor.catalog.model import Catalog
from advisor.frontend.positions import find_words, node_bounds, text_bounds
from advisor.span import LineIndex, Span

if TYPE_CHECKING:
    from advisor.analysis.views import ViewLibrary

# Stop walking an expression at these: they hold a query of their own.
_QUERY_NODES = (exp.Select, exp.SetOperation, exp.Subquery)
# A chain of CTEs that each read the one before is followed this many deep: each later stage
# follows them by recursion, and a generated chain of hundreds would exhaust Python's stack. No
# district query comes near it.
DEEPEST_CTES = 50


@dataclass
class _Cte:
    """A WITH query in scope, resolved once and shared by every reference to it."""

    name: str
    node: exp.CTE
    blocks: list[m.Block] = field(default_factory=list)
    building: bool = True  # a CTE that refers to itself (recursive) is not expanded again
    depth: int = 1  # 1, and one more for each CTE in the longest chain of those it reads


class Resolver:
    """Resolves the queries of one text: the user's file, or one view definition."""

    def __init__(self, catalog: Catalog, views: ViewLibrary, state: ScriptState, lines: LineIndex | None):
        self.catalog = catalog
        self.views = views
        self.state = state
        self.lines = lines  # None for a view definition: its positions are not the user's
        self.blocks: list[m.Block] = []
        self.roots: list[m.Block] = []  # the statement's own queries, not those nested in them
        self.options: list[exp.QueryOption] = []  # OPTION (...) hints met on the way
        self._recursive: list[m.Relation] = []  # recursive CTEs' references to themselves
        self._refs: dict[int, m.ColumnRef] = {}
        # each block (held, so that its id is not reused), its relations by lower-case alias, the first
        # of each, and how many of them were read
        self._aliases: dict[int, tuple[m.Block, int, dict[str, m.Relation]]] = {}
        self._chains: list[int] = []  # for each CTE being resolved, the deepest CTE it reads so far

    # -- entry points -----------------------------------------------------------------------
    def statement_blocks(self, tree: exp.Expression, cursor_row: str | None = None) -> list[m.Block]:
        """The blocks of every query in a statement: its SELECT, the query of an INSERT, the
        reading part of an UPDATE or DELETE, subqueries in a DECLARE or SET or IF. `cursor_row`:
        the cursor an UPDATE or DELETE ... WHERE CURRENT OF names, whose one row it changes."""
        self.blocks, self.roots, self.options, self._refs, self._recursive, self._chains = [], [], [], {}, [], []
        self._aliases = {}
        self._queries_in(tree, None, {})
        recursions = _most_recursions(self.options)
        for relation in self._recursive:
            relation.recursions = recursions
        target = _target(tree) if isinstance(tree, (exp.Update, exp.Delete)) else None
        if target is not None and self.roots:
            for relation in self.roots[0].relations:
                if relation.node is target or relation.alias.lower() == target.alias_or_name.lower():
                    relation.changed, relation.cursor_row = True, cursor_row
        return self.blocks

    def query_blocks(self, node: exp.Expression, parent: m.Block | None, ctes: dict[str, _Cte]) -> list[m.Block]:
        """The branches of a query: one block for a SELECT, one per arm of a UNION."""
        if isinstance(node, exp.Subquery):
            return self.query_blocks(node.this, parent, ctes)
        self.options.extend(node.args.get("options") or [])
        ctes = self._with_ctes(node, parent, ctes)
        if isinstance(node, exp.SetOperation):
            return [block for branch in _branches(node) for block in self.query_blocks(branch, parent, ctes)]
        if isinstance(node, exp.Select):
            return [self._select(node, parent, ctes)]
        return []

    def _queries_in(self, tree: exp.Expression, parent: m.Block | None, ctes: dict[str, _Cte]) -> None:
        """The queries in a statement, in the order they are written. A plain stack: a value
        joined from thousands of strings (SET @sql = 'a' + 'b' + ...) nests as deep as it is long."""
        stack = [(tree, ctes)]
        while stack:
            node, ctes = stack.pop()
            if isinstance(node, (exp.Select, exp.SetOperation, exp.Subquery)):
                self.roots.extend(self.query_blocks(node, parent, ctes))
            elif isinstance(node, (exp.Update, exp.Delete)):
                self.roots.append(self._modification(node, ctes))
            elif isinstance(node, exp.Merge):
                self.roots.append(self._merge(node, ctes))
            else:
                ctes = self._with_ctes(node, parent, ctes)
                stack.extend((child, ctes) for child in reversed(list(node.iter_expressions())))

    # -- blocks ------------------------------------------------------------------------------
    def _with_ctes(self, node: exp.Expression, parent: m.Block | None, ctes: dict[str, _Cte]) -> dict[str, _Cte]:
        with_ = node.args.get("with_")
        if not isinstance(with_, exp.With):
            return ctes
        ctes = dict(ctes)
        for cte_node in with_.expressions:
            cte = _Cte(cte_node.alias, cte_node)
            ctes[cte.name.lower()] = cte
            self._chains.append(0)
            cte.blocks = self.query_blocks(cte_node.this, parent, ctes)
            cte.depth += self._chains.pop()
            cte.building = False
            for reference in _anchor_self_references(cte):
                reference.counted = counting(reference, self.state.constants)
                self._recursive.append(reference)
        return ctes

    def _new_block(self, node: exp.Expression, parent: m.Block | None) -> m.Block:
        user_text = self.lines is not None
        block = m.Block(node=node, in_user_text=user_text, parent=parent,
                        constants=self.state.constants if user_text else {})
        self.blocks.append(block)
        return block

    def _select(self, select: exp.Select, parent: m.Block | None, ctes: dict[str, _Cte]) -> m.Block:
        block = self._new_block(select, parent)
        self._from_items(block, select, ctes)
        block.distinct = bool(select.args.get("distinct"))
        block.top = select.args.get("limit") is not None
        where = select.args.get("where")
        block.empty = 0 in (block.top_rows, block.top_percent) or (where is not None and never_true(where.this))
        own = self._projections(block, select, ctes)
        group = select.args.get("group")
        block.grouped = group is not None or select.args.get("having") is not None or any(
            isinstance(node, exp.AggFunc) and window_of(node) is None for node in own
        )
        if group is not None:
            block.group_columns = {_output_name(node).lower() for node in group.expressions}
            block.group_all = bool(group.args.get("all"))
        partitions = [
            {c.name.lower() for c in window.args.get("partition_by") or [] if isinstance(c, exp.Column)}
            for window in own
            if isinstance(window, exp.Window)
        ]
        if partitions:
            # Only a filter on a column every window partitions by can be applied first.
            block.windowed = True
            block.partition_columns = set.intersection(*partitions)
        self._returned_items(block, select.args.get("order"))
        for clause in ("group", "order", "qualify"):
            own_of_clause = self._expression(block, select.args.get(clause), "other", ctes)
            if clause == "order":
                block.ordered_by = [self._refs[id(c)] for c in own_of_clause
                                    if isinstance(c, exp.Column) and id(c) in self._refs]
        if group is not None:
            block.group_by = [self._refs.get(id(node)) for node in group.expressions]
        self._conditions(block, select.args.get("where"), "where", None, ctes)
        self._conditions(block, select.args.get("having"), "having", None, ctes)
        _left_joins_made_inner(block)
        return block

    def _returned_items(self, block: m.Block, order: exp.Order | None) -> None:
        """ORDER BY teacher, where the SELECT list returns one item named teacher, sorts by that
        item, whatever column of that name a table has: the column it returns as it is, or none
        (an expression's alias). Inside an expression (teacher + 1) the name is a table's again."""
        returned: dict[str, list[m.Projection]] = {}
        for projection in block.projections:
            returned.setdefault(projection.name.lower(), []).append(projection)
        for item in order.expressions if order is not None else []:
            column = item.this if isinstance(item, exp.Ordered) else item
            if not isinstance(column, exp.Column) or qualifier(column) or len(returned.get(column.name.lower(), [])) != 1:
                continue
            plain = returned[column.name.lower()][0].plain
            self._refs[id(column)] = (m.ColumnRef(column, plain.name, plain.relation, plain.outer) if plain is not None
                                      else m.ColumnRef(column, column.name, None))

    def _modification(self, node: exp.Update | exp.Delete, ctes: dict[str, _Cte]) -> m.Block:
        """UPDATE and DELETE read their target and FROM clause like a SELECT does."""
        ctes = self._with_ctes(node, None, ctes)
        block = self._new_block(node, None)
        self._from_items(block, node, ctes)
        for part in node.expressions if isinstance(node, exp.Update) else []:
            own = self._expression(block, part, "select", ctes)
            block.set_columns += [self._refs[id(c)] for c in own if isinstance(c, exp.Column) and id(c) in self._refs]
        self._conditions(block, node.args.get("where"), "where", None, ctes)
        _left_joins_made_inner(block)
        return block

    def _merge(self, node: exp.Merge, ctes: dict[str, _Cte]) -> m.Block:
        """MERGE reads its source (USING) joined to its target on its ON condition: each source
        row and the target rows it matches, and every target row where those no source row matches
        are changed too (WHEN NOT MATCHED BY SOURCE). Its WHEN conditions pick what each matched row
        gets, not which rows are read; its INSERT column list and OUTPUT name the target's columns
        and the rows changed, which are not read."""
        ctes = self._with_ctes(node, None, ctes)
        block = self._new_block(node, None)
        whens = [when for when in (node.args.get("whens") or exp.Whens()).expressions if isinstance(when, exp.When)]
        if any(when.args.get("source") for when in whens):
            kind = m.FULL
        else:
            kind = m.LEFT if any(not when.args.get("matched") for when in whens) else m.INNER
        on = _expression_in(node, "on")
        # ON 1 = 0, which no row meets: every source row is inserted, and the target is not read
        read = [(_expression_in(node, "using"), m.FROM)] + ([(node.this, kind)] if on is None or on.find(exp.Column) else [])
        for item, join in read:
            relation = self._relation(block, item, join, ctes) if isinstance(item, exp.Expression) else None
            if relation is not None:
                block.relations.append(relation)
        target = block.relations[-1] if block.relations and block.relations[-1].node is node.this else None
        if target is not None:
            target.changed = True
        self._conditions(block, on, "on", target, ctes)
        for when in whens:
            self._expression(block, _expression_in(when, "condition"), "select", ctes)
            then = when.args.get("then")
            if isinstance(then, exp.Update):
                for part in then.expressions:
                    self._expression(block, part.expression if isinstance(part, exp.EQ) else part, "select", ctes)
            elif isinstance(then, exp.Insert):
                self._expression(block, _expression_in(then, "expression"), "select", ctes)
        return block

    def _from_items(self, block: m.Block, node: exp.Expression, ctes: dict[str, _Cte]) -> None:
        items: list[tuple[exp.Expression, str, exp.Join | None, exp.Expression | None]] = []
        target = _target(node) if isinstance(node, (exp.Update, exp.Delete)) else None
        from_ = node.args.get("from_")
        first = from_.this if from_ is not None else target
        if first is not None:
            items.extend(_joined(first, m.FROM, None))
        for join in node.args.get("joins") or []:
            items.extend(_joined(join.this, _join_kind(join), join))
        if target is not None and from_ is not None:
            # UPDATE a SET ... FROM t a: the target is an alias of a FROM item, not another read.
            aliases = {item.alias_or_name.lower() for item, *_ in items if isinstance(item, exp.Table)}
            if target.name.lower() not in aliases:
                items.append((target, m.INNER, None, None))
        relations = []
        for item, kind, _, _ in items:
            # One at a time: an APPLY sees the relations before it.
            relations.append(self._relation(block, item, kind, ctes))
            if relations[-1] is not None:
                block.relations.append(relations[-1])
        by_item = {id(item): relation for (item, *_), relation in zip(items, relations)}
        for (item, _, join, head), relation in zip(items, relations):
            if relation is not None and head is not None:
                relation.unit = by_item.get(id(head))
            if join is None:
                continue
            hint = join.args.get("hint")
            if relation is not None and hint:
                relation.hints.append(m.Hint(f"{hint.upper()} JOIN", f"{hint} JOIN", self._locate(join.this, hint, before=True)))
            self._conditions(block, join.args.get("on"), "on", relation, ctes)
            for using in join.args.get("using") or []:
                self._expression(block, using, "on", ctes)

    # -- relations ---------------------------------------------------------------------------
    def _relation(self, block: m.Block, node: exp.Expression, join: str, ctes: dict[str, _Cte]) -> m.Relation | None:
        if isinstance(node, exp.Lateral):
            apply = m.CROSS_APPLY if node.args.get("cross_apply") else m.OUTER_APPLY
            inner = node.this
            alias = node.alias or "apply"
            if isinstance(inner, exp.Subquery):
                relation = self._make(block, alias, alias, m.DERIVED, node, apply)
                _reads(relation, self.query_blocks(inner, block, ctes))
                relation.declared_columns = _listed_names(node)
                return relation
            given = self._expression(block, inner, "on", ctes)
            relation = self._make(block, alias, _function_name(inner), m.FUNCTION, node, apply)
            relation.arguments = [self._refs[id(c)] for c in given if isinstance(c, exp.Column) and id(c) in self._refs]
            return relation
        if isinstance(node, exp.Subquery):
            alias = _pivoted_as(node) or node.alias or "derived"
            relation = self._make(block, alias, alias, m.DERIVED, node, join)
            _reads(relation, self.query_blocks(node.this, block.parent, ctes))
            relation.declared_columns = None if node.args.get("pivots") else _listed_names(node)
            _pivot(relation)
            return relation
        if isinstance(node, exp.Values):
            alias = node.alias or "values"
            return self._make(block, alias, alias, m.VALUES, node, join)
        if not isinstance(node, exp.Table):
            return None
        return self._table(block, node, join, ctes)

    def _as_made(self, relation: m.Relation, name: str) -> None:
        """A table the script makes: its columns and keys as it declares them."""
        relation.declared_columns = self.state.columns(name)
        relation.declared_keys = self.state.keys(name)
        relation.made = self.state.made_as(name)
        relation.filled_by = self.state.fill(name)

    def _table(self, block: m.Block, node: exp.Table, join: str, ctes: dict[str, _Cte]) -> m.Relation:
        this = node.this
        if isinstance(this, (exp.Anonymous, exp.Func)):
            self._expression(block, this, "on", ctes)
            name = _function_name(this)
            return self._make(block, node.alias or name, name, m.FUNCTION, node, join)
        if isinstance(this, exp.Parameter):
            name = "@" + this.name
            relation = self._make(block, node.alias or name, name, m.TABLE_VARIABLE, node, join)
            self._as_made(relation, name)
            return relation
        name = this.expression.name if isinstance(this, exp.Dot) else node.name
        given = _pivoted_as(node) or node.alias
        alias = given or name
        if isinstance(this, exp.Identifier) and (this.args.get("temporary") or this.args.get("global_")):
            name = identifier_name(this)
            relation = self._make(block, given or name, name, m.TEMP, node, join)
            self._as_made(relation, name)
        elif not node.db and name.lower() in ctes:
            cte = ctes[name.lower()]
            relation = self._make(block, alias, cte.name, m.CTE, node, join)
            relation.declared_columns = _listed_names(cte.node)
            if not cte.building and cte.depth > DEEPEST_CTES:
                relation.unexpanded = f"a chain of more than {DEEPEST_CTES} CTEs, each reading the one before"
            elif not cte.building:
                _reads(relation, cte.blocks)
                if self._chains:
                    self._chains[-1] = max(self._chains[-1], cte.depth)
        elif (view := self.state.view(name) or self.catalog.view(name)) is not None:
            relation = self._make(block, alias, name, m.VIEW, node, join)
            relation.view = view
            relation.inner, relation.unexpanded = self.views.expand(view)
            relation.declared_columns = self.views.listed_columns(view)
            relation.hints.extend(self._table_hints(node))
            if view.indexed and any(hint.name == "NOEXPAND" for hint in relation.hints):
                relation.table = self.views.materialized(view)
            return relation
        elif (table := self.catalog.table(name)) is not None:
            relation = self._make(block, alias, name, m.TABLE, node, join)
            relation.table = table
        elif self.state.made(name):  # CREATE TABLE dbo.Staging earlier in the script: like a temp table
            relation = self._make(block, alias, name, m.TEMP, node, join)
            self._as_made(relation, name)
        else:
            relation = self._make(block, alias, name, m.UNKNOWN, node, join)
        relation.hints.extend(self._table_hints(node))
        _pivot(relation)
        return relation

    def _make(self, block: m.Block, alias: str, name: str, kind: str, node: exp.Expression, join: str) -> m.Relation:
        span = self.span(node.this if isinstance(node, exp.Table) else node)
        return m.Relation(alias=alias, name=name, kind=kind, node=node, block=block, span=span, join=join)

    def _table_hints(self, node: exp.Table) -> Iterator[m.Hint]:
        for group in node.args.get("hints") or []:
            if not isinstance(group, exp.WithTableHint):
                continue
            for hint in group.expressions:
                name = hint.name.upper()
                text = hint.sql("tsql") if hint.expressions else name  # INDEX(ix) keeps its arguments
                yield m.Hint(name, text, self._locate(node, name), tuple(argument.name for argument in hint.expressions))

    # -- columns, conditions, projections ----------------------------------------------------
    def _expression(self, block: m.Block, node: exp.Expression | None, clause: str, ctes: dict[str, _Cte],
                    joined: m.Relation | None = None) -> list[exp.Expression]:
        """Resolve the columns of an expression of `block` and build its subqueries; returns the
        expression's own nodes (not those of its subqueries). In the ON clause of `joined`, a name
        written without its table is one of the tables joined up to it."""
        own: list[exp.Expression] = []
        if node is None:
            return own
        for child in own_nodes(node, include_boundaries=True):
            if isinstance(child, _QUERY_NODES) and child is not node:
                # a SELECT list item that is a subquery itself, (SELECT ...) with no alias, is its holder
                held = isinstance(child.parent, (exp.Exists, exp.In)) or child.parent is node and isinstance(node, exp.Subquery)
                holder = child.parent if held else child
                blocks = self.query_blocks(child, block, ctes)
                runs = reruns(holder) if isinstance(holder, exp.Subquery) else None
                block.subqueries.append(m.Subquery(blocks, holder, clause, correlated(blocks, block), runs[0] if runs else 1))
                continue
            if isinstance(child, exp.Column) and not isinstance(child.this, exp.Star):
                self.column(block, child, joined)
            own.append(child)
        return own

    def column(self, block: m.Block, node: exp.Column, joined: m.Relation | None = None) -> m.ColumnRef:
        ref = self._refs.get(id(node))
        if ref is None:
            ref = self._refs[id(node)] = _resolve(block, node, self._by_alias, joined)
            if ref.relation is not None:
                ref.relation.columns.add(ref.name.lower())
        return ref

    def _by_alias(self, block: m.Block, alias: str) -> m.Relation | None:
        """The block's first relation of this alias, in any case: looked up, as the columns of
        hundreds of joined tables would each read all of them. Relations are only ever added."""
        _, read, found = self._aliases.get(id(block), (block, 0, {}))
        if read != len(block.relations):
            for relation in block.relations[read:]:
                found.setdefault(relation.alias.lower(), relation)
            self._aliases[id(block)] = (block, len(block.relations), found)
        return found.get(alias.lower())

    def _conditions(self, block: m.Block, clause_node: exp.Expression | None, clause: str, on: m.Relation | None,
                    ctes: dict[str, _Cte]) -> None:
        if clause_node is None:
            return
        condition = clause_node.this if isinstance(clause_node, (exp.Where, exp.Having)) else clause_node
        for conjunct in conjuncts(condition):
            own = self._expression(block, conjunct, clause, ctes, on)
            columns = [self._refs[id(c)] for c in own if isinstance(c, exp.Column) and id(c) in self._refs]
            on_groups = ((clause == "having" and any(isinstance(node, exp.AggFunc) for node in own))
                         or (clause == "where" and block.group_all))
            predicate = m.Predicate(conjunct, clause, on, columns, on_groups)
            block.predicates.append(predicate)
            if not on_groups and isinstance(conjunct, exp.EQ) and isinstance(conjunct.this, exp.Column) and isinstance(conjunct.expression, exp.Column):
                left, right = self._refs.get(id(conjunct.this)), self._refs.get(id(conjunct.expression))
                if left and right and left.relation and right.relation and left.relation is not right.relation:
                    if not (left.outer or right.outer):
                        block.join_keys.append(m.JoinKey(left, right, predicate))

    def _projections(self, block: m.Block, select: exp.Select, ctes: dict[str, _Cte]) -> list[exp.Expression]:
        """The SELECT list, resolved; returns all its own nodes."""
        own: list[exp.Expression] = []
        for at, node in enumerate(select.expressions):
            if isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star)):
                named = qualifier(node).lower() if isinstance(node, exp.Column) else None
                relations = [r for r in block.relations if named is None or r.alias.lower() == named]
                projection = m.Projection("*", node, [], star_of=relations, span=self._star_span(block, select, at))
            else:
                nodes = self._expression(block, node, "select", ctes)
                own.extend(nodes)
                columns = [self._refs[id(c)] for c in nodes if isinstance(c, exp.Column) and id(c) in self._refs]
                projection = m.Projection(_output_name(node), node, columns)
            block.projections.append(projection)
        return own

    def _star_span(self, block: m.Block, select: exp.Select, at: int) -> Span | None:
        """sqlglot keeps no position for *: find it before whatever follows it."""
        if self.lines is None:
            return None
        qualifier = node_bounds(select.expressions[at])
        if qualifier is not None:  # s.*: the alias has a position
            match = re.compile(r"\s*\.\s*\*").match(self.lines.text, qualifier[1])
            return self.lines.span(qualifier[0], match.end() if match else qualifier[1])
        following = [node_bounds(n) for n in select.expressions[at + 1 :]] + [r.span and (r.span.start, r.span.end) for r in block.relations]
        limit = next((bounds[0] for bounds in following if bounds), None)
        if limit is None:
            return None
        star = self.lines.text.rfind("*", max(limit - 5000, 0), limit)
        return self.lines.span(star, star + 1) if star >= 0 else None

    # -- positions ---------------------------------------------------------------------------
    def span(self, node: exp.Expression) -> Span | None:
        if self.lines is None:
            return None
        bounds = text_bounds(node, self.lines.text)
        return self.lines.span(*bounds) if bounds else None

    def _locate(self, node: exp.Expression, word: str, before: bool = False) -> Span | None:
        """Where `word` is written just after `node` (or just before it): sqlglot keeps no
        positions for hints."""
        bounds = node_bounds(node) if self.lines is not None else None
        if bounds is None:
            return None
        if before:
            return find_words(self.lines, word, max(bounds[0] - 200, 0), bounds[0], last=True)
        return find_words(self.lines, word, bounds[0], bounds[0] + 2000)


# -- helpers shared with the other analysis modules ------------------------------------------------
def _branches(node: exp.SetOperation) -> list[exp.Expression]:
    """The arms of a UNION / EXCEPT / INTERSECT chain, in order; a nested one with its own
    WITH clause stays whole."""
    found: list[exp.Expression] = []
    stack: list[exp.Expression] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, exp.SetOperation) and (current is node or not current.args.get("with_")):
            stack.extend((current.expression, current.this))
        else:
            found.append(current)
    return found


def _pivoted_as(node: exp.Expression) -> str | None:
    """The name a PIVOT or UNPIVOT gives its result: after FROM (...) src PIVOT (...) pvt the query
    reads pvt, and src is no longer in scope."""
    pivots = node.args.get("pivots") or []
    return pivots[-1].alias or None if pivots else None


def _pivot(relation: m.Relation) -> None:
    """The columns a PIVOT (one per value of its IN list: [9], [10]) or UNPIVOT (its value and its
    FOR column) adds to what the relation offers, and those a PIVOT groups its rows by."""
    pivots = relation.node.args.get("pivots") or []
    for pivot in pivots:
        fields = [f for f in pivot.args.get("fields") or [] if isinstance(f, exp.In)]
        if pivot.args.get("unpivot"):
            relation.pivoted += [e.name for e in pivot.expressions] + [f.this.name for f in fields]
            relation.unpivoted += sum(len(f.expressions) for f in fields)
        else:
            relation.pivoted += [value.name for f in fields for value in f.expressions]
    if len(pivots) != 1 or pivots[0].args.get("unpivot"):
        return
    offered = relation.output_columns
    if offered is not None:
        pivot = pivots[0]
        used = {column.name.lower() for part in [*pivot.expressions, *(pivot.args.get("fields") or [])]
                for column in (part.this.find_all(exp.Column) if isinstance(part, exp.In) else part.find_all(exp.Column))}
        relation.pivot_groups = [name.lower() for name in offered[:len(offered) - len(relation.pivoted)] if name.lower() not in used]


def _left_joins_made_inner(block: m.Block) -> None:
    """Each LEFT JOIN whose table the WHERE compares (c.endYear = 2026, DATEDIFF(day, u.lastLogin,
    GETDATE()) > 90), which no row the join found nothing for passes: its columns are NULL there,
    and so is the comparison. SQL Server runs it as an inner join. So it does where an inner join's
    ON compares the table (LEFT JOIN Roster r ... JOIN Section se ON se.sectionID = r.sectionID), and
    the ON of a LEFT JOIN made inner, down the chain of joins."""
    if not any(relation.join == m.LEFT for relation in block.relations):
        return  # most blocks: no condition to walk
    for predicate in block.predicates:
        if predicate.clause == "where" and not predicate.on_groups:
            _make_inner(predicate, None)
    marked = True
    while marked:
        marked = False
        for predicate in block.predicates:
            joined = predicate.on
            if (predicate.clause == "on" and joined is not None and joined.unit is None
                    and (joined.join == m.INNER or joined.made_inner_by is not None)):
                marked = _make_inner(predicate, joined) or marked


def _make_inner(predicate: m.Predicate, joined: m.Relation | None) -> bool:
    """Marks the LEFT JOINs other than `joined` whose rows that found nothing the condition drops;
    whether it marked one. The condition's parts are looked at only where it names such a join's
    column: each pass down a chain of joins asks again of every ON."""
    candidates = [ref for ref in predicate.columns if ref.relation is not None and ref.relation is not joined
                  and ref.relation.join == m.LEFT and ref.relation.made_inner_by is None and not ref.outer]
    if not candidates:
        return False
    nulled = {id(n) for side in _never_true_for_null(predicate.node) if null_with_its_columns(side)
              for n in side.walk() if isinstance(n, exp.Column)}
    marked = False
    for ref in candidates:
        if ref.relation.made_inner_by is None and id(ref.node) in nulled:
            ref.relation.made_inner_by = predicate
            marked = True
    return marked


def _never_true_for_null(node: exp.Expression) -> list[exp.Expression]:
    """What a condition is not true for where it is NULL: the operands of a comparison (and of
    NOT one: NOT of unknown is unknown), or x of x IS NOT NULL."""
    node = node.unnest()
    if isinstance(node, exp.Not):
        node = node.this.unnest()
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            return [node.this.unnest()]
    if not isinstance(node, COMPARISONS):
        return []
    return [value.unnest() for key, value in node.args.items() if key != "expressions" and isinstance(value, exp.Expression)]


# These are NULL wherever any of their parts is: a column, or arithmetic, a conversion or a text
# or date function over it. ISNULL, COALESCE, CASE and CONCAT are not: they can make a value of NULL.
_NULL_IN_NULL_OUT = (
    exp.Column, exp.Literal, exp.Parameter, exp.Var, exp.DataType, exp.Paren, exp.Neg, exp.Add, exp.Sub, exp.Mul, exp.Div,
    exp.Mod, exp.Cast, exp.Convert, exp.DateDiff, exp.DateAdd, exp.Extract, exp.Year, exp.Month, exp.Day, exp.LastDay,
    exp.TsOrDsToDate, exp.TimeStrToTime, exp.CurrentTimestamp, exp.Upper, exp.Lower, exp.Trim, exp.Left, exp.Right,
    exp.Substring, exp.Length, exp.Replace, exp.StrPosition, exp.Abs, exp.Round, exp.Floor, exp.Ceil,
)


def null_with_its_columns(node: exp.Expression) -> bool:
    """Whether a value is NULL wherever any column in it is."""
    return all(isinstance(n, _NULL_IN_NULL_OUT) for n in node.walk(prune=lambda n: isinstance(n, (exp.Column, exp.DataType))))


def window_of(function: exp.Func) -> exp.Window | None:
    """The window a function is computed over, if it is a window's (SUM(x) OVER (...),
    LAST_VALUE(x) IGNORE NULLS OVER (...), PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) OVER
    (...)): an aggregate that leaves the rows ungrouped."""
    parent = function.parent
    if isinstance(parent, (exp.IgnoreNulls, exp.RespectNulls, exp.WithinGroup)):
        parent = parent.parent
    return parent if isinstance(parent, exp.Window) else None


def _listed_names(node: exp.Expression) -> list[str] | None:
    """The names a derived table's or CTE's alias gives its columns, (SELECT ...) d (x, y), if any."""
    alias = node.args.get("alias")
    listed = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
    return [name.name for name in listed] if listed else None


def _reads(relation: m.Relation, blocks: list[m.Block]) -> None:
    """A derived table or a CTE's reference reads the rows of these blocks, its query's."""
    relation.inner = blocks
    for block in blocks:
        block.readers.append(relation)


def own_nodes(node: exp.Expression, include_boundaries: bool = False) -> list[exp.Expression]:
    """The nodes of an expression that belong to its own query, not to a subquery inside it; with
    `include_boundaries`, the subqueries' own top nodes too. A plain stack over the arguments: it
    runs for every expression and condition of every statement, and sqlglot's walk() costs twice
    as much."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if current is not node and isinstance(current, _QUERY_NODES):
            if include_boundaries:
                found.append(current)
            continue
        found.append(current)
        for value in current.args.values():
            if isinstance(value, exp.Expression):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, exp.Expression))
    return found


def _resolve(block: m.Block, node: exp.Column, by_alias: Callable[[m.Block, str], m.Relation | None],
             joined: m.Relation | None = None) -> m.ColumnRef:
    name = node.name
    named = qualifier(node)
    current: m.Block | None = block
    while current is not None:
        if named:
            match = by_alias(current, named)
            if match is None and node.db:
                match = next((r for r in current.relations if r.name.lower() == named.lower()), None)
        else:
            having = _having(current, name, joined if current is block else None)
            if len(having) > 1:  # SQL Server looks no further out: it refuses the name (error 209)
                return m.ColumnRef(node, name, None, ambiguous=tuple(having))
            match = having[0] if having else _only_unknown(current, own=current is block)
        if match is not None:
            return m.ColumnRef(node, name, match, outer=current is not block)
        current = current.parent
    return m.ColumnRef(node, name, None)


def qualifier(node: exp.Column) -> str:
    """The table or alias a column names: #d for #d.dt."""
    table = node.args.get("table")
    return identifier_name(table) if isinstance(table, exp.Identifier) else node.table


def _having(block: m.Block, name: str, joined: m.Relation | None = None) -> list[m.Relation]:
    """The block's relations known to have a column of this name. In the ON clause of `joined`,
    which sees the tables joined up to it, one joined later does not make the name ambiguous."""
    having = [r for r in block.relations if r.offers(name)]
    if joined is not None and len(having) > 1 and any(r is joined for r in block.relations):
        upto = next(at for at, r in enumerate(block.relations) if r is joined)
        seen = [r for r in having if next(at for at, o in enumerate(block.relations) if o is r) <= upto]
        having = seen or having
    return having


def _only_unknown(block: m.Block, own: bool) -> m.Relation | None:
    """Of the query's own block, its one relation whose columns are not known: a name none of the
    others has is taken as its."""
    unknown = [r for r in block.relations if r.output_columns is None]
    return unknown[0] if own and len(unknown) == 1 else None


def correlated(blocks: list[m.Block], outer: m.Block) -> bool:
    """Whether the blocks (a subquery's, an APPLY's) read a column of `outer`'s tables or of those around it."""
    outer_relations = set()
    current: m.Block | None = outer
    while current is not None:
        outer_relations.update(id(r) for r in current.relations)
        current = current.parent
    for block in _descendants(blocks):
        for ref in _refs(block):
            if ref.relation is not None and id(ref.relation) in outer_relations:
                return True
    return False


def _descendants(blocks: list[m.Block]) -> Iterator[m.Block]:
    for block in blocks:
        yield block
        for subquery in block.subqueries:
            yield from _descendants(subquery.blocks)
        for relation in block.relations:
            if relation.kind in (m.DERIVED,):
                yield from _descendants(relation.inner)


def _refs(block: m.Block) -> Iterator[m.ColumnRef]:
    for predicate in block.predicates:
        yield from predicate.columns
    for projection in block.projections:
        yield from projection.columns


def _joined(node: exp.Expression, kind: str, join: exp.Join | None, head: exp.Expression | None = None
            ) -> Iterator[tuple[exp.Expression, str, exp.Join | None, exp.Expression | None]]:
    """A FROM item and the tables joined inside it: a JOIN b JOIN c ON ... ON ..., or the same in
    parentheses, which sqlglot keeps as joins of b (in a subquery without a query); each with the
    first item of the group it is joined in (b, for c)."""
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Table) and not node.alias:
        node = node.this
    yield node, kind, join, head
    for inner in node.args.get("joins") or [] if isinstance(node, exp.Table) else []:
        yield from _joined(inner.this, _join_kind(inner), inner, head or node)


def _join_kind(join: exp.Join) -> str:
    side = (join.args.get("side") or "").upper()
    kind = (join.args.get("kind") or "").upper()
    if side in ("LEFT", "RIGHT", "FULL"):
        return {"LEFT": m.LEFT, "RIGHT": m.RIGHT, "FULL": m.FULL}[side]
    if kind == "CROSS":
        return m.CROSS
    if isinstance(join.this, exp.Lateral):
        return m.CROSS_APPLY if join.this.args.get("cross_apply") else m.OUTER_APPLY
    return m.INNER


def _anchor_self_references(cte: _Cte) -> list[m.Relation]:
    """Give a recursive CTE's references to itself the blocks of its anchor, the arms that do not
    refer to it: the rows the recursion starts from, and grows from (one person's relations).
    The references, found."""
    def refers(block: m.Block) -> list[m.Relation]:
        return [r for r in block.relations if r.kind == m.CTE and not r.inner and r.name.lower() == cte.name.lower()]

    anchor = [block for block in cte.blocks if not refers(block)]
    references = [relation for block in cte.blocks for relation in refers(block)]
    for relation in references:
        relation.recursive_anchor = anchor
    return references


def _most_recursions(options: list[exp.QueryOption]) -> int | None:
    """How deep the statement's OPTION (MAXRECURSION n) lets a recursive CTE go: None for 0."""
    for option in options:
        if option.name.upper() == "MAXRECURSION" and isinstance(option.expression, exp.Literal):
            levels = int(option.expression.this) if option.expression.this.isdigit() else m.MOST_RECURSIONS
            return levels or None
    return m.MOST_RECURSIONS


def _function_name(node: exp.Expression | None) -> str:
    if isinstance(node, exp.Dot):
        node = node.expression
    if node is None:  # OUTER APPLY . : sqlglot leaves the name out
        return "function"
    if isinstance(node, exp.Anonymous):
        return node.name
    return node.sql_name() if isinstance(node, exp.Func) else node.sql("tsql")


def _expression_in(node: exp.Expression, part: str) -> exp.Expression | None:
    """A part of a node that is an expression: sqlglot leaves a flag in some parts of a MERGE
    written without them (ON missing, INSERT DEFAULT VALUES)."""
    found = node.args.get(part)
    return found if isinstance(found, exp.Expression) else None


def _output_name(node: exp.Expression) -> str:
    return node.alias_or_name if isinstance(node, (exp.Alias, exp.Column)) else ""


def _target(node: exp.Update | exp.Delete) -> exp.Expression | None:
    """The table an UPDATE or DELETE changes. sqlglot puts DELETE School s's (an alias T-SQL
    allows only with FROM) in its `tables`."""
    if isinstance(node.this, exp.Expression):
        return node.this
    tables = node.args.get("tables") or []
    return tables[0] if tables else None

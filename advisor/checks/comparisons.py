"""The comparisons of a statement's WHERE, ON and HAVING clauses, and what the catalog knows of
the columns on each side: what the predicate rules read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import origins
from advisor.analysis.predicates import COMPARISONS
from advisor.analysis.resolve import own_nodes
from advisor.analysis.views import COMPUTED_TYPE
from advisor.catalog.model import Column, Table
from advisor.checks.sizes import severity_for_rows
from advisor.checks.snippets import as_in_file

ASKED = (*COMPARISONS, exp.Or, exp.Not)  # the kinds of condition node any rule asks `conditions` for


@dataclass(eq=False, slots=True)
class Compared:
    """One node of a WHERE, ON or HAVING condition of a block in the user's text: a comparison,
    for `comparisons`."""

    node: exp.Expression
    block: m.Block
    predicate: m.Predicate


@dataclass(frozen=True, eq=False)
class Known:
    """A column a comparison reads, traced to the catalog table that holds it."""

    ref: m.ColumnRef
    table: Table
    column: Column

    @property
    def label(self) -> str:
        return f"{self.table.name}.{self.column.name}"

    @property
    def keys_before(self) -> list[tuple[str, ...]]:
        """For each index that has it among its keys, the keys that come before it: a seek on it
        needs them fixed first."""
        name = self.column.name.lower()
        found = []
        for index in self.table.indexes:
            keys = [key.lower() for key in index.columns]
            if name in keys:
                found.append(tuple(index.columns[:keys.index(name)]))
        return found


def forget() -> None:
    """Drop what the caches below hold: they keep a file's trees alive, and a heap full of old
    trees makes every later allocation's garbage collection slower. Called once per file, they
    need no bound of their own: the rules that read a whole file ask about its statements in
    turn, and a bound below the file's statement count would walk every statement again for each."""
    for cached in (_condition_nodes, conditions, _refs, known, _fixed):
        cached.cache_clear()


def comparisons(query: m.Query) -> tuple[Compared, ...]:
    return conditions(query, COMPARISONS)


@lru_cache(maxsize=None)  # several rules ask for the same kinds in the same statement
def conditions(query: m.Query, kinds: tuple[type[exp.Expression], ...]) -> tuple[Compared, ...]:
    """The nodes of these kinds in the conditions of the blocks the author wrote, each with its
    block; a subquery's conditions are its own block's."""
    return tuple(found for found in _condition_nodes(query) if isinstance(found.node, kinds))


@lru_cache(maxsize=None)  # every predicate rule reads the same conditions: walk them once
def _condition_nodes(query: m.Query) -> tuple[Compared, ...]:
    return tuple(
        Compared(node, block, predicate)
        for block in query.user_blocks
        for predicate in block.predicates
        for node in own_nodes(predicate.node)
        if isinstance(node, ASKED)
    )


def sides(node: exp.Expression) -> list[exp.Expression]:
    """The operands that name what is compared: both sides of =, <...; the tested one of IN,
    BETWEEN and LIKE."""
    if isinstance(node, (exp.In, exp.Between, exp.Like)):
        return [node.this.unnest()]
    return [node.this.unnest(), node.expression.unnest()]


def known_columns(side: exp.Expression, clause: m.Predicate | m.Projection) -> list[Known]:
    """The columns of `side`, part of the condition or SELECT item `clause`, that the catalog holds."""
    refs = _refs(clause)
    found = []
    for column in side.find_all(exp.Column):
        ref = refs.get(id(column))
        facts = known(ref) if ref is not None else None
        if facts is not None:
            found.append(facts)
    return found


@lru_cache(maxsize=None)  # each predicate is read by several rules
def _refs(clause: m.Predicate | m.Projection) -> dict[int, m.ColumnRef]:
    return {id(ref.node): ref for ref in clause.columns}


@lru_cache(maxsize=None)  # a column is looked up by several rules; through views, each lookup walks them
def known(ref: m.ColumnRef) -> Known | None:
    if ref.relation is None or ref.outer:
        return None
    if ref.relation.kind == m.VIEW and ref.relation.table is not None:
        # an indexed view read WITH (NOEXPAND): SQL Server reads its stored rows, through its own indexes
        column = ref.relation.table.column(ref.name)
        return Known(ref, ref.relation.table, column) if column is not None and column.type != COMPUTED_TYPE else None
    for origin in origins(ref.relation, ref.name):
        table = origin.relation.table
        column = table.column(origin.column) if table is not None else None
        if column is not None and not origin.computed:
            return Known(ref, table, column)
    return None


def severity(query: m.Query, facts: Known) -> str:
    """A comparison that stops a seek costs as much as the table is large; where no index could
    seek the column, the table is read whole anyway and the cost is only the per-row work."""
    return severity_for_rows(facts.table.rows) if seekable(query, facts) else "info"


def seekable(query: m.Query, facts: Known) -> bool:
    """Whether a comparison of the column alone could seek an index in this query: an index has it
    as a key and every key before it is fixed, by an equality or a join on the same table
    (Attendance's date, after calendarID or personID in both its indexes)."""
    fixed = _fixed(query, facts)
    return any(all(key.lower() in fixed for key in before) for before in facts.keys_before)


def unfixed(query: m.Query, facts: Known) -> list[str]:
    """For each index that has the column after other keys, the first of those the query leaves
    free: what it would have to fix for a comparison of the column to seek."""
    fixed = _fixed(query, facts)
    # sorted: a catalog pulled from a live database lists the indexes in its own order
    return sorted({next(key for key in before if key.lower() not in fixed)
                   for before in facts.keys_before if not all(key.lower() in fixed for key in before)}, key=str.lower)


def unseekable(query: m.Query, facts: Known) -> str:
    """Why no index can seek the column in this query, in words (for a column `seekable` is not)."""
    free = unfixed(query, facts)
    if not free:
        return f"no index has {facts.column.name}"
    return f"no index can seek {facts.column.name} without {' or '.join(free)} fixed first"


@lru_cache(maxsize=None)  # PR001 asks whether a column can be sought up to four times for one comparison
def _fixed(query: m.Query, facts: Known) -> frozenset[str]:
    return frozenset(fixed_columns(query, facts.ref.relation, facts.table))


def fixed_columns(query: m.Query, relation: m.Relation, table: Table) -> set[str]:
    """The columns of a table the relation reads (itself, or a view over it) that an equality, an
    IN list or a join fixes, lower case: where a seek into it can start."""
    found: set[str] = set()
    for graph in query.graph.all_graphs() if query.graph is not None else []:
        for node in graph.nodes:
            if node.anchor is relation and node.table is table:
                found |= {f.column for f in node.filters if f.sargable and f.operator in ("eq", "in", "null")}
        for join in graph.joins:
            found |= {column.lower() for node, column in (join.left, join.right) if node.anchor is relation and node.table is table}
    return found


def sought_beside(query: m.Query, facts: Known, same_column: bool = False) -> exp.Expression | None:
    """An equality AND-ed in the query on the same table as `facts` (on its very column, with
    `same_column`), that an index can seek (a.calendarID = @calendarID), or that a subquery run
    for each outer row seeks with the row's value (later.personID = e.personID): SQL Server seeks
    it, and tests the rest only on the rows it leaves."""
    for node in query.graph.all_nodes() if query.graph is not None else []:
        if node.anchor is not facts.ref.relation or node.table is not facts.table:
            continue
        leading = {index.columns[0].lower() for index in node.table.indexes}
        if same_column:
            leading &= {facts.column.name.lower()}
        found = next((f.condition for f in node.filters
                      if f.sargable and f.operator in ("eq", "in") and f.column in leading and f.condition is not None),
                     None) or _correlated_seek(facts.ref.relation, leading)
        if found is not None:
            return found
    return None


def _correlated_seek(relation: m.Relation, columns: set[str]) -> exp.Expression | None:
    """A correlated subquery's equality of one of the relation's columns with the outer row's."""
    for predicate in relation.block.predicates:
        refs = predicate.columns
        if (isinstance(predicate.node.unnest(), exp.EQ) and len(refs) == 2 and any(ref.outer for ref in refs)
                and any(ref.relation is relation and not ref.outer and ref.name.lower() in columns for ref in refs)):
            return predicate.node
    return None


def tested_after(query: m.Query, sought: exp.Expression, tested: str) -> str:
    """What a condition costs beside one an index seeks (from `sought_beside`), in words."""
    return f"it seeks {as_in_file(query, sought)} instead and tests {tested} on each row that leaves, cheap while that holds."


def tested_and_values(node: exp.Expression) -> tuple[exp.Expression, list[exp.Expression]]:
    """What a comparison (=, <>, <, >, BETWEEN, IN) tests and the values it is compared with: of
    two sides, the one that is no literal or variable is tested."""
    if isinstance(node, exp.Between):
        return node.this.unnest(), [node.args["low"].unnest(), node.args["high"].unnest()]
    if isinstance(node, exp.In):
        return node.this.unnest(), [value.unnest() for value in node.expressions]
    left, right = node.this.unnest(), node.expression.unnest()
    return (right, [left]) if isinstance(left, (exp.Literal, exp.Parameter)) else (left, [right])

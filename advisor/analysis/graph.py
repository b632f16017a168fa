"""The graph a statement is flattened into (flatten.py builds it): every catalog table it reads
as a node, once per time it is read, with the filters, ORs and equality joins between them and
the groups they combine in. scope.py decides from it what limits each table; the risk model
costs it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.history import Kept
from advisor.analysis.predicates import disjuncts

SET = "set"  # temp tables and table variables: built by the script, assumed small
NOTHING = "nothing"  # read inside a SELECT that returns no rows (TOP 0, WHERE 1 = 0): never read
ROW = "row"  # the one row a cursor is on: UPDATE t ... WHERE CURRENT OF c


@dataclass(eq=False)
class Node:
    """One instance of a table in the flattened statement."""

    table: m.Table | None
    relation: m.Relation
    anchor: m.Relation | None  # the relation in the user's text that leads to it
    through: tuple[str, ...]  # the views between that relation and this table
    barrier: m.Relation | None  # a grouped, windowed or TOP block it is computed inside
    preset: set[str] = field(default_factory=set)  # limits known from the start
    opaque: Subgraph | None = None
    semi: bool = False  # read through EXISTS or IN: it filters rows, it adds none
    per_row: bool = False  # an APPLY that reads the row it is run for: its rows are costed in the graph's `later`
    filters: list[Filter] = field(default_factory=list)
    # What scope.py decides: what limits the rows read, and columns whose values a join limits
    # although the rows read are not (Person's personID in the student view).
    kinds: set[str] = field(default_factory=set)
    own_kinds: set[str] = field(default_factory=set)  # the limits of its own conditions, before joins spread any
    values: dict[str, set[str]] = field(default_factory=dict)


@dataclass(eq=False)
class Filter:
    """A condition that compares one node's column with values: a literal, a variable, a
    function of neither, an uncorrelated subquery."""

    node: Node
    column: str  # lower case
    operator: str  # "eq", "range", "in", "like", "null"
    bound: str | None  # "lower" / "upper" for a one-sided range
    sargable: bool  # the column stands alone on its side: an index on it can be used
    values: float  # how many values an IN list gives; math.inf for a report's multi-value parameter
    condition: exp.Expression
    # The side compares the column's own values, not what an expression makes of them
    # (YEAR(a.date), a view's CASE ... END AS activeToday): its distinct values decide.
    own_values: bool = True
    choices: int | None = None  # CASE ... THEN 1 ELSE 0 END: how many values the expression takes
    literals: tuple[str, ...] = ()  # the values as written, lower-case, when every one is a literal
    source: Target | None = None  # x IN (SELECT y ...) pushed into a grouped x: the column y it takes values from
    # A range on a school year or date: the history from its bound to today (a BETWEEN: between its ends)
    kept: Kept | None = None
    # The part of a date that comes round every year it compares (MONTH(a.date) = 3: "month"), which
    # keeps some rows of every year
    every_year: str | None = None


def other_bound(f: Filter, filters: list[Filter]) -> Filter | None:
    """Of a one-sided range, the bound on the other side of the same column among `filters`:
    date < '2026-04-01' for date >= '2026-03-01'."""
    other = "upper" if f.bound == "lower" else "lower"
    return next((g for g in filters if g.column == f.column and g.operator == "range" and g.bound == other), None)


@dataclass(eq=False)
class Choice:
    """An OR: each branch's filters; `complete` when every branch is nothing but filters."""

    branches: list[list[Filter]]
    complete: bool
    condition: exp.Expression

    def branch_holding(self, test: exp.Expression | None) -> int | None:
        """The place of the branch that holds an IN or EXISTS test (Graph.branch_test), if one does."""
        if test is None:
            return None
        return next((at for at, arm in enumerate(disjuncts(self.condition)) if any(node is test for node in arm.walk())),
                    None)


Target = tuple[Node, str]


@dataclass(eq=False)
class Join:
    """An equality between two nodes' columns. `kind` is how the right side is joined: inner,
    left (kept optional), full (both sides kept whole), semi (EXISTS / IN) or correlation (a
    subquery run per outer row)."""

    left: Target
    right: Target
    kind: str
    # p.personID = COALESCE(ct.personID, s.personID): the right side stands for a value computed from
    # these nodes too, so the join holds only once they are joined as well
    needs: tuple[Node, ...] = ()
    # The right side stands for a value computed from its node's columns (COALESCE's, or a subquery's
    # run for each of its rows), not for the column itself: no value it is given crosses the join
    computed: bool = False


@dataclass(eq=False)
class Subgraph:
    """What an opaque node stands for: a graph per branch, built with the outer filters that
    SQL Server applies before grouping (those on grouping or partitioning columns)."""

    graphs: list[Graph]
    blocks: list[m.Block]
    pushed: list[Filter] = field(default_factory=list)  # the outer filters on the node
    # The output columns it is joined on that are an inner table's column as it is, by
    # lower-case name: a grouped CTE's calendarID holds Attendance's calendarIDs
    sources: dict[str, tuple[Node, str]] = field(default_factory=dict)


@dataclass(eq=False)
class Group:
    """How the nodes of a graph combine: joined ("join"), as the arms of a UNION ("union": each
    member a join group), or as an EXISTS / IN that filters the rows around it ("semi")."""

    kind: str
    members: list[Node | Group] = field(default_factory=list)
    blocks: list[m.Block] = field(default_factory=list)  # the SELECTs it flattens (grouping, ORDER BY...)

    def nodes(self) -> list[Node]:
        found: list[Node] = []
        for member in self.members:
            found.extend(member.nodes() if isinstance(member, Group) else [member])
        return found


@dataclass(eq=False)
class Graph:
    """A statement's base tables as nodes, with the joins, limits and choices between them."""

    nodes: list[Node] = field(default_factory=list)
    root: Group = field(default_factory=lambda: Group("join"))
    edges: list[tuple[Target, Target]] = field(default_factory=list)  # a limit flows source -> target
    ranges: list[tuple[Node, Target, str | None]] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    # ON rp.personID1 = s.personID OR rp.personID2 = s.personID: equality joins between the same
    # two nodes, one per branch, of which a row needs to match any one
    either: list[tuple[Join, ...]] = field(default_factory=list)
    later: list[Graph] = field(default_factory=list)  # correlated: run once per outer row
    outer: Graph | None = None
    runs: int = 1  # a correlated graph's runs per outer row: twice in COALESCE's test and value
    # An APPLY's graph: the node that stands for its rows in the graph around it, whose columns
    # that graph's other tables may be joined on (JOIN School sch ON sch.schoolID = cs.schoolID)
    applied: Node | None = None
    # An EXISTS or IN run for each outer row: whether a row matches, not what its rows give
    existence: bool = False
    # e.startDate = (SELECT MAX(e2.startDate) ... WHERE e2.personID = e.personID): the outer node it
    # keeps one row of for each value of the columns it is correlated with
    picks: Node | None = None
    # A correlated graph run for each row the joins make (in a WHERE or ON, or an APPLY), before
    # they are grouped; not for each row the SELECT returns (in its list, HAVING or ORDER BY)
    per_joined_row: bool = False
    # x IN (SELECT y ...) planned apart (it groups, ranks or takes a TOP): the outer columns x
    # stands for, whose rows it keeps where y holds their value
    kept_in: list[Target] = field(default_factory=list)
    # An IN or EXISTS in one branch of an OR: that IN or EXISTS, and (its column, the outer one) pairs
    # through which its limits would reach the outer rows it keeps (calendarID IN (SELECT c.calendarID
    # FROM Calendar c WHERE c.endYear = 2026) OR a.date = @d)
    branch_test: exp.Expression | None = None
    offers: list[tuple[Target, Target]] = field(default_factory=list)
    # UNION arms a filter rules out: role = 'student' on the arm whose role is 'teacher'
    empty_blocks: set[int] = field(default_factory=set)
    # A report's multi-value parameters in its IN lists, as written (the statement's, on its first graph)
    list_parameters: tuple[str, ...] = ()

    def all_nodes(self, per_row: bool = True) -> list[Node]:
        """Every node; without `per_row`, not those of the correlated subqueries and APPLYs, which
        look up something for each row rather than make the rows."""
        return [node for graph in self.all_graphs(per_row) for node in graph.nodes]

    def all_graphs(self, per_row: bool = True) -> list[Graph]:
        """This graph, those of the derived tables and views inside it, and (with `per_row`) those of
        its correlated subqueries and APPLYs, each with their own."""
        found = [self]
        for node in self.nodes:
            for graph in node.opaque.graphs if node.opaque is not None else ():
                found.extend(graph.all_graphs(per_row))
        for graph in self.later if per_row else ():
            found.extend(graph.all_graphs())
        return found

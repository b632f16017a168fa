"""The analysed query: what each statement reads, how, and how far its filters reach.

Plain data, built by resolve.py and scope.py and read by the checks. Objects are compared by
identity: two references to the same table are two relations.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlglot import exp

from advisor.analysis.predicates import equated, literal_number
from advisor.catalog.model import Table, View
from advisor.frontend.parse import Statement
from advisor.frontend.positions import text_bounds
from advisor.span import LineIndex, Span

if TYPE_CHECKING:
    from advisor.analysis.counting import Count
    from advisor.analysis.endless import EndlessLoop
    from advisor.analysis.graph import Graph

# Relation kinds; a "temp table" is any table the script itself creates
TABLE, VIEW, CTE, DERIVED, TEMP, TABLE_VARIABLE, FUNCTION, VALUES, UNKNOWN = (
    "table", "view", "cte", "derived", "temp table", "table variable", "function", "values", "unknown",
)
# How a relation joins the ones before it
FROM, INNER, LEFT, RIGHT, FULL, CROSS, CROSS_APPLY, OUTER_APPLY = (
    "from", "inner", "left", "right", "full", "cross", "cross apply", "outer apply",
)
APPLIES = (CROSS_APPLY, OUTER_APPLY)  # a query run for each row before it


@dataclass(eq=False)
class Hint:
    """A table hint such as NOLOCK, NOEXPAND or INDEX(ix), or a query hint from OPTION (...)."""

    name: str  # upper case: NOLOCK, INDEX, FORCE ORDER, LOOP JOIN...
    text: str  # as written
    span: Span | None
    arguments: tuple[str, ...] = ()  # INDEX(IX_a, 0): the indexes it names, as written (IX_a, 0)


_DEEPEST_READERS = 50  # derived tables and CTEs, each reading the one before, that a star is followed out through
MOST_RECURSIONS = 100  # how deep SQL Server lets a recursive CTE go unless OPTION (MAXRECURSION n) says


@dataclass(frozen=True, eq=False)
class Fill:
    """The one query that put the rows of a temp table or table variable there, before the
    statement that reads it: its SELECT, and the SELECT list name each of the table's columns
    takes its values from (lower case), and the line of the statement that holds it."""

    block: Block
    columns: dict[str, str]
    line: int


@dataclass(frozen=True)
class AddedKey:
    """A unique index or key a statement adds to an existing table: its table (lower case, as
    the script names it), "UNIQUE INDEX", "PRIMARY KEY" or "UNIQUE", and its columns as written;
    for a temp table or table variable, the queries whose rows it holds, where they are known:
    the first that filled it, then the INSERTs that added more."""

    table: str
    kind: str
    columns: tuple[str, ...]
    fills: tuple[Fill, ...]
    made: MadeTable | None = None  # the table as the script made it, where it did
    # where each column is written in the file, for ALTER TABLE's, which sqladvise reads from its text
    written_at: tuple[int, ...] = ()


@dataclass(frozen=True)
class MadeTable:
    """A table the script makes, as it stands when a later statement writes to it: by CREATE
    TABLE or DECLARE @t TABLE, with its columns and keys as declared, or by SELECT ... INTO, with
    the SELECT whose list names its columns."""

    name: str  # lower case, as the script names it: #t, @t, or dbo.Staging's staging
    line: int  # of the statement that makes it
    declared: tuple[exp.ColumnDef, ...] | None  # in order; None when SELECT ... INTO makes it
    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("PRIMARY KEY" or "UNIQUE", its columns as written)
    selected: Block | None = None  # SELECT ... INTO's SELECT, where it was read

    @property
    def column_names(self) -> list[str] | None:
        """Its columns' names, where the script says them: not those of a SELECT * INTO."""
        if self.declared is not None:
            return [column.name for column in self.declared]
        if self.selected is None or any(item.star_of for item in self.selected.projections):
            return None
        return [item.name for item in self.selected.projections]

    @property
    def to_fill(self) -> list[exp.ColumnDef]:
        """The declared columns an INSERT without a column list fills, in order: not its IDENTITY
        and computed columns, which fill themselves."""
        return [column for column in self.declared or () if not any(
            isinstance(c.args.get("kind"), _FILLED_BY_THEMSELVES) for c in column.args.get("constraints") or [])]


_FILLED_BY_THEMSELVES = (exp.GeneratedAsIdentityColumnConstraint, exp.ComputedColumnConstraint)


@dataclass(eq=False)
class Relation:
    """One item of a FROM clause: a table, view, CTE, derived table, temp table or function."""

    alias: str  # how the query refers to it
    name: str  # the object's name as written (the alias for a derived table)
    kind: str
    node: exp.Expression
    block: Block
    span: Span | None  # its name in the user's text; None inside a view definition
    join: str = FROM
    table: Table | None = None
    view: View | None = None
    # The query that defines a view, CTE or derived table: one block, or a branch per UNION arm.
    inner: list[Block] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # lower-case names the query reads from it
    # Why a view was not expanded: a cycle, too deep, a definition that does not parse.
    unexpanded: str | None = None
    # a temp table's or table variable's, when known; the names a derived table's or CTE's alias, or
    # a view's definition, lists for its columns: d (x, y), CREATE VIEW v (x, y) AS
    declared_columns: list[str] | None = None
    declared_keys: list[tuple[str, ...]] = field(default_factory=list)  # its PRIMARY KEY and UNIQUE columns
    made: MadeTable | None = None  # a temp table or table variable as the script made it: its columns' types
    filled_by: Fill | None = None  # a temp table's or table variable's one fill, where the script has one
    pivoted: list[str] = field(default_factory=list)  # the columns a PIVOT or UNPIVOT adds to what it reads
    # the columns (lower case) a PIVOT groups what it reads by: all of them but the FOR column and
    # those it aggregates; None without a PIVOT, or where its input's columns are not known
    pivot_groups: list[str] | None = None
    unpivoted: int = 0  # the columns an UNPIVOT makes rows of: each row read becomes as many rows
    changed: bool = False  # the table an UPDATE or DELETE changes
    cursor_row: str | None = None  # changed only where this cursor is: UPDATE t ... WHERE CURRENT OF c
    # A LEFT JOIN's table that the WHERE compares (c.endYear = 2026), which keeps only the rows that
    # found one: SQL Server runs the join as an inner join. The first such condition.
    made_inner_by: Predicate | None = None
    # A LEFT JOIN (r JOIN sp ON ...) ON ...: the first relation of the parenthesized group it is
    # joined in (r, for sp), whose join keeps or drops the group's rows together
    unit: Relation | None = None
    # A recursive CTE's reference to itself: the blocks of its anchor, whose limits its rows keep
    recursive_anchor: list[Block] = field(default_factory=list)
    # and the most levels the statement lets it recur: OPTION (MAXRECURSION n), SQL Server's 100
    # without one, None for MAXRECURSION 0 (no limit)
    recursions: int | None = MOST_RECURSIONS
    # how far it counts, where it counts from a constant to a constant (counting.py), else None
    counted: Count | None = None
    # A function's columns of other relations it is given, CROSS APPLY STRING_SPLIT(p.list, ','):
    # an APPLY of it runs for their rows
    arguments: list[ColumnRef] = field(default_factory=list)

    @property
    def output_columns(self) -> list[str] | None:
        """The columns it offers, when known."""
        read = self._read_columns()
        return read + self.pivoted if read is not None and self.pivoted else read

    def _read_columns(self) -> list[str] | None:
        if self.table is not None:
            return [column.name for column in self.table.columns]
        if self.inner and self.declared_columns is None:
            return self.inner[0].known_output_names()
        if self.view is not None and self.view.columns:
            return list(self.view.columns)
        return self.declared_columns

    def inner_name(self, column: str) -> str:
        """The name its own query gives a column that its alias's list renames: d.cal of (SELECT
        a.personID, a.calendarID ...) d (pid, cal) is the query's calendarID."""
        if self.declared_columns is None or not self.inner:
            return column
        listed = [name.lower() for name in self.declared_columns]
        if column.lower() not in listed:
            return column
        names = self.inner[0].output_names()
        at = listed.index(column.lower())
        return names[at] if at < len(names) else column

    def offers(self, column: str) -> bool:
        """Whether it offers a column of this name, in any case; False where its columns are not
        known. A table's own columns are looked up, not listed: this is asked for every column
        name a query reads, and of tables with a hundred columns."""
        if self.table is not None and self.table.column(column) is not None:
            return True
        if self.table is not None and not self.pivoted:
            return False
        lower = column.lower()
        return any(offered.lower() == lower for offered in self.output_columns or ())

    @property
    def read_columns(self) -> set[str] | None:
        """The columns the query reads from it; None when a star reads every one. A star in a
        derived table or CTE passes on only the columns its readers read, and SQL Server reads
        no others: (SELECT * FROM v_AdHocStudent) x WHERE x.endYear = 2026 reads the view's
        personID and endYear, where the outer query returns x.personID."""
        return self._read(_DEEPEST_READERS)

    def _read(self, depth: int) -> set[str] | None:
        block = self.block
        if not any(p.star_of is not None and self in p.star_of for p in block.projections):
            return self.columns
        if block.distinct or block.grouped or not block.readers or depth == 0:
            return None  # DISTINCT * (or GROUP BY) tells rows apart by every column; a star the user or an INSERT gets is all
        read = set(self.columns)
        for reader in block.readers:
            if reader.inner != [block]:
                return None  # a UNION's arms match by position, not by name
            wanted = reader._read(depth - 1)
            if wanted is None:
                return None
            read.update(name for column in wanted if self in block.starred_with(name := reader.inner_name(column).lower()))
        return read

    @property
    def join_condition(self) -> exp.Expression | None:
        """The ON condition the relation is joined by, as written; None in a FROM list or an APPLY."""
        join = self.node.parent
        return join.args.get("on") if isinstance(join, exp.Join) else None

    @property
    def joined_to_others(self) -> bool:
        """Whether its SELECT joins it to other relations, or the SELECTs that read the CTE or
        derived table standing in for it all do: a grouped one that is joined is limited too late
        by that join (SC003), one read alone by nothing (SC001)."""
        return all(len(relation.block.relations) > 1 for relation in self.standing_in)

    @property
    def standing_in(self) -> list[Relation]:
        """The CTE references or derived table the query joins in its place, where they only pass
        its rows on (WITH gpa AS (SELECT personID, cumGpa FROM v_CumGPAFull)), through any number
        of such; itself otherwise. SQL Server expands such a CTE where it is read."""
        found: list[Relation] = []
        stack, seen = [self], set()
        while stack:
            current = stack.pop()
            if id(current) in seen:  # a recursive CTE's own reference
                continue
            seen.add(id(current))
            block = current.block
            if len(block.relations) == 1 and block.readers and block.transparent and not block.distinct:
                stack.extend(reversed(block.readers))
            else:
                found.append(current)
        return found

    def label(self) -> str:
        return self.name if self.alias.lower() == self.name.lower() else f"{self.name} {self.alias}"

    def __repr__(self) -> str:
        # dataclass's own would write out its block, and through it every relation, column and
        # expanded view of the statement, for each relation: megabytes in a failing test's report
        return f"Relation({self.label()!r}, {self.kind})"

    @property
    def optional(self) -> bool:
        """A LEFT JOIN or OUTER APPLY that keeps the rows it finds nothing for: not one that the
        WHERE, or an inner join after it, turns into an inner join."""
        return self.join in (LEFT, OUTER_APPLY) and self.made_inner_by is None


@dataclass(eq=False)
class ColumnRef:
    """A column the query names, and the relation it was resolved to."""

    node: exp.Column
    name: str
    relation: Relation | None  # None when it matches nothing the query reads
    outer: bool = False  # found in an enclosing query: a correlation
    # An unqualified name that two or more tables of the query where it is found have: SQL Server
    # cannot tell which is meant (error 209), and the name is none of theirs
    ambiguous: tuple[Relation, ...] = ()


@dataclass(eq=False)
class Predicate:
    """One AND-ed condition of a WHERE, ON or HAVING clause."""

    node: exp.Expression
    clause: str  # "where", "on", "having"
    on: Relation | None  # for an ON condition, the relation it joins
    columns: list[ColumnRef]
    # HAVING COUNT(*) > 8 keeps or drops whole groups, and the WHERE of a GROUP BY ALL only decides
    # which rows each group counts: neither leaves a table fewer rows to read
    on_groups: bool = False


@dataclass(eq=False)
class JoinKey:
    """a.x = b.y between two relations of one block: an edge of the block's join graph."""

    left: ColumnRef
    right: ColumnRef
    predicate: Predicate

    def side(self, relation: Relation) -> tuple[ColumnRef, ColumnRef] | None:
        """(the relation's column, the other relation's column), if the relation is on it."""
        if self.left.relation is relation:
            return self.left, self.right
        if self.right.relation is relation:
            return self.right, self.left
        return None


@dataclass(eq=False)
class Projection:
    """One item of a SELECT list and the columns it reads."""

    name: str  # output name; "*" for a star
    node: exp.Expression
    columns: list[ColumnRef]
    star_of: list[Relation] | None = None  # a star: the relations it expands
    span: Span | None = None  # for a star, which has no position of its own in sqlglot's tree

    @property
    def plain(self) -> ColumnRef | None:
        """The column it returns as it is (p.studentNumber AS StudentID), if it does."""
        return self.columns[0] if isinstance(self.node.unalias(), exp.Column) and self.columns else None


@dataclass(eq=False)
class Subquery:
    """A query inside an expression: a scalar subquery, EXISTS, IN (...)."""

    blocks: list[Block]
    node: exp.Expression  # the Subquery / Exists / In that holds it
    clause: str  # "select", "where", "on", "having", "other"
    correlated: bool
    runs: int = 1  # times each row runs it: twice as COALESCE's or NULLIF's first value (reruns.py)


@dataclass(eq=False)
class Block:
    """One SELECT (or the reading part of an UPDATE / DELETE)."""

    node: exp.Expression
    in_user_text: bool
    parent: Block | None = None
    relations: list[Relation] = field(default_factory=list)
    predicates: list[Predicate] = field(default_factory=list)
    join_keys: list[JoinKey] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    subqueries: list[Subquery] = field(default_factory=list)
    grouped: bool = False
    group_all: bool = False  # GROUP BY ALL: a group for every value in the rows before the WHERE
    windowed: bool = False
    distinct: bool = False
    top: bool = False
    empty: bool = False  # reads no rows: TOP 0, or a WHERE that is never true (1 = 0)
    partition_columns: set[str] = field(default_factory=set)  # lower-case PARTITION BY columns
    group_columns: set[str] = field(default_factory=set)  # lower-case GROUP BY output names
    # What each GROUP BY item groups on: a column, or None for an expression (YEAR(a.date))
    group_by: list[ColumnRef | None] = field(default_factory=list)
    ordered_by: list[ColumnRef] = field(default_factory=list)  # the columns its ORDER BY reads
    set_columns: list[ColumnRef] = field(default_factory=list)  # an UPDATE's: the columns its SET names and reads
    # the derived tables and CTE references that read its rows: a CTE's blocks are read by each reference
    readers: list[Relation] = field(default_factory=list)
    # the variables that hold one constant when its statement runs (Query.constants); none in a view's
    constants: dict[str, exp.Expression] = field(default_factory=dict)

    def __repr__(self) -> str:  # as Relation's: the default would write out the whole statement
        return f"Block({type(self.node).__name__}, {[relation.label() for relation in self.relations]})"

    def column_refs(self) -> list[ColumnRef]:
        """Every column the block names: in its SELECT list (an UPDATE's SET), its conditions, GROUP BY
        and ORDER BY."""
        return [*(ref for projection in self.projections for ref in projection.columns),
                *(ref for predicate in self.predicates for ref in predicate.columns),
                *(ref for ref in self.group_by if ref is not None), *self.ordered_by, *self.set_columns]

    def starred_with(self, name: str) -> list[Relation]:
        """The relations a star of its SELECT list returns an output column of this lower-case
        name from: those that offer it, or all it covers where none does and no other item is
        named so (a column the catalog does not list is read from the table all the same)."""
        starred = [relation for projection in self.projections for relation in projection.star_of or ()]
        offering = [relation for relation in starred if relation.offers(name)]
        if offering or any(p.star_of is None and p.name.lower() == name for p in self.projections):
            return offering
        return starred

    def finds_one_row(self) -> bool:
        """Whether it reads one table where all of a key equals one value each, or a value names
        one row, so that it finds a row at most: TOP 1 c.endYear FROM Calendar c WHERE c.calendarID
        = a.calendarID; FROM SchoolYear sy WHERE sy.active = 1."""
        return len(self.relations) == 1 and self.reads_one_row()

    def returned_ids(self) -> set[int]:
        """The ids of the relations whose columns the SELECT list returns, by name or by a star."""
        return ({id(ref.relation) for projection in self.projections for ref in projection.columns}
                | {id(relation) for projection in self.projections for relation in projection.star_of or []})

    @property
    def adds_totals(self) -> bool:
        """GROUP BY ROLLUP, CUBE or GROUPING SETS (or WITH ROLLUP, WITH CUBE): rows of subtotals and
        a grand total beside the groups, the grand total even where no row is left."""
        group = self.node.args.get("group")
        return group is not None and (bool(group.args.get("rollup") or group.args.get("cube")) or any(
            isinstance(e, (exp.Rollup, exp.Cube, exp.GroupingSets)) for e in group.expressions))

    def reads_one_row(self) -> bool:
        """Whether it returns a row at most, each table it reads finding one: by a key or a value
        that names one row, or joined on all of its key to the tables that do (Person p WHERE
        p.personID = 5 JOIN Identity i ON i.identityID = p.currentIdentityID)."""
        if not self.relations or any(r.kind != TABLE or r.table is None for r in self.relations):
            return False
        return len(self.one_row_each()) == len(self.relations)

    def one_row_each(self, given: Collection[int] = ()) -> set[int]:
        """The ids of its relations that find a row at most: tables by a key or a value that names
        one row, or joined on all of a key to those that do or to the relations `given` (ids of
        relations known to give one row: SELECT TOP 1 ...)."""
        fixed, links = self._equalities()
        found = set(given)
        grew = True
        while grew:
            grew = False
            for relation in self.relations:
                if id(relation) in found or relation.kind != TABLE or relation.table is None:
                    continue
                keyed = set(fixed[id(relation)]) | {column for r, column, other in links if r is relation and id(other) in found}
                if relation.table.unique_by(keyed, _known_values(fixed[id(relation)])):
                    found.add(id(relation))
                    grew = True
        return found

    def _equalities(self) -> tuple[dict[int, dict[str, str | None]], list[tuple[Relation, str, Relation]]]:
        """Each relation's columns that an equality fixes to one value, with the constant as
        value_written gives it (None for a value no constant: GETDATE(), a parameter), and each
        column = column between two relations of the block."""
        fixed: dict[int, dict[str, str | None]] = {id(r): {} for r in self.relations}  # a column = one value
        links: list[tuple[Relation, str, Relation]] = []  # a column = a column of another table of the block
        for predicate in self.predicates:
            sides = equated(predicate.node)
            if predicate.clause == "having" or predicate.on_groups or sides is None:
                continue
            own = [ref for ref in predicate.columns if ref.relation is not None and not ref.outer]
            for side, other in (sides, sides[::-1]):
                mine = next((ref for ref in own if ref.node is side), None)
                if mine is None or id(mine.relation) not in fixed:
                    continue
                theirs = [ref for ref in own if ref is not mine]
                if not theirs:
                    fixed[id(mine.relation)][mine.name.lower()] = self.value_written(other)
                elif len(theirs) == 1 and theirs[0].node is other and theirs[0].relation is not mine.relation:
                    links.append((mine.relation, mine.name.lower(), theirs[0].relation))
        return fixed, links

    def fixed_values(self, relation: Relation) -> dict[str, str]:
        """The relation's lower-case columns its conditions make equal to one constant, with the
        constant as value_written gives it."""
        return _known_values(self._equalities()[0].get(id(relation), {}))

    def value_written(self, node: exp.Expression) -> str | None:
        """A constant as the catalog writes the values it knows (Table.one_row, shares): a literal's
        text without quotes, lower-case, or that of the constant a variable holds when the statement
        runs (DECLARE @current bit = 1 ... sy.active = @current); None for anything else."""
        if isinstance(node, exp.Parameter):
            node = self.constants.get(node.name.lower(), node).unnest()
        return node.name.lower() if isinstance(node, exp.Literal) else None

    def output_names(self) -> list[str]:
        """The names of the columns it returns; a star's over a relation whose columns are not
        known adds none."""
        return self._output_names(known_only=False) or []

    def known_output_names(self) -> list[str] | None:
        """The names of the columns it returns; None where a star is over a relation whose columns
        are not known."""
        return self._output_names(known_only=True)

    def _output_names(self, known_only: bool) -> list[str] | None:
        names: list[str] = []
        for projection in self.projections:
            if projection.star_of is None:
                names.append(projection.name)
                continue
            for relation in projection.star_of:
                columns = relation.output_columns  # once each: a star over a star over ... follows them down
                if columns is None and known_only:
                    return None
                names.extend(columns or [])
        return names

    @property
    def pushable_columns(self) -> set[str]:
        """The lower-case output columns on which an outer condition is applied inside, before the
        block groups or ranks: its GROUP BY's, or its PARTITION BY's; none under TOP, whose rows
        depend on all the rows before it."""
        if self.top:
            return set()
        return self.group_columns if self.grouped else self.partition_columns

    @property
    def per_row_columns(self) -> set[str]:
        """The lower-case output columns on which a join lets SQL Server run the block once for
        each outer row, seeking that row's rows before it groups them: those it groups by. None
        where it does not group, or ranks: a window numbers all its rows at once."""
        return self.pushable_columns if self.grouped and not self.windowed else set()

    @property
    def top_rows(self) -> float | None:
        """The n of TOP n or TOP (n) when written as a number: the most rows the SELECT returns."""
        number, percent = self._top()
        return None if percent else number

    @property
    def top_percent(self) -> float | None:
        """The n of TOP n PERCENT when written as a number: the share of its rows the SELECT returns."""
        number, percent = self._top()
        return number if percent else None

    def _top(self) -> tuple[float | None, bool]:
        limit = self.node.args.get("limit") if isinstance(self.node, exp.Select) else None
        if not isinstance(limit, exp.Limit) or limit.expression is None:
            return None, False
        value = limit.expression.unnest()
        options = limit.args.get("limit_options")
        percent = bool(options and options.args.get("percent"))
        return literal_number(value), percent

    @property
    def ordered(self) -> bool:
        """Whether the SELECT has an ORDER BY."""
        return isinstance(self.node, exp.Select) and self.node.args.get("order") is not None

    @property
    def transparent(self) -> bool:
        """Whether filters from outside reach inside, as SQL Server pushes them into views."""
        return not (self.grouped or self.windowed or self.top)

    @property
    def built_as(self) -> str | None:
        """XML or JSON where the SELECT builds one text of its rows (FOR XML PATH(''), FOR JSON
        PATH); None otherwise."""
        clause = self.node.args.get("for_")
        return str(clause.args.get("kind")).upper() if clause is not None else None


def _known_values(fixed: dict[str, str | None]) -> dict[str, str]:
    """Those of a relation's fixed columns that equal a constant, with the constant."""
    return {column: value for column, value in fixed.items() if value is not None}


@dataclass(frozen=True, eq=False)
class Reach:
    """A catalog table that a statement reads, and whether its filters limit what is read."""

    table: Table
    anchor: Relation  # the relation in the user's text that leads to it
    through: tuple[str, ...]  # the views between that relation and the table
    scoped: bool
    kinds: frozenset[str]  # what limits it: year, calendar, school, date... (when scoped)
    barrier: Relation | None  # a CTE / derived table / view that groups or windows it first


@dataclass(eq=False)
class Query:
    """One statement, analysed."""

    statement: Statement
    lines: LineIndex
    campus_lines: frozenset[int] = frozenset()  # as Script's: the lines of a filter Campus writes around its boxes
    blocks: list[Block] = field(default_factory=list)  # every SELECT in the user's text, outermost first
    hints: list[Hint] = field(default_factory=list)  # OPTION (...) query hints
    graph: Graph | None = None  # the statement flattened into table instances
    reaches: list[Reach] = field(default_factory=list)
    too_large: bool = False  # expands to more table reads than are flattened: no graph, so no scope or risk
    database: str | None = None  # the one an earlier USE in the script chose
    fills: str | None = None  # the temp table or table variable it puts rows in: SELECT ... INTO #t, INSERT INTO @t SELECT ...
    added_key: AddedKey | None = None  # CREATE UNIQUE INDEX, ALTER TABLE ... ADD PRIMARY KEY or UNIQUE
    target: MadeTable | None = None  # the table the script made that it INSERTs into, UPDATEs or indexes, as made
    # The cursor loops it runs in, outermost first: each loop's DECLARE ... CURSOR (statement index, cursor name)
    loops: tuple[tuple[int, str], ...] = ()
    # the WHILE loops around it that count with a variable, outermost first: (passes, variable)
    passes: tuple[tuple[int, str], ...] = ()
    uncounted_loop: bool = False  # inside a WHILE loop not over a cursor: it repeats an unknown number of times
    endless: EndlessLoop | None = None  # the WHILE loop that never ends which it is, or is inside
    # The IF statements it runs under, outermost first: each one's index and the branch, "IF" or "ELSE"
    branches: tuple[tuple[int, str], ...] = ()
    # the variables that hold one constant when it runs (constants.py), by lower-case name without the @
    constants: dict[str, exp.Expression] = field(default_factory=dict)
    _calls: list[exp.Func] | None = field(default=None, init=False, repr=False)

    def calls(self, kind: type[exp.Func] | tuple[type[exp.Func], ...]) -> list[exp.Func]:
        """The statement's calls of a kind of function (COUNT, one sqlglot does not know): one walk
        of its tree finds the calls for every check that looks for some."""
        if self._calls is None:
            tree = self.statement.tree
            self._calls = list(tree.find_all(exp.Func)) if tree is not None else []
        return [call for call in self._calls if isinstance(call, kind)]

    @property
    def returns_rows(self) -> bool:
        """A SELECT whose rows go to the user (or the report), not into a table."""
        tree = self.statement.tree
        return isinstance(tree, (exp.Select, exp.SetOperation)) and not tree.args.get("into")

    def span_of(self, node: exp.Expression) -> Span:
        """Where a node of the statement's tree is in the user's text."""
        bounds = text_bounds(node, self.lines.text)
        return self.lines.span(*bounds) if bounds else self.statement.span

    def written(self, node: exp.Expression) -> str:
        """A node of the statement as the author wrote it: sqlglot reads DATENAME(weekday, d) as
        FORMAT(CAST(d AS DATETIME2), 'dddd'), DATEPART(dw, d) as DATEPART(WEEKDAY, d)."""
        span = self.span_of(node)
        return self.lines.text[span.start:span.end]

    @property
    def defines_view(self) -> bool:
        """CREATE or ALTER VIEW: its query runs each time the view is read, not when it is defined."""
        tree = self.statement.tree
        return isinstance(tree, (exp.Create, exp.Alter)) and str(tree.args.get("kind") or "").upper() == "VIEW"

    def refs_by_node(self) -> dict[int, ColumnRef]:
        """Every column reference of its blocks, by the id of the tree node it resolves: what a
        column in the statement's tree reads."""
        return {id(ref.node): ref for block in self.blocks for ref in block.column_refs()}

    @property
    def user_blocks(self) -> list[Block]:
        """The SELECTs the author wrote, not those of the views they read."""
        return [block for block in self.blocks if block.in_user_text]

    @property
    def relations(self) -> list[Relation]:
        return [relation for block in self.blocks for relation in block.relations]

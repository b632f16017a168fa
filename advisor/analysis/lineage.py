"""Where the columns of a view (or CTE, or derived table) come from, and the base-table FROM
clause that would give the same columns without the view."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.written import as_written
from advisor.catalog.model import Table

_EXPANDABLE = (m.VIEW, m.CTE, m.DERIVED)
INNER_JOINS = (m.FROM, m.INNER)  # the relations every row of a SELECT reads: its FROM and inner joins
# Table names that are also T-SQL keywords: as a qualifier they need brackets ([Identity].personID)
RESERVED_NAMES = frozenset({"IDENTITY", "USER", "KEY", "FILE", "PLAN", "PERCENT", "PUBLIC", "RULE", "SCHEMA", "TABLE", "VIEW"})


@dataclass(frozen=True, eq=False)
class Origin:
    """The base table column behind a view's or derived table's column."""

    relation: m.Relation  # a base table inside the expansion
    column: str
    computed: bool  # the view computes the value from this column rather than passing it on


def origins(relation: m.Relation, column: str) -> list[Origin]:
    """The base-table columns behind one column of a relation, through plain joins (not through
    grouping, windows, TOP or APPLY, which compute rather than pass values on)."""
    if relation.kind == m.TABLE:
        return [Origin(relation, column, False)]
    if relation.kind not in _EXPANDABLE or relation.join in m.APPLIES:
        return []
    found: list[Origin] = []
    named = relation.inner_name(column)
    for block in relation.inner:
        if block.transparent:
            found.extend(_block_origins(block, named))
    return found


def row_equal_to(relation: m.Relation, column: str, table: Table, table_column: str) -> m.Relation | None:
    """The row of `table` inside a view, read there by inner joins, whose `table_column` the view's
    `column` equals: student.enrollmentID is its Enrollment row's enrollmentID; student.calendarID
    its Calendar row's calendarID, as student joins Calendar on Enrollment's calendarID; and
    student.personID its Enrollment row's personID, as student joins Enrollment on it. None for a
    computed column, a UNION's, or one behind grouping, windows or TOP."""
    while relation.kind != m.TABLE:
        passed = _passed_on(relation, column)
        if passed is None or passed[0].join not in INNER_JOINS:
            return None
        relation, column = passed
        for join in relation.block.join_keys:
            mine, other = join.side(relation) or (None, None)
            if (mine is not None and mine.name.lower() == column.lower() and other.relation.kind == m.TABLE
                    and other.relation.table is table and other.name.lower() == table_column and other.relation.join in INNER_JOINS
                    and not _outer(other.relation)):
                return other.relation
    return relation if relation.table is table and column.lower() == table_column else None


def passed_through(relation: m.Relation, column: str, inner_only: bool = False) -> tuple[m.Relation, str]:
    """The relation and column that a derived table's or CTE's column passes on as it is, through
    any chain of them: v_AdHocStudent's age for s.age, WITH s AS (SELECT * FROM v_AdHocStudent
    WHERE endYear = 2026); the relation and column themselves where they are not passed on so.
    With `inner_only`, not from a relation an outer join reads, whose NULLs the column may hold."""
    while relation.kind in (m.CTE, m.DERIVED) and (passed := _passed_on(relation, column)) is not None:
        if inner_only and passed[0].join not in INNER_JOINS:
            break
        relation, column = passed
    return relation, column


def _passed_on(relation: m.Relation, column: str) -> tuple[m.Relation, str] | None:
    """The relation and column that the relation's one plain SELECT gives as its `column`."""
    if relation.kind not in _EXPANDABLE or len(relation.inner) != 1 or not relation.inner[0].transparent:
        return None
    column = relation.inner_name(column)
    lower = column.lower()
    for projection in relation.inner[0].projections:
        if projection.star_of is not None:
            holders = [r for r in projection.star_of if r.offers(column)]
            if holders:
                return (holders[0], column) if len(holders) == 1 else None
        elif projection.name.lower() == lower:
            ref = projection.plain
            return (ref.relation, ref.name) if ref is not None and ref.relation is not None and not ref.outer else None
    return None


def _block_origins(block: m.Block, column: str) -> list[Origin]:
    lower = column.lower()
    for projection in block.projections:
        if projection.star_of is not None:
            for relation in projection.star_of:
                if relation.offers(column):
                    return origins(relation, column)
            continue
        if projection.name.lower() != lower:
            continue
        node = projection.node.unalias() if isinstance(projection.node, exp.Alias) else projection.node
        direct = isinstance(node, exp.Column)
        return [
            Origin(origin.relation, origin.column, origin.computed or not direct)
            for ref in projection.columns
            if ref.relation is not None and not ref.outer
            for origin in origins(ref.relation, ref.name)
        ]
    return []


def base_tables(relation: m.Relation) -> list[m.Relation]:
    """Every base table a relation reads, through views, CTEs and derived tables at any depth."""
    return [relation] if relation.kind == m.TABLE else tables_read(relation.inner)


def tables_read(blocks: list[m.Block]) -> list[m.Relation]:
    """Every base table the blocks read, through views, CTEs and derived tables at any depth."""
    found: list[m.Relation] = []
    for block in blocks_within(blocks):
        for inner in block.relations:
            if inner.kind == m.TABLE:
                found.append(inner)
            elif inner.kind == m.VIEW:
                found.extend(base_tables(inner))
    return found


def blocks_within(blocks: list[m.Block], into_ctes: bool = True, into_subqueries: bool = True) -> list[m.Block]:
    """The blocks and everything nested in them except other views (expanded separately), breadth
    first; the CTEs they read too, unless `into_ctes` is False, and their subqueries', unless
    `into_subqueries` is False. A CTE read twice is listed once: CTEs each reading the one before
    twice would otherwise list 2^n blocks."""
    kinds = (m.CTE, m.DERIVED) if into_ctes else (m.DERIVED,)
    seen = set(blocks)
    found = list(dict.fromkeys(blocks))
    for block in found:  # the list grows as it is read
        nested = [inner for subquery in block.subqueries for inner in subquery.blocks] if into_subqueries else []
        nested += [inner for r in block.relations if r.kind in kinds for inner in r.inner]
        for inner in nested:
            if inner not in seen:
                seen.add(inner)
                found.append(inner)
    return found


def view_chain(relation: m.Relation) -> list[m.Relation]:
    """The deepest line of views under a view: v_OneRosterEnrollments, v_OneRosterClasses,
    v_CourseSection for a view built on a view built on a view."""
    if relation.kind != m.VIEW:
        return []
    deepest: list[m.Relation] = []
    for block in blocks_within(relation.inner):
        for inner in block.relations:
            chain = view_chain(inner)
            if len(chain) > len(deepest):
                deepest = chain
    return [relation, *deepest]


@dataclass(eq=False)
class _Condition:
    """A condition of an expanded query, with the base columns it compares."""

    predicate: m.Predicate
    origins: dict[int, Origin]  # for each column of the condition, the base column behind it
    owner: m.Relation | None  # the base table whose ON clause holds it; None for a WHERE

    @property
    def tables(self) -> set[int]:
        return {id(origin.relation) for origin in self.origins.values()}


@dataclass
class DirectFrom:
    """The FROM clause that reads a view's base tables directly, for the columns a query uses."""

    tables: list[m.Relation]
    conditions: list[_Condition]
    untraced: list[str] = field(default_factory=list)  # columns the view computes in ways a plain join cannot
    # columns the view computes from its base tables' columns alone: each with its expression
    computed: list[tuple[str, _Formula]] = field(default_factory=list)
    # columns the view passes on under another name (co.name AS courseName): each with its base column
    renamed: list[tuple[str, Origin]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _render(self.tables, self.conditions, _aliases(self.tables))

    @property
    def formulas(self) -> list[str]:
        """The computed columns written over the FROM clause's aliases: age = DATEDIFF(YEAR, i.birthdate, ...)."""
        aliases = _aliases(self.tables)
        return [f"{column} = {_rewritten(formula.node, formula.origins, aliases)}" for column, formula in self.computed]

    @property
    def renames(self) -> list[str]:
        """The renamed columns over the FROM clause's aliases: courseName is co.name."""
        aliases = _aliases(self.tables)
        return [f"{column} is {aliases[id(origin.relation)]}.{origin.column}" for column, origin in self.renamed]


@dataclass(frozen=True, eq=False)
class _Formula:
    """How a view computes a column: its expression, and the base column behind each column in it."""

    node: exp.Expression
    origins: dict[int, Origin]


def direct_from(view: m.Relation, columns: list[str]) -> DirectFrom | None:
    """The view's base tables that hold `columns`, with every table their joins and the view's
    filters need, joined exactly as the view joins them; None when that cannot be written
    without the view (a computed join, a grouped or ranked level)."""
    needed: list[m.Relation] = []
    untraced, computed, renamed = [], [], []
    written = _plain_tables(view)
    for column in columns:
        found = [o for o in origins(view, column) if not o.computed]
        formula = None if found else _formula(view, column, written)
        if formula is not None:
            computed.append((column, formula))
            found = list(formula.origins.values())
        elif not found:
            untraced.append(column)
        elif all(o.column.lower() != column.lower() for o in found):
            renamed.append((column, found[0]))
        needed.extend(o.relation for o in found if o.relation not in needed)
    conditions = _conditions(view)
    if not needed or conditions is None or not all(r in written for r in needed) or _rows_from_elsewhere(view):
        return None
    chosen = {id(r) for r in needed}
    changed = True
    while changed:
        changed = False
        for condition in conditions:
            owner = condition.owner
            if owner is None or id(owner) in chosen or _filters_rows(condition):
                if not condition.tables <= chosen:
                    chosen |= condition.tables
                    changed = True
        for relation in written:
            if id(relation) not in chosen and _gives_rows(relation, conditions):
                chosen.add(id(relation))
                changed = True
    tables = [r for r in written if id(r) in chosen]
    return DirectFrom(tables, conditions, untraced, computed, renamed)


def _rows_from_elsewhere(view: m.Relation) -> bool:
    """Whether a level of the view every row goes through reads rows no plain join of its base
    tables gives: a CROSS APPLY, a function, a grouped or UNION derived table joined inner. It keeps
    only some of the view's rows, or repeats them, so a FROM without it gives others."""
    if len(view.inner) > 1:
        return True
    for block in view.inner:
        for relation in block.relations:
            if _outer(relation) or relation.join == m.OUTER_APPLY or relation.kind == m.TABLE:
                continue
            plain = relation.kind in _EXPANDABLE and relation.join != m.CROSS_APPLY
            if not plain or not all(inner.transparent for inner in relation.inner) or _rows_from_elsewhere(relation):
                return True
    return False


def _filters_rows(condition: _Condition) -> bool:
    """An inner join's ON condition that joins nothing, and so keeps only some of the view's rows
    as a WHERE condition does: it tests the joined table alone (JOIN SchoolYear sy ON sy.endYear =
    e.endYear AND sy.active = 1) or only others (e.serviceType = 'P' in Calendar's ON)."""
    owner = condition.owner
    return (owner is not None and not _outer(owner)
            and (condition.tables == {id(owner)} or id(owner) not in condition.tables))


def _gives_rows(relation: m.Relation, conditions: list[_Condition]) -> bool:
    """Whether the view's rows come from this table, so that leaving it out would change them:
    joined inner on columns that are not its key (student's Enrollment, joined on personID, gives
    a row for each enrollment). A table joined on its key adds columns to each row, no rows."""
    if _outer(relation):
        return False
    joined = {origin.column.lower() for condition in conditions if condition.owner is relation
              for origin in condition.origins.values() if origin.relation is relation}
    return bool(joined) and relation.table is not None and not relation.table.unique_by(joined)


def _formula(view: m.Relation, column: str, written: list[m.Relation]) -> _Formula | None:
    """The view's own expression for a column it computes (DATEDIFF(year, s.birthdate, GETDATE())
    AS age), when every column in it comes unchanged from one of the view's plain base tables and
    nothing in it reads a query of its own."""
    for block in view.inner if len(view.inner) == 1 else []:
        for projection in block.projections:
            if projection.star_of is not None or projection.name.lower() != column.lower():
                continue
            node = projection.node.unalias() if isinstance(projection.node, exp.Alias) else projection.node
            if node.find(exp.Subquery, exp.Exists, exp.AggFunc, exp.Window) or not projection.columns:
                return None
            mapped = _base_columns(projection.columns)
            if mapped is None or any(origin.relation not in written for origin in mapped.values()):
                return None
            return _Formula(node, mapped)
    return None


def _base_columns(refs: list[m.ColumnRef]) -> dict[int, Origin] | None:
    """The one base column each column reference stands for, unchanged, by the reference's node;
    None if one of them has none, or several, or is computed."""
    mapped: dict[int, Origin] = {}
    for ref in refs:
        behind = origins(ref.relation, ref.name) if ref.relation is not None and not ref.outer else []
        if len(behind) != 1 or behind[0].computed:
            return None
        mapped[id(ref.node)] = behind[0]
    return mapped


def _plain_tables(view: m.Relation) -> list[m.Relation]:
    """The base tables joined at the view's plain (not grouped, not APPLY) levels, in order."""
    found: list[m.Relation] = []
    if len(view.inner) > 1:
        return found  # a UNION: no single FROM clause gives its rows
    for block in view.inner:
        if not block.transparent:
            continue
        for relation in block.relations:
            if relation.kind == m.TABLE:
                found.append(relation)
            elif relation.kind in _EXPANDABLE and relation.join not in m.APPLIES:
                found.extend(_plain_tables(relation))
    return found


def _conditions(view: m.Relation) -> list[_Condition] | None:
    """Every join condition and filter of the view's plain levels, in base-table terms."""
    found: list[_Condition] = []
    if len(view.inner) > 1:
        return None
    for block in view.inner:
        if not block.transparent:
            continue
        for predicate in block.predicates:
            if predicate.node.find(exp.Subquery, exp.Exists) or any(ref.outer for ref in predicate.columns):
                return None
            mapped = _base_columns(predicate.columns)
            if mapped is None:
                return None
            owner = None
            if predicate.on is not None:
                owners = [o.relation for o in mapped.values() if o.relation in _plain_tables_of(predicate.on)]
                # an ON that names none of its own table's columns (LEFT JOIN (r JOIN sp ON ...) ON
                # sp.periodID = a.periodID) is still that join's condition, not a filter of the rows
                owner = owners[0] if owners else predicate.on if predicate.on.kind == m.TABLE else None
            found.append(_Condition(predicate, mapped, owner))
        for relation in block.relations:
            if relation.kind in _EXPANDABLE and relation.join not in m.APPLIES:
                inner = _conditions(relation)
                if inner is None:
                    return None
                found.extend(inner)
    return found


def _plain_tables_of(relation: m.Relation) -> list[m.Relation]:
    return [relation] if relation.kind == m.TABLE else _plain_tables(relation)


def _aliases(tables: list[m.Relation]) -> dict[int, str]:
    """Each table's alias in the FROM clause: the view's own, numbered where two are the same."""
    aliases: dict[int, str] = {}
    for relation in tables:
        alias, suffix = relation.alias, 2
        while alias.lower() in {a.lower() for a in aliases.values()}:
            alias, suffix = f"{relation.alias}{suffix}", suffix + 1
        aliases[id(relation)] = alias
    return aliases


def _render(tables: list[m.Relation], conditions: list[_Condition], aliases: dict[int, str]) -> str:
    chosen = set(aliases)
    lines = []

    def name(relation: m.Relation) -> str:
        return f"{relation.table.schema}.{written_name(relation.table.name)} {aliases[id(relation)]}"

    def on(relation: m.Relation) -> str:
        return " AND ".join(_text(c, aliases) for c in conditions if c.owner is relation and c.tables <= chosen) or "1 = 1"

    for at, relation in enumerate(tables):
        head = relation.unit
        if head is not None and head.join == m.LEFT and id(head) in chosen:
            continue  # written inside the parentheses of the group it heads
        # joined together, then left joined as one: written flat, each LEFT JOIN would keep a row
        # of the first table for every one of its rows the second does not match
        grouped = [r for r in tables if r.unit is relation] if relation.join == m.LEFT else []
        if at == 0:
            lines.append(f"FROM {name(relation)}")
        elif grouped:
            inside = " ".join(f"{'LEFT JOIN' if r.join == m.LEFT else 'JOIN'} {name(r)} ON {on(r)}" for r in grouped)
            lines.append(f"LEFT JOIN ({name(relation)} {inside}) ON {on(relation)}")
        else:
            lines.append(f"{'LEFT JOIN' if _outer(relation) else 'JOIN'} {name(relation)} ON {on(relation)}")
    # a condition of a table left out that tests the others alone still keeps only some rows
    where = [_text(c, aliases) for c in conditions if c.tables <= chosen and (
        c.owner is None or c.owner is tables[0] or (id(c.owner) not in chosen and _filters_rows(c)))]
    if where:
        lines.append("WHERE " + " AND ".join(where))
    return "\n".join(lines)


def _outer(relation: m.Relation) -> bool:
    """LEFT joined, alone or in a parenthesized group: in a LEFT JOIN (r JOIN sp ON ...) ON ...,
    sp is as optional as r."""
    return m.LEFT in (relation.join, relation.unit.join if relation.unit is not None else None)


def _text(condition: _Condition, aliases: dict[int, str]) -> str:
    node = condition.predicate.node
    if isinstance(node, exp.EQ) and isinstance(node.this, exp.Column) and isinstance(node.expression, exp.Column):
        left, right = condition.origins[id(node.this)], condition.origins[id(node.expression)]
        return f"{aliases[id(left.relation)]}.{left.column} = {aliases[id(right.relation)]}.{right.column}"
    text = _rewritten(node, condition.origins, aliases)
    return f"({text})" if isinstance(node, exp.Or) else text


def _rewritten(node: exp.Expression, behind: dict[int, Origin], aliases: dict[int, str]) -> str:
    """A view's expression over the FROM clause's tables: each column as the base column behind it."""
    copy = node.copy()
    for copied, original in zip(list(copy.find_all(exp.Column)), list(node.find_all(exp.Column))):
        origin = behind.get(id(original))
        if origin is not None:
            copied.set("table", exp.to_identifier(aliases[id(origin.relation)]))
            copied.set("this", exp.to_identifier(origin.column))
    return as_written(copy, copy=False)


def written_name(name: str) -> str:
    """A table's name as T-SQL takes it: in brackets where it is a keyword ([Identity])."""
    return f"[{name}]" if name.upper() in RESERVED_NAMES else name

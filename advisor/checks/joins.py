"""Joins: tables nothing joins to the rest (a cartesian product), and joins on part of a key
that multiply rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import origins, row_equal_to, tables_read, written_name
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog, Table
from advisor.checks.indexes import naming
from advisor.checks.multiplicity import (
    every_join_columns,
    fixed_columns,
    one_row_each,
    one_value_each,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import LARGE_ROWS, relation_rows, severity_for_rows
from advisor.checks.snippets import free_alias
from advisor.findings import SEVERITIES, less_severe
from advisor.words import count, names

_UNKNOWN_ROWS = 1000  # a temp table or a table the catalog does not know


@statement_rule("JN001")
def missing_join_predicate(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.blocks:
        relations = [r for r in block.relations if r.join not in m.APPLIES and not _said_elsewhere(r, block)]
        if not block.in_user_text or len(relations) < 2:
            continue
        groups = _connected(block, relations)
        if len(groups) < 2:
            continue
        first = groups[0]
        for group in groups[1:]:
            start = group[0]
            left, right = _rows(block, first), _rows(block, group)
            if min(left, right) <= 1:
                continue  # one row (an aggregate, a single value): joining it to everything is the point
            explicit = start.join == m.CROSS
            severity = _product_severity(left * right, lowered=explicit)
            shared = _shared_key(group, first)
            yield Hit(
                start.span,
                f"Nothing joins {names([r.label() for r in group])} to {names([r.label() for r in first])}"
                + (" (CROSS JOIN)" if explicit else "")
                + f": every row of one meets every row of the other, about {count(right)} × {count(left)} rows.",
                f"Add the join condition{f', e.g. ON {shared}' if shared else ''}; if every combination is really "
                "wanted, write CROSS JOIN and say why in a comment.",
                tuple(r.name for r in group),
                severity,
            )
            first = first + group


def _said_elsewhere(relation: m.Relation, block: m.Block) -> bool:
    """An UPDATE's target written apart from its FROM: the FROM's own table where one goes by its
    name (UPDATE Enrollment ... FROM Enrollment e JOIN ...: SQL Server changes e's rows), or a table
    of the catalog, every row of which it changes when nothing names it (SC005 says so)."""
    if not (isinstance(relation.node.parent, exp.Update) and relation.node.arg_key == "this"):
        return False
    name = relation.name.lower()
    return relation.table is not None or any(
        other is not relation and name in (other.alias.lower(), other.name.lower()) for other in block.relations)


def _product_severity(rows: int, lowered: bool) -> str:
    """An error from ten million combined rows, a warning from a hundred thousand; one level
    less for a CROSS JOIN someone wrote on purpose."""
    severity = "error" if rows >= 10_000_000 else "warning" if rows >= LARGE_ROWS else "info"
    return less_severe(severity) if lowered else severity


def _connected(block: m.Block, relations: list[m.Relation]) -> list[list[m.Relation]]:
    """The relations in groups that conditions link, each group in FROM order. Each group is a tree
    of links to the relation that stands for it, so that linking hundreds of joined tables one by
    one does not relabel every table each time. An APPLY links what its correlation reads to what
    is joined on its columns (CROSS APPLY (... WHERE c.calendarID = e.calendarID) cs JOIN School sch
    ON sch.schoolID = cs.schoolID), though it is in no group: alone, it is run for each row."""
    linked_to = {id(r): id(r) for r in block.relations}

    def group_of(key: int) -> int:
        while linked_to[key] != key:
            linked_to[key] = linked_to[linked_to[key]]
            key = linked_to[key]
        return key

    def merge(ids: set[int]) -> None:
        groups = {group_of(i) for i in ids if i in linked_to}
        if len(groups) > 1:
            target = groups.pop()
            for group in groups:
                linked_to[group] = target

    for predicate in block.predicates:
        merge({id(ref.relation) for ref in predicate.columns if ref.relation is not None})
    for subquery in block.subqueries:
        merge({id(ref.relation) for inner in subquery.blocks for ref in _outer_refs(inner)})
    for relation in block.relations:
        if relation.join in m.APPLIES:
            merge({id(relation)} | {id(ref.relation) for inner in relation.inner for ref in _outer_refs(inner)}
                  | {id(ref.relation) for ref in relation.arguments})
    groups: dict[int, list[m.Relation]] = {}
    for relation in relations:
        groups.setdefault(group_of(id(relation)), []).append(relation)
    return list(groups.values())


def _outer_refs(block: m.Block) -> Iterator[m.ColumnRef]:
    for predicate in block.predicates:
        yield from (ref for ref in predicate.columns if ref.outer)
    for projection in block.projections:
        yield from (ref for ref in projection.columns if ref.outer)
    for subquery in block.subqueries:
        for inner in subquery.blocks:
            yield from _outer_refs(inner)


def _rows(block: m.Block, group: list[m.Relation]) -> int:
    """The most rows one of a group's relations gives: one for a query of one row (SELECT
    MAX(endYear) ..., TOP 1), a table one value or key names (SchoolYear sy ON sy.active = 1), and
    a table joined on all of its key to one of those, in the group or not (CROSS APPLY (SELECT TOP 1
    ...) cs JOIN School sch ON sch.schoolID = cs.schoolID). A derived table or CTE too that passes
    on the rows of such a table ((SELECT * FROM Calendar) c ON c.calendarID = 5)."""
    single = block.one_row_each({id(r) for r in block.relations if r.inner and (
        all(map(_one_row, r.inner)) or one_row_each(r, fixed_columns(block, r), values=block.fixed_values(r)) is True)})
    largest = 0
    for relation in group:
        rows = 1 if id(relation) in single else relation_rows(relation)
        largest = max(largest, _UNKNOWN_ROWS if rows is None else rows)
    return largest


def _one_row(block: m.Block) -> bool:
    """SELECT MAX(x) FROM t, SELECT TOP 1 ..., or SELECT @a, @b: a block that returns a single row."""
    select = block.node
    return isinstance(select, exp.Select) and (
        (block.grouped and select.args.get("group") is None) or not block.relations or block.top_rows == 1
    )


def _shared_key(group: list[m.Relation], others: list[m.Relation]) -> str | None:
    """An id column both sides have, to suggest as the join: one that is a side's own key first
    (School s to Calendar c on schoolID, not on the districtID that both also carry)."""
    candidates = []
    for relation in group:
        mine = {c.lower(): c for c in relation.output_columns or []}
        for other in others:
            for column in other.output_columns or []:
                if column.lower() in mine and column.lower().endswith("id"):
                    keyed = any(r.kind == m.TABLE and r.table.unique_on(column) for r in (relation, other))
                    joined = f"{relation.alias}.{mine[column.lower()]} = {other.alias}.{column}"
                    candidates.append((not keyed, len(candidates), joined))
    return min(candidates)[2] if candidates else None


@statement_rule("JN002")
def partial_key_join(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.blocks:
        if not block.in_user_text:
            continue
        # A join that misses part of both tables' keys multiplies both ways: one finding, on the larger;
        # of two alike, a catalog table's, whose key the catalog gives, then a derived table's or CTE's,
        # whose rows are mostly one table's
        by_pair: dict[frozenset[int], Hit] = {}
        read = every_join_columns(block)
        neighbours = join_neighbours(block)
        for relation in sorted(block.relations, key=lambda r: (r.kind != m.TABLE, r.kind not in (m.DERIVED, m.CTE))):
            if relation.kind == m.TABLE and not relation.table.grains:
                continue
            joined, fixed = read.get(id(relation)) or ({}, set())
            parts: dict[int, int] | None = None
            for partner, columns in joined.items():
                if (partner.kind == m.TABLE and partner.table.unique_by(read[id(partner)][0][relation])
                        and (relation.kind != m.TABLE or _pointer(relation, partner) is None)):
                    # each of the relation's rows meets one partner row at most: nothing multiplies, unless
                    # the partner names one of them (Person's currentIdentityID), and each partner row
                    # meets every one
                    continue
                if _paired_apart(block, relation, partner) or (
                        relation.kind == m.TABLE and _pinned_apart_from(block, relation, partner, fixed)):
                    continue
                parts = _parts_without(relation, neighbours) if parts is None else parts
                tied = _tied_apart(partner, joined, parts)
                covered = fixed | columns | tied
                hit = (_partial(block, relation, partner, columns, covered, catalog) if relation.kind == m.TABLE
                       else _partial_passed_on(block, relation, partner, columns, covered, tied))
                if hit is not None:
                    pair = frozenset({id(relation), id(partner)})
                    if pair not in by_pair or SEVERITIES.index(hit.severity) < SEVERITIES.index(by_pair[pair].severity):
                        by_pair[pair] = hit
                    break
        yield from by_pair.values()


_APART = (exp.NEQ, exp.LT, exp.GT, exp.LTE, exp.GTE)


def _paired_apart(block: m.Block, relation: m.Relation, partner: m.Relation) -> bool:
    """Rows paired with others on purpose, where the pairs are the point: a table joined to
    itself with its two rows compared apart (e2.enrollmentID <> e1.enrollmentID: a student's other
    enrollments), or any two joined on a column and the same column shifted (prior.endYear =
    e.endYear - 1: last year's enrollments, whose calendars are never this year's)."""
    same = relation.table is partner.table and relation.view is partner.view
    pair = {id(relation), id(partner)}
    for predicate in naming(block, relation):
        if {id(c.relation) for c in predicate.columns} != pair:
            continue
        if (same and isinstance(predicate.node, _APART)) or _shifted(predicate):
            return True
    return False


def _pinned_apart_from(block: m.Block, relation: m.Relation, partner: m.Relation, fixed: set[str]) -> bool:
    """Whether conditions other than the join to `partner` leave the table one row at most for
    each row they meet: a key of it fixed to one value, or joined to another relation by a join
    that drops the rows it does not match (JOIN Person p ON p.currentIdentityID = i.identityID keeps
    the one Identity row that is current, whichever of a person's the join on personID meets)."""
    pinned = set(fixed)
    for key in block.join_keys:
        sides = key.side(relation)
        if sides is not None and sides[1].relation not in (partner, relation) and _drops_unmatched(key.predicate, relation):
            pinned.add(sides[0].name.lower())
    return relation.table.unique_by(pinned)


def _drops_unmatched(predicate: m.Predicate, relation: m.Relation) -> bool:
    """Whether the relation's rows that fail the condition are dropped: a WHERE's, its own join's
    (but a RIGHT or FULL JOIN's, which keeps them), or an inner join's ON."""
    on = predicate.on
    if predicate.clause != "on" or on is None:
        return True
    if on is relation:
        return relation.join not in (m.RIGHT, m.FULL)
    return not on.optional and on.join != m.FULL


def _shifted(predicate: m.Predicate) -> bool:
    """A column compared with the same column of the other side, worked on: a.endYear = b.endYear
    - 1, a.date = DATEADD(day, 1, b.date)."""
    node = predicate.node
    if not isinstance(node, exp.EQ) or len(predicate.columns) != 2:
        return False
    first, second = predicate.columns
    plain = isinstance(node.this.unnest(), exp.Column) and isinstance(node.expression.unnest(), exp.Column)
    return not plain and first.name.lower() == second.name.lower()


def join_columns(block: m.Block, relation: m.Relation) -> tuple[dict[m.Relation, set[str]], set[str]]:
    """The relation's columns joined to each other relation, and those a filter fixes to one value:
    a constant, a variable, or the enclosing query's row (a correlated subquery's r.personID =
    s.personID)."""
    return every_join_columns(block).get(id(relation)) or ({}, set())


def grouped_by_columns(block: m.Block) -> bool:
    """Whether a block groups by plain columns only, each naming the relation whose rows it groups."""
    return block.grouped and bool(block.group_by) and all(ref is not None for ref in block.group_by)


def several_per_grouped_row(block: m.Block, relation: m.Relation) -> list[m.Relation]:
    """The relations a grouped block groups by that a catalog table is joined to on columns that
    do not name one of its rows, so that it has several for each of theirs (Attendance joined to
    Person on personID); a view, derived table or CTE too that passes on such a table's rows
    (StaffMember, a row per school assignment; WITH absences AS (SELECT ... FROM Attendance ...)).
    One the block groups by as well counts where each column of it grouped by holds one value for
    the columns joined (the teacher's lastName beside the section: their StaffMember rows fall in
    one group). None for any other relation."""
    grouped = {id(ref.relation) for ref in block.group_by if ref is not None}
    if relation.kind not in (m.TABLE, m.VIEW, m.DERIVED, m.CTE) or (relation.kind == m.TABLE and relation.table is None):
        return []
    joined, fixed = join_columns(block, relation)
    partners = [partner for partner in joined if id(partner) in grouped and partner is not relation]
    if not partners:
        return []
    columns = set().union(*(joined[partner] for partner in partners)) | fixed
    own = {ref.name.lower() for ref in block.group_by if ref is not None and ref.relation is relation}
    if not all(one_value_each(relation, columns, name) for name in own):
        return []  # grouped on what tells its rows apart (its key, a contact's email): they are groups of their own
    if relation.kind == m.TABLE:
        return [] if relation.table.unique_by(columns) else partners
    return partners if one_row_each(relation, columns) is False else []


_RANGES = (exp.Between, exp.GT, exp.GTE, exp.LT, exp.LTE)


def _ranged(block: m.Block, relation: m.Relation, partner: m.Relation) -> list[str]:
    """The relation's columns a condition compares with the partner's by a range (d.date BETWEEN
    e.startDate AND e.endDate), as written."""
    found = {}
    for predicate in block.predicates:
        if isinstance(predicate.node, _RANGES) and any(ref.relation is partner for ref in predicate.columns):
            found.update((ref.name.lower(), ref.name) for ref in predicate.columns if ref.relation is relation)
    return list(found.values())


def _partial(block: m.Block, relation: m.Relation, partner: m.Relation, columns: set[str],
             elsewhere: set[str], catalog: Catalog) -> Hit | None:
    """`columns` join the catalog table to `partner`; `elsewhere` are all its columns that some
    join or filter already pins down."""
    if relation.table.unique_by(columns):
        return None  # one row at most for each partner row
    offered = {c.lower(): c for c in partner.output_columns or []}
    for grain in relation.table.grains:
        key = [c.lower() for c in grain]
        covered = elsewhere & set(key)
        if not columns & set(key) or covered == set(key):
            continue
        # what the partner has too: the other missing columns (a roster's students) are the join's purpose
        available = [c for c in grain if c.lower() not in covered and c.lower() in offered]
        joined = [c for c in grain if c.lower() in columns]
        if available:
            year = _own_year(block, relation)
            fix = None if year is None or _year_value(year) == held_year(partner) else (
                f"Where {partner.label()}'s rows are of the same year, add the rest of the key: AND "
                + " AND ".join(f"{relation.alias}.{c} = {partner.alias}.{offered[c.lower()]}" for c in available)
                + f". Where they are not ({year.sql('tsql')}), their {names(available)} values differ and that join "
                f"finds nothing: test for the match with EXISTS where only whether there is one matters, or keep one "
                f"{relation.table.name} row for each {names(joined)} before joining it.")
            return _multiplied(block, relation, partner, joined, available, list(grain), relation.table.rows, fix)
        if _history_shown(block, relation, [c for c in key if c not in covered and c not in columns]):
            continue  # every name a student has had, with its effectiveDate: the history is the point
        pointer = _pointer(relation, partner)
        if pointer is not None:  # Person.currentIdentityID: the partner names the one row it means
            pairs = " AND ".join(f"{relation.alias}.{mine} = {partner.alias}.{theirs}" for mine, theirs in pointer[1])
            fix = f"Join {pointer[0]}: ON {pairs}, in place of the join on {names(joined)} alone."
        else:  # Enrollment joined to Identity on personID: only Person names the current row
            fix = _through(block, relation, partner, joined, catalog)
        if fix is not None:
            missing = [c for c in grain if c.lower() not in covered]
            return _multiplied(block, relation, partner, joined, missing, list(grain), relation.table.rows, fix)
    return None


def _own_year(block: m.Block, relation: m.Relation) -> exp.Expression | None:
    """The relation's own equality that fixes its school year (prior.endYear = @endYear - 1):
    its rows may be of another year than those it is joined to, whose calendars are not its own."""
    for predicate in block.predicates:
        node = predicate.node
        if (isinstance(node, exp.EQ) and predicate.columns and all(ref.relation is relation for ref in predicate.columns)
                and relation.table is not None and any(isinstance(side, exp.Column) and relation.table.scope_kind(side.name)
                                                       == "year" for side in (node.this, node.expression))):
            return node
    return None


def held_year(relation: m.Relation) -> str | None:
    """The value a relation's school year is fixed to, as SQL: by its own equality
    (prior.endYear = @endYear - 1), or else by that of a Calendar joined to it on calendarID
    (c.endYear = 2025); None where neither says."""
    block = relation.block
    own = _year_value(_own_year(block, relation))
    if own is not None:
        return own
    for other, columns in join_columns(block, relation)[0].items():
        if "calendarid" in columns and other.table is not None and other.table.name.lower() == "calendar":
            found = _year_value(_own_year(block, other))
            if found is not None:
                return found
    return None


def _year_value(condition: exp.Expression | None) -> str | None:
    """What a year's equality compares the column with, as SQL (2026, @endYear - 1)."""
    if condition is None:
        return None
    value = condition.expression if isinstance(condition.this, exp.Column) else condition.this
    return value.sql("tsql")


def _history_shown(block: m.Block, relation: m.Relation, rest: list[str]) -> bool:
    """Whether the query returns or orders by a column of the rest of the relation's key (lower
    case): what tells its rows apart, shown on purpose."""
    shown = [*(ref for projection in block.projections for ref in projection.columns), *block.ordered_by]
    return any(ref.relation is relation and ref.name.lower() in rest for ref in shown)


def _pointer(relation: m.Relation, partner: m.Relation) -> tuple[str, list[tuple[str, str]]] | None:
    """The one row of the relation's table the partner names, in words, with the column pairs
    that join it (the relation's, the partner's): a foreign key of the partner's to the table's
    primary key (Person's currentIdentityID names the one of a person's Identity rows that is
    current), or the key of the row a view reads (student's identityID, its current Identity
    row's)."""
    table = relation.table
    if not table.primary_key:
        return None
    if partner.kind in (m.VIEW, m.CTE, m.DERIVED) and len(table.primary_key) == 1:
        (primary,) = table.primary_key
        held = next((c for c in partner.output_columns or []
                     if _named_row(row_equal_to(partner, c, table, primary.lower()), primary)), None)
        return (f"the {table.name} row {partner.label()} reads", [(primary, held)]) if held is not None else None
    if partner.kind != m.TABLE or partner.table is None:
        return None
    for key in partner.table.foreign_keys:
        if key.references.lower() == table.name.lower() and (
                [c.lower() for c in key.referenced_columns] == [c.lower() for c in table.primary_key]):
            return (f"the one row {partner.label()} points at by its key {key.name}",
                    list(zip(key.referenced_columns, key.columns)))
    return None


def _through(block: m.Block, relation: m.Relation, partner: m.Relation, joined: list[str], catalog: Catalog) -> str | None:
    """The join through a third table that names the one row meant, where the relation is joined
    on that table's key alone: Identity to Enrollment on personID goes through Person, whose
    currentIdentityID names the person's current Identity row."""
    table = relation.table
    if len(joined) != 1 or not table.primary_key:
        return None
    column = joined[0].lower()
    theirs = next((other.name for key in block.join_keys if (sides := key.side(relation)) is not None
                   for mine, other in [sides] if other.relation is partner and mine.name.lower() == column), None)
    if theirs is None or any(origin.relation.table is table for origin in origins(partner, theirs)):
        return None  # the table's own personID (a CTE of Identity rows): its other rows may be the point
    for pointing in catalog.tables.values():
        if pointing is table or [c.lower() for c in pointing.primary_key] != [column]:
            continue
        for key in pointing.foreign_keys:
            if key.references.lower() == table.name.lower() and (
                    [c.lower() for c in key.referenced_columns] == [c.lower() for c in table.primary_key]):
                alias = free_alias({r.alias.lower() for r in block.relations}, pointing.name[0].lower())
                pairs = " AND ".join(f"{relation.alias}.{mine} = {alias}.{its}"
                                     for mine, its in zip(key.referenced_columns, key.columns))
                return (f"Join it through {pointing.name}, whose {names(list(key.columns))} names the one {table.name} "
                        f"row meant: JOIN {written_name(pointing.name)} {alias} ON {alias}.{pointing.primary_key[0]} = "
                        f"{partner.alias}.{theirs} JOIN {written_name(table.name)} {relation.alias} ON {pairs}, in place of "
                        f"the join on {names(joined)} alone.")
    return None


def _named_row(inner: m.Relation | None, key: str) -> bool:
    """Whether a view reads the one row of a table that another of its tables names by a foreign
    key (student's Identity row, joined on Person's currentIdentityID): not a table it reads whole,
    whose other rows of a person may be what a join to it is for."""
    if inner is None:
        return False
    for join in inner.block.join_keys:
        mine, other = join.side(inner) or (None, None)
        if (mine is not None and mine.name.lower() == key.lower() and other.relation is not None
                and other.relation.kind == m.TABLE and other.relation.table is not None
                and any(foreign.references.lower() == inner.table.name.lower()
                        and [c.lower() for c in foreign.columns] == [other.name.lower()]
                        for foreign in other.relation.table.foreign_keys)):
            return True
    return False


def _partial_passed_on(block: m.Block, relation: m.Relation, partner: m.Relation, columns: set[str],
                       elsewhere: set[str], tied: set[str]) -> Hit | None:
    """A view, derived table, CTE or temp table joined on columns it has several rows for, where
    a column of a catalog table's key that the partner has too would tell them apart
    (v_AdHocStudent, a row per enrollment, joined on personID alone: Enrollment's rows are told
    apart by personID and calendarID). Only such a column: an enrollmentID or a customID the
    partner may hold NULL in, or mean otherwise, is no fix to offer. Nor where a column the partner
    has too is `tied` to it another way: a sibling's rows (sib.personID = hm2.personID, hm2 of the
    student's household) joined to the student's on endYear are another person's, and the student's
    calendarID is not theirs."""
    mine = {c.lower(): c for c in relation.output_columns or []}
    offered = {c.lower() for c in partner.output_columns or []}
    if offered & (tied - columns):
        return None
    shared = [c for c in mine if c in offered and c not in elsewhere]
    if not shared or one_row_each(relation, elsewhere) is not False:
        return None  # nothing to add, one row for each, or how many is not known
    tables = tables_behind(relation)
    keyed = grain_columns(read.table for read in tables)
    joined = [mine.get(c, c) for c in sorted(columns)]
    rows = max((read.table.rows for read in tables), default=_UNKNOWN_ROWS)
    rest = next((mine[c] for c in shared if c in keyed and one_row_each(relation, elsewhere | {c})), None)
    if rest is not None:
        return _multiplied(block, relation, partner, joined, [rest], [*joined, rest], rows)
    grain = _passed_grain(relation, tables, columns, elsewhere)
    available = [mine[c.lower()] for c in grain if c.lower() in shared]
    return _multiplied(block, relation, partner, joined, available, grain, rows) if available else None


def join_neighbours(block: m.Block) -> dict[int, list[m.Relation]]:
    """The relations each relation of the block is joined to, by its id."""
    neighbours: dict[int, list[m.Relation]] = {}
    for key in block.join_keys:
        left, right = key.left.relation, key.right.relation
        if left is not None and right is not None and left is not right:
            neighbours.setdefault(id(left), []).append(right)
            neighbours.setdefault(id(right), []).append(left)
    return neighbours


def reached_without(neighbours: dict[int, list[m.Relation]], starts: Iterable[m.Relation], avoided: m.Relation) -> set[int]:
    """The relations `neighbours` (join_neighbours, or another such map) reach from `starts`
    without passing through `avoided`, by id."""
    reached = {id(start) for start in starts}
    todo = list(reached)
    while todo:
        for reachable in neighbours.get(todo.pop(), ()):
            if reachable is not avoided and id(reachable) not in reached:
                reached.add(id(reachable))
                todo.append(id(reachable))
    return reached


def _parts_without(relation: m.Relation, neighbours: dict[int, list[m.Relation]]) -> dict[int, int]:
    """The relations that joins reach from the relation's neighbours without passing through it,
    each labelled with the part of the block it is in: two of one label are linked apart from it."""
    parts: dict[int, int] = {}
    for start in neighbours.get(id(relation), ()):
        if id(start) in parts:
            continue
        parts[id(start)], todo = id(start), [start]
        while todo:
            for reached in neighbours.get(id(todo.pop()), ()):
                if reached is not relation and id(reached) not in parts:
                    parts[id(reached)] = id(start)
                    todo.append(reached)
    return parts


def _tied_apart(partner: m.Relation, joined: dict[m.Relation, set[str]], parts: dict[int, int]) -> set[str]:
    """The relation's columns joined to others that joins link to the partner without it (`parts`,
    from _parts_without): they tie its rows to the partner's another way (sib.personID =
    hm2.personID, hm2 of the student's household). A lookup only it reaches ties nothing: Calendar
    joined on the student's calendarID leaves the student a row for each of their calendars."""
    part = parts.get(id(partner))
    return set().union(*(columns for other, columns in joined.items()
                         if other is not partner and part is not None and parts.get(id(other)) == part))


def _passed_grain(relation: m.Relation, tables: list[m.Relation], columns: set[str], elsewhere: set[str]) -> list[str]:
    """Where the relation passes on the rows of one catalog table as they are ((SELECT * FROM
    Attendance WHERE ...) a, a CTE over one table), the columns that tell them apart, as the
    table names them, when the join holds part of them and not all are fixed: as for the table
    itself, the rest that the partner has too is the fix, and what it lacks is the join's purpose."""
    if len(tables) != 1 or relation.kind not in (m.DERIVED, m.CTE):
        return []
    for grain in tables[0].table.grains:
        key = {c.lower() for c in grain}
        if key & columns and not key <= elsewhere and one_row_each(relation, key) is True:
            return list(grain)
    return []


def tables_behind(relation: m.Relation) -> list[m.Relation]:
    """The catalog tables a view, derived table or CTE reads; a temp table's, those the one query
    that filled it reads."""
    return tables_read([relation.filled_by.block] if relation.filled_by is not None else relation.inner)


def grain_columns(tables: Iterable[Table]) -> dict[str, str]:
    """The columns that tell the tables' rows apart (Enrollment's personID and calendarID), by
    lower-case name."""
    return {column.lower(): column for table in tables for grain in table.grains for column in grain}


def _multiplied(block: m.Block, relation: m.Relation, partner: m.Relation, joined: list[str], available: list[str],
                grain: list[str], rows: int, fix: str | None = None) -> Hit:
    """The finding for a join on `joined`, part of the `grain` that tells the relation's rows
    apart, where the partner has the `available` rest (or, with `fix`, names the row meant
    another way)."""
    offered = {c.lower(): c for c in partner.output_columns or []}
    if fix is None:
        fix = "Add the rest of the key: AND " + " AND ".join(
            f"{relation.alias}.{c} = {partner.alias}.{offered[c.lower()]}" for c in available) + "."
    ranged = _ranged(block, relation, partner)  # read only for a finding: JN002 looks at every join
    how = f"on {names(joined)}, and by a range on {names(ranged)}," if ranged else f"on {names(joined)} only,"
    within = " in that range" if ranged else ""
    source = relation.table.name if relation.kind == m.TABLE else relation.label()
    return Hit(
        relation.span,
        f"{relation.label()} is joined to {partner.label()} {how} but its rows are told apart by "
        f"{names(grain)}: each {partner.label()} row meets every {source} row with the same "
        f"{names(joined)}{within} across all {names(available)} values, and the rows multiply (a DISTINCT would "
        f"only hide it).",
        fix,
        (relation.table.name if relation.kind == m.TABLE else relation.name, partner.name),
        severity_for_rows(rows) if rows >= LARGE_ROWS else "info",
    )

"""How many rows one relation of a block has for each row of another: one at most, by a key of a
catalog table or a unique index of an indexed view, or several. An UPDATE's or MERGE's source
with several rows for each changed row (JN006), an INSERT's rows that repeat a key (SH036), a
join that repeats the rows a total counts (JN007). And which columns hold one value for each value
of others: a teacher's lastName for their personID, though StaffMember has a row for each of the
teacher's school assignments (JN004)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.keys import source_column
from advisor.analysis.lineage import origins, row_equal_to
from advisor.analysis.predicates import equated
from advisor.checks.indexes import once, sides_of

# How many views, derived tables, CTEs and temp tables' fills deep the rows are followed: a script
# that fills each temp table from the one before, hundreds deep, is judged no further than this.
_DEEPEST = 60
# `_links`: for each relation by id, its columns joined to each other relation, and those fixed
_Links = tuple[dict[int, dict[m.Relation, set[str]]], dict[int, set[str]]]


@dataclass(frozen=True)
class Joined:
    """A relation joined to a starting one, directly or through others, and how."""

    parent: m.Relation  # what it is joined to: the starting relation, or one between
    columns: list[str]  # its columns that tie it to the starting relation, as written: e.personID
    missing: list[str]  # the rest of a key of it that would make it one row, as written: e.calendarID
    several: bool  # several rows for each row of the starting relation, here or on the way


def joined_rows(block: m.Block, start: m.Relation, depth: int = 0) -> dict[m.Relation, Joined]:
    """Each relation joined to a row of `start`, directly or through others, from it outwards,
    whose rows for each value of the columns joined are known (`one_row_each`). `depth`: how many
    queries deep the block is, in the question being answered."""
    return _joined(block, _links(block), start, depth)


def _joined(block: m.Block, read: _Links, start: m.Relation, depth: int) -> dict[m.Relation, Joined]:
    """`joined_rows`, from the block's joins and fixed columns as `_links` reads them."""
    links, fixed = read
    found: dict[m.Relation, Joined] = {}
    seen, frontier, several = {id(start)}, [start], {id(start): False}
    while frontier:
        parent = frontier.pop(0)
        for relation in links.get(id(parent), {}):
            if id(relation) in seen:
                continue
            seen.add(id(relation))
            joined = links[id(relation)]
            tied = set().union(*(columns for partner, columns in joined.items() if id(partner) in several))
            tied |= fixed[id(relation)]
            one = _applied_rows(relation, depth) if relation.join in m.APPLIES else one_row_each(relation, tied, depth)
            if one is None:
                continue
            grains = relation.table.grains if relation.table is not None else ()
            missing = next(([c for c in grain if c.lower() not in tied] for grain in grains if {c.lower() for c in grain} & tied), [])
            written = sorted({f"{relation.alias}.{mine.name}" for mine, other in sides_of(block, relation)
                              if id(other.relation) in several})
            several[id(relation)] = not one or several[id(parent)]
            found[relation] = Joined(parent, written, [f"{relation.alias}.{c}" for c in missing], several[id(relation)])
            frontier.append(relation)
    return found


def _links(block: m.Block) -> _Links:
    """For each relation of the block, by id: its lower-case columns joined to each other relation
    (`every_join_columns`; an APPLY is linked, by no column, to those its query compares with), and
    those fixed to one value (`fixed_columns`): a chain of hundreds of joins is read once."""
    read = every_join_columns(block)
    links: dict[int, dict[m.Relation, set[str]]] = {id(r): {} for r in block.relations}
    links.update((at, dict(joined)) for at, (joined, _) in read.items())  # the APPLYs are added to a copy
    for applied in (r for r in block.relations if r.join in m.APPLIES):
        for outer in _correlated_to(applied):  # an APPLY's rows come with each row of what it reads
            if id(outer) in links:
                links[id(applied)].setdefault(outer, set())
                links[id(outer)].setdefault(applied, set())
    fixed = {at: columns for at, (_, columns) in read.items()}
    through: dict[int, set[str]] = {id(r): set() for r in block.relations}
    for key in block.join_keys:
        for mine, other in ((key.left, key.right), (key.right, key.left)):
            if other.name.lower() in fixed.get(id(other.relation), ()):
                through.setdefault(id(mine.relation), set()).add(mine.name.lower())
    return links, {at: fixed.get(at, set()) | through.get(at, set()) for at in set(fixed) | set(through)}


_JoinColumns = dict[int, tuple[dict[m.Relation, set[str]], set[str]]]


def every_join_columns(block: m.Block) -> _JoinColumns:
    """Each relation's lower-case columns joined to each other relation, and those a filter fixes
    to one value (a constant, a variable, the enclosing query's row), by the relation's id: read
    in one pass over the block's joins and conditions, once (several rules ask for each of a
    block's relations). Not to be changed by the caller."""
    return once(block, "join columns", lambda: _read_join_columns(block))


def _read_join_columns(block: m.Block) -> _JoinColumns:
    found: _JoinColumns = {}
    for key in block.join_keys:
        for mine, other in ((key.left, key.right), (key.right, key.left)):
            if mine is key.right and mine.relation is other.relation:
                continue  # a.x = a.y: read from its left side only
            found.setdefault(id(mine.relation), ({}, set()))[0].setdefault(other.relation, set()).add(mine.name.lower())
    for predicate in block.predicates:
        if equated(predicate.node) is not None and len(own := [c for c in predicate.columns if not c.outer]) == 1:
            found.setdefault(id(own[0].relation), ({}, set()))[1].add(own[0].name.lower())
    return found


def one_row_each(relation: m.Relation, columns: set[str], depth: int = 0,
                 values: Mapping[str, str] = MappingProxyType({})) -> bool | None:
    """Whether the relation has one row at most for each value of the lower-case `columns`, those
    of them fixed to a constant (`values`, as Block.value_written gives it) holding it: by a key of
    a catalog table (or the columns that tell its rows apart, or a value that names one row of it:
    SchoolYear's active = 1), by a unique index of an indexed view, or through a view, derived
    table or CTE that passes on the columns of one such relation as they are; a temp table or
    table variable joined on a key the script gives it, or as the one query that filled it passes
    them on. None where that is not known: a table with no key, a view that does not expand, a
    windowed query (ROW_NUMBER() ... = 1 is the fix), one grouped on other columns or DISTINCT over
    others too, a temp table filled twice or changed since, and what lies more than _DEEPEST
    queries deep."""
    if relation.kind == m.TABLE and relation.table is not None:
        table = relation.table
        if not (table.primary_key or table.grains or any(index.unique for index in table.indexes)):
            return None  # a heap with no key: nothing says what tells its rows apart
        return table.unique_by(columns, values) or any({c.lower() for c in grain} <= columns for grain in table.grains)
    if relation.kind == m.VIEW and relation.view is not None and relation.view.indexed:
        return _indexed_view(relation, columns, depth)
    if relation.kind in (m.TEMP, m.TABLE_VARIABLE):
        if any({c.lower() for c in key} <= columns for key in relation.declared_keys):
            return True  # a key the script gives it holds
        return _filled_with(relation.filled_by, columns, depth) if relation.filled_by is not None else None
    if relation.kind not in (m.VIEW, m.DERIVED, m.CTE) or len(relation.inner) != 1 or relation.recursive_anchor:
        return None
    return _passed_on(relation.inner[0], columns, values, depth + 1)


def _filled_with(fill: m.Fill, columns: set[str], depth: int) -> bool | None:
    """A temp table's rows for each value of its `columns`, as the one query that filled it has
    them for the SELECT list items they take (Enrollment's rows for a student, where it passes
    on e.personID)."""
    selected = {fill.columns.get(column) for column in columns}
    return None if None in selected else _passed_on(fill.block, selected, {}, depth + 1)


def _passed_on(block: m.Block, columns: set[str], values: Mapping[str, str], depth: int) -> bool | None:
    """A view's, derived table's or CTE's rows for each value of its output `columns`, where they
    pass on the columns of one of its tables as they are: that table's rows for theirs, unless
    another table of the query repeats them (Enrollment joined to its Calendar does not; nor an
    APPLY of one row for each). Worked out once for each block, columns and depth: a CTE that
    joins the one before to itself, forty deep, is asked the same question twice at every level."""
    if depth > _DEEPEST:
        return None
    known = _ANSWERS.setdefault(block, {})
    key = (frozenset(columns), frozenset(values.items()), depth)
    if key not in known:
        known[key] = _passed_on_now(block, columns, values, depth)
    return known[key]


# Each block's answers by the question asked (its columns, those fixed to constants, and the
# depth), kept no longer than the block: the next file's blocks are new ones.
_Question = tuple[frozenset[str], frozenset[tuple[str, str]], int]
_ANSWERS: weakref.WeakKeyDictionary[m.Block, dict[_Question, bool | None]] = weakref.WeakKeyDictionary()


def _passed_on_now(block: m.Block, columns: set[str], values: Mapping[str, str], depth: int) -> bool | None:
    if block.grouped:
        return _rows_per_group(block, columns, depth)
    stars = any(projection.star_of is not None for projection in block.projections)
    if block.distinct and not stars and {projection.name.lower() for projection in block.projections} <= columns:
        return True  # SELECT DISTINCT e.personID: one row for each value of all it returns
    if block.windowed or block.distinct or block.top:
        return None
    passed = _passed_columns(block, columns)
    inner = {id(relation): relation for relation, _ in passed.values()}
    if passed.keys() != columns or len(inner) != 1:
        return None
    (table,) = inner.values()
    passed_values = {passed[column][1]: value for column, value in values.items() if column in passed}
    return _rows_through(block, table, {name for _, name in passed.values()}, passed_values, depth)


def _passed_columns(block: m.Block, columns: set[str]) -> dict[str, tuple[m.Relation, str]]:
    """Those of the block's lower-case output `columns` it passes on as they are, each with the
    relation it comes from and its lower-case name there (keys.source_column)."""
    sources = {column: source_column(block, column) for column in columns}
    return {column: (source[0], source[1].lower()) for column, source in sources.items() if source is not None}


def _rows_through(block: m.Block, table: m.Relation, columns: set[str], values: Mapping[str, str],
                  depth: int) -> bool | None:
    """Whether the block has one row at most for each value of `table`'s `columns`: the table has
    one for them (with the columns the block fixes), and every other relation of the block is
    joined to it with one row each, or is an APPLY of one row."""
    read = _links(block)
    joined = _joined(block, read, table, depth)
    if any(other is not table and other not in joined and not _one_applied(other) for other in block.relations):
        return None
    if any(found.several for found in joined.values()):
        return False
    return one_row_each(table, columns | read[1].get(id(table), set()), depth, {**block.fixed_values(table), **values})


def _rows_per_group(block: m.Block, columns: set[str], depth: int) -> bool | None:
    """Whether a grouped query has one row for each value of the output `columns`, where they hold
    some of its GROUP BY columns as they are: one where it returns them all (a total with no GROUP
    BY has one row in all), or each other column it groups by holds one value for them (the
    lastName of a student's Identity, grouped by beside the personID); several where one does not
    (the calendarID: a row for each calendar of the student's). None where that is not known, and
    with subtotals (ROLLUP, CUBE)."""
    if block.adds_totals or block.group_all or any(ref is None for ref in block.group_by):
        return None
    returned = {(id(ref.relation), ref.name.lower()): ref for projection in block.projections
                if projection.name.lower() in columns and (ref := passed_column(projection)) is not None}
    missing = [ref for ref in block.group_by if (id(ref.relation), ref.name.lower()) not in returned]
    if not missing:
        return True
    given = [(ref.relation, ref.name) for ref in returned.values() if ref.relation is not None]
    if not given or any(ref.relation is None for ref in block.group_by):
        return None
    return values_follow(block, given, [(ref.relation, ref.name) for ref in missing], depth)


def _correlated_to(applied: m.Relation) -> list[m.Relation]:
    """The relations of the enclosing query whose columns an APPLY's query compares with its own."""
    return list({id(ref.relation): ref.relation for block in applied.inner for predicate in block.predicates
                 for ref in predicate.columns if ref.outer and ref.relation is not None}.values())


def _applied_rows(applied: m.Relation, depth: int) -> bool | None:
    """Whether an APPLY gives each row it is applied to one row at most: a TOP 1, a total, a row
    found by its key; several where its query reads a table with several rows for the values the
    row gives it (CROSS APPLY (SELECT cs.email FROM v_CensusContactSummary cs WHERE cs.personID =
    k.personID), a row per related person)."""
    if _one_applied(applied):
        return True
    if len(applied.inner) != 1 or depth > _DEEPEST:
        return None
    inner = applied.inner[0]
    if inner.grouped or inner.windowed or inner.distinct or inner.top or not inner.relations:
        return None
    return _rows_through(inner, inner.relations[0], set(), {}, depth + 1)


def _one_applied(relation: m.Relation) -> bool:
    """An APPLY that gives each row one row at most: its query keeps the TOP 1, totals with no
    GROUP BY, or finds a row by its key (c.calendarID = e.calendarID, the outer row's)."""
    if relation.join not in m.APPLIES or len(relation.inner) != 1:
        return False
    inner = relation.inner[0]
    return inner.top_rows == 1 or (inner.grouped and _rows_per_group(inner, set(), 0) is True) or inner.reads_one_row()


def _indexed_view(view: m.Relation, columns: set[str], depth: int) -> bool | None:
    """An indexed view has one row for each value of its unique index; where that index is the key
    of a table it reads (student's enrollmentID, Enrollment's), one for each row of that table,
    and the columns it passes on from the table tell its rows apart as the table's do (student's
    personID and calendarID, as Enrollment's). None where no unique index can be followed so."""
    known = None
    for index in (index for index in view.view.indexes if index.unique):
        if {c.lower() for c in index.columns} <= columns:
            return True
        behind = [origins(view, column) for column in index.columns]
        if not all(len(found) == 1 and not found[0].computed for found in behind):
            continue
        base = behind[0][0].relation
        if base.table is None or any(found[0].relation is not base for found in behind):
            continue
        if base.table.unique_by({found[0].column.lower() for found in behind}):
            if one_row_each(base, {c for c in columns if row_equal_to(view, c, base.table, c) is base}, depth):
                return True
            known = False
    return known


def columns_joined(block: m.Block, relation: m.Relation, partner: m.Relation) -> list[str]:
    """The relation's columns joined to the partner, as written."""
    return sorted({f"{relation.alias}.{mine.name}" for mine, theirs in sides_of(block, relation) if theirs.relation is partner})


def fixed_columns(block: m.Block, relation: m.Relation) -> set[str]:
    """The relation's lower-case columns the block fixes to one value: by a filter, or by a join to
    a column a filter fixes (e.calendarID = c.calendarID AND c.calendarID = 412)."""
    return set(_links(block)[1].get(id(relation), ()))


def passed_column(projection: m.Projection) -> m.ColumnRef | None:
    """The column a SELECT list item passes on as it is, resolved to its relation."""
    if len(projection.columns) != 1 or not isinstance(projection.node.unalias(), exp.Column):
        return None
    ref = projection.columns[0]
    return ref if ref.relation is not None else None


def one_value_each(relation: m.Relation, columns: set[str], column: str, depth: int = 0) -> bool:
    """Whether the relation's `column` holds one value for each value of its lower-case `columns`
    (False where that is not known). Inside a view, derived table or CTE the values are followed
    from the tables that give the columns, along the joins that name one row: StaffMember's
    lastName from the assignment's personID to its Person row, then to the person's Identity."""
    column = column.lower()
    if column in columns or one_row_each(relation, columns, depth) is True:
        return True  # one row for them, and so one value of each column
    if relation.kind not in (m.VIEW, m.DERIVED, m.CTE) or len(relation.inner) != 1 or depth >= _DEEPEST:
        return False
    block = relation.inner[0]
    if not block.transparent:
        return False
    given = [source_column(block, name) for name in columns]
    wanted = source_column(block, column)
    if wanted is None or not given or any(source is None for source in given):
        return False
    return values_follow(block, given, [wanted], depth)


def values_follow(block: m.Block, given: list[tuple[m.Relation, str]], wanted: list[tuple[m.Relation, str]],
                  depth: int) -> bool:
    """Whether each of the block's `wanted` columns (its relation and name) holds one value for
    each value of its `given` ones."""
    known: dict[int, set[str]] = {}
    for source, name in given:
        known.setdefault(id(source), set()).add(name.lower())
    whole = _rows_named(block, known, depth)
    return all(id(holder) in whole or name.lower() in known.get(id(holder), ())
               or (id(holder) in known and one_value_each(holder, known[id(holder)], name, depth + 1))
               for holder, name in wanted)


def _rows_named(block: m.Block, known: dict[int, set[str]], depth: int) -> set[int]:
    """The relations of the block with one row for the values `known` gives (lower-case columns by
    relation id), by id; `known` gains the columns the joins tie to those values."""
    relations = {id(relation): relation for relation in block.relations}
    whole: set[int] = set()
    changed = True
    while changed:
        changed = False
        for at, columns in list(known.items()):
            if at not in whole and at in relations and one_row_each(relations[at], columns, depth + 1) is True:
                whole.add(at)
                changed = True
        for key in block.join_keys:
            for mine, other in ((key.left, key.right), (key.right, key.left)):
                if mine.relation is None or other.relation is None:
                    continue
                if id(mine.relation) in whole or mine.name.lower() in known.get(id(mine.relation), ()):
                    tied = known.setdefault(id(other.relation), set())
                    if other.name.lower() not in tied:
                        tied.add(other.name.lower())
                        changed = True
    return whole

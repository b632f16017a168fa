"""SH036: a key the rows of a temp table or table variable can repeat. The table is made with a
PRIMARY KEY or UNIQUE constraint and an INSERT fills it from Enrollment's rows for one personID
(a student enrolled twice this year), or from a student's row repeated by a join; or a SELECT
INTO or an INSERT ... SELECT fills it and a unique index or key is added after. The first time
the data holds such a pair, SQL Server stops the statement: the INSERT with error 2627, inserting
none of its rows, the index or key with error 1505. A script that ran for years fails the day a
student transfers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.script import inserted_into
from advisor.catalog.model import Catalog, Table
from advisor.checks.multiplicity import (
    fixed_columns,
    joined_rows,
    one_row_each,
    passed_column,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.words import names

_INSERT_ERROR = "error 2627 (\"Violation of {kind} constraint ... Cannot insert duplicate key in object '{table}'\")"
_INDEX_ERROR = "error 1505 (\"The CREATE UNIQUE INDEX statement terminated because a duplicate key was found\")"


@dataclass(frozen=True)
class _Repeats:
    """Why a statement's rows can repeat a key: the table whose columns the key's values are, and
    the table joined to it with several rows for each of its rows, if that is the reason."""

    relation: m.Relation
    written: list[str]  # the key's values, as the SELECT list writes them: e.personID
    repeating: m.Relation | None
    distinct: bool = False  # the SELECT is DISTINCT, and returns other columns than the key's

    def why(self) -> str:
        if self.repeating is not None:
            why = f"each {self.relation.label()} row is repeated for each of its {self.repeating.label()} rows"
        else:
            why = f"{self.relation.label()} has several rows for one {names(self.written)}"
        return why + (", which DISTINCT keeps where another column differs" if self.distinct else "")


@statement_rule("SH036")
def repeated_keys(query: Query, catalog: Catalog) -> Iterator[Hit]:
    tree = query.statement.tree
    if isinstance(tree, exp.Insert) and (into := inserted_into(tree)):
        made = query.target
        if made is not None and made.keys:
            yield from _inserted(query, tree, made.keys, [column.name.lower() for column in made.to_fill],
                                 f"{made.name} is made on line {made.line} with")
        elif (table := catalog.table(into)) is not None and (keys := _catalog_keys(table, tree)):
            yield from _inserted(query, tree, keys, [], f"{table.name} has, in the catalog,")
    if query.added_key is not None:
        yield from _added(query, query.added_key)


def _catalog_keys(table: Table, insert: exp.Insert) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The keys of a catalog table an INSERT names its columns of (a district's own staging table,
    from its exported catalog): its primary key and unique indexes."""
    if not isinstance(insert.this, exp.Schema):
        return ()
    keys = [("PRIMARY KEY", table.primary_key)] if table.primary_key else []
    return (*keys, *(("UNIQUE", index.columns) for index in table.indexes
                     if index.unique and index.columns != table.primary_key))


def _inserted(query: Query, insert: exp.Insert, keys: tuple[tuple[str, tuple[str, ...]], ...], to_fill: list[str],
              whose: str) -> Iterator[Hit]:
    filled = [c.name.lower() for c in insert.this.expressions] if isinstance(insert.this, exp.Schema) else to_fill
    select = insert.expression.unnest() if insert.expression is not None else None
    block = next((b for b in query.user_blocks if b.node is select), None)
    if block is None or len(block.projections) != len(filled):
        return
    table = (insert.this.this if isinstance(insert.this, exp.Schema) else insert.this).sql("tsql")  # as written
    for kind, key in keys:
        repeats = _repeats(block, [block.projections[filled.index(c.lower())] if c.lower() in filled else None for c in key])
        if repeats is not None:
            yield Hit(
                query.span_of(insert.this),
                f"{whose} {kind} ({', '.join(key)}), and {repeats.why()}: the first time two "
                f"of the rows this INSERT gives share a {names(list(key))}, SQL Server stops it with "
                f"{_INSERT_ERROR.format(kind=kind, table=table)} and inserts none of them.",
                _fix(table, key, repeats),
                (repeats.relation.name,),
            )
            return


def _added(query: Query, added: m.AddedKey) -> Iterator[Hit]:
    """The first of the queries whose rows the table holds that can repeat the key."""
    table, kind, key = added.table, added.kind, added.columns
    for fill in added.fills:
        by_name = {projection.name.lower(): projection for projection in fill.block.projections}
        repeats = _repeats(fill.block, [by_name.get(fill.columns.get(column.lower(), "")) for column in key])
        if repeats is None:
            continue
        how = "SELECT INTO" if fill.block.node.args.get("into") is not None else "INSERT ... SELECT"
        yield Hit(
            query.statement.span,
            f"{table} is filled on line {fill.line} by {how}, and this {kind} asks for one row per {names(list(key))}: "
            f"{repeats.why()}, and the first time the data holds two, SQL Server stops this statement with "
            f"{_INDEX_ERROR}. The script goes on without the {'index' if kind == 'UNIQUE INDEX' else 'key'}.",
            _fix(table, key, repeats),
            (repeats.relation.name,),
        )
        return


def _repeats(block: m.Block, given: list[m.Projection | None]) -> _Repeats | None:
    """Why the block's rows can repeat the values of these SELECT list items, where that is
    known: each passes on a column of one table, and that table has several rows for one value
    of them, or a table joined to it several rows for each of its rows. Under DISTINCT, only rows
    that differ in another column can: a join that repeats a row whole is undone."""
    if block.grouped or block.windowed or block.top or not given or None in given:
        return None
    if block.distinct and len(given) == len(block.projections):
        return None  # the key is every column: DISTINCT keeps one row for each
    refs = [passed_column(projection) for projection in given]
    if None in refs or len({id(ref.relation) for ref in refs}) != 1:
        return None
    relation = refs[0].relation
    one = one_row_each(relation, {ref.name.lower() for ref in refs} | fixed_columns(block, relation))
    joined = joined_rows(block, relation)
    if one is None or any(other is not relation and other not in joined for other in block.relations):
        return None  # how many rows some table gives is not known
    repeating = next((other for other, found in joined.items() if found.several), None)
    if block.distinct:  # a joined table repeats rows that differ only where its columns are returned
        shown = {id(ref.relation) for projection in block.projections for ref in projection.columns}
        repeating = repeating if repeating is not None and id(repeating) in shown else None
    if one and repeating is None:
        return None
    return _Repeats(relation, [f"{relation.alias}.{ref.name}" for ref in refs], repeating if one else None, block.distinct)


def _fix(table: str, key: tuple[str, ...], repeats: _Repeats) -> str:
    return (f"Give {table} one row per {names(list(key))}: GROUP BY {names(repeats.written)} (with MAX() or MIN() of the "
            f"other columns), or keep the latest with ROW_NUMBER() OVER (PARTITION BY {', '.join(repeats.written)} "
            "ORDER BY ... DESC) = 1; or make the key the columns that tell the rows apart.")

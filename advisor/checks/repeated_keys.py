"""SH036: an INSERT into a temp table or table variable the script makes with a PRIMARY KEY or
UNIQUE constraint, from rows that can repeat the key: Enrollment's rows for one personID (a
student enrolled twice this year), or a student's row repeated by a join to several. The first
time the data holds such a pair, SQL Server stops the INSERT with error 2627 and inserts none of
its rows; a script that ran for years fails the day a student transfers."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.script import inserted_into, made_keys, made_tables
from advisor.checks.multiplicity import fixed_columns, joined_rows, one_row_each
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.words import names


@file_rule("SH036")
def repeated_keys(context: FileContext) -> Iterator[Hit]:
    made: dict[str, tuple[list[tuple[str, tuple[str, ...]]], list[str], int]] = {}  # keys, columns to fill, line
    for query in context.queries:
        tree = query.statement.tree
        if isinstance(tree, exp.Insert) and (table := made.get(inserted_into(tree) or "")) is not None:
            hit = _repeated(query, tree, *table)
            if hit is not None:
                yield hit
        filled = dict(made_tables(tree))
        for name, keys in made_keys(tree):
            if keys:
                made[name] = (keys, [column.name.lower() for column in filled[name]], query.statement.span.line)


def _repeated(query: Query, insert: exp.Insert, keys: list[tuple[str, tuple[str, ...]]], to_fill: list[str],
              line: int) -> Hit | None:
    filled = [c.name.lower() for c in insert.this.expressions] if isinstance(insert.this, exp.Schema) else to_fill
    select = insert.expression.unnest() if insert.expression is not None else None
    block = next((b for b in query.user_blocks if b.node is select), None)
    if block is None or block.grouped or block.distinct or block.windowed or block.top or len(block.projections) != len(filled):
        return None
    for kind, key in keys:
        given = [_plain_column(block.projections[filled.index(c.lower())]) if c.lower() in filled else None for c in key]
        if not given or None in given or len({id(ref.relation) for ref in given}) != 1:
            continue
        relation = given[0].relation
        one = one_row_each(relation, {ref.name.lower() for ref in given} | fixed_columns(block, relation))
        joined = joined_rows(block, relation)
        if one is None or any(other is not relation and other not in joined for other in block.relations):
            continue  # how many rows some table gives is not known
        repeating = next((other for other, found in joined.items() if found.several), None)
        if one and repeating is None:
            continue
        written = [f"{relation.alias}.{ref.name}" for ref in given]
        return _hit(query, insert, kind, key, line, relation, written, repeating if one else None)
    return None


def _plain_column(projection: m.Projection) -> m.ColumnRef | None:
    """The column a SELECT list item passes on as it is, resolved to its relation."""
    if len(projection.columns) != 1 or not isinstance(projection.node.unalias(), exp.Column):
        return None
    ref = projection.columns[0]
    return ref if ref.relation is not None else None


def _hit(query: Query, insert: exp.Insert, kind: str, key: tuple[str, ...], line: int, relation: m.Relation,
         written: list[str], repeating: m.Relation | None) -> Hit:
    table = inserted_into(insert)
    shown = names(list(key))
    why = (f"each {relation.label()} row is repeated for each of its {repeating.label()} rows" if repeating is not None
           else f"{relation.label()} has several rows for one {names(written)}")
    return Hit(
        query.span_of(insert.this),
        f"{table} is made on line {line} with {kind} ({', '.join(key)}), and {why}: the first time two of the rows "
        f"this INSERT gives share a {shown}, SQL Server stops it with error 2627 (\"Violation of {kind} constraint "
        f"... Cannot insert duplicate key in object '{table}'\") and inserts none of them.",
        f"Give {table} one row per {shown}: GROUP BY {names(written)} (with MAX() or MIN() of the other columns), or "
        f"keep the latest with ROW_NUMBER() OVER (PARTITION BY {', '.join(written)} ORDER BY ... DESC) = 1; or make "
        "the key the columns that tell the rows apart.",
        (relation.name,),
    )

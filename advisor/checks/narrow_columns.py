"""CL015: an INSERT that puts a column into a column of the table it fills that cannot hold every
value: a varchar(50) last name into varchar(20), a count into tinyint, text into a number or a
date. It runs until the first value that does not fit, then SQL Server stops the statement."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import conversion_error, type_family
from advisor.analysis.script import inserted_into, made_tables
from advisor.checks.comparisons import known
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.unions import union_arms
from advisor.words import plural

_TYPE = re.compile(r"^\s*(\w+)\s*(?:\(\s*(\w+)\s*(?:,\s*(\d+)\s*)?\))?\s*$")
_INTEGERS = {"tinyint": 255, "smallint": 32_767, "int": 2_147_483_647, "integer": 2_147_483_647,
             "bigint": 9_223_372_036_854_775_807}
_DECIMALS = {"decimal", "numeric"}
_TRUNCATED = "error 2628 (\"String or binary data would be truncated\"; 8152 before SQL Server 2019)"
_OVERFLOW = "error 8115 (\"Arithmetic overflow error converting expression to data type\")"


@dataclass(frozen=True)
class _Size:
    """How much a type holds: text of up to `bound` characters, numbers below `bound`, or dates."""

    kind: str  # "text", "number" or "date"
    bound: float
    written: str


@file_rule("CL015")
def narrow_column(context: FileContext) -> Iterator[Hit]:
    made: dict[str, tuple[list[exp.ColumnDef], int]] = {}  # a table the script makes -> its columns to fill, its line
    for query in context.queries:
        tree = query.statement.tree
        if isinstance(tree, exp.Insert) and (table := made.get(inserted_into(tree) or "")) is not None:
            columns, line = table
            for column_def, item in _filled(query, tree, columns):
                yield from _narrower(query, inserted_into(tree), column_def, line, item)
        for name, columns in made_tables(tree):
            made[name] = (columns, query.statement.span.line)


def _filled(query: Query, insert: exp.Insert, columns: list[exp.ColumnDef]) -> Iterator[tuple[exp.ColumnDef, m.Projection]]:
    """Each column the INSERT fills, with the SELECT list item of each UNION arm that fills it."""
    by_name = {column.name.lower(): column for column in columns}
    if isinstance(insert.this, exp.Schema):
        targets = [by_name.get(column.name.lower()) for column in insert.this.expressions]
    else:
        targets = list(columns)
    blocks = {id(block.node): block for block in query.user_blocks}
    for arm in union_arms(insert.expression.unnest()) if insert.expression is not None else []:
        block = blocks.get(id(arm))
        if block is None or len(block.projections) != len(targets) or any(p.star_of for p in block.projections):
            continue  # a width CL012 reports, or a star
        for target, projection in zip(targets, block.projections):
            if target is not None:
                yield target, projection


def _narrower(query: Query, table: str, column_def: exp.ColumnDef, line: int, item: m.Projection) -> Iterator[Hit]:
    target = column_def.name
    kind = column_def.args.get("kind")
    holds = _size(kind.sql("tsql")) if isinstance(kind, exp.DataType) else None
    source = _source(query, item)
    if holds is None or source is None:
        return
    what, gives = source
    declare = f"Declare {target} as {gives.written}, as wide as what fills it"
    if gives.kind == "text" and holds.kind in ("number", "date"):
        consequence = f"the first value that is not a {holds.kind} stops the INSERT with {conversion_error(holds.written)}"
        declare = (f"Declare {target} as {gives.written}, the type of what fills it; or convert it with "
                   f"TRY_CAST(... AS {holds.written}), which gives NULL for a value that is not a {holds.kind}")
    elif gives.kind != holds.kind or gives.bound <= holds.bound:
        return
    elif holds.kind == "text":
        consequence = f"the first value longer than {plural(int(holds.bound), 'character')} stops the INSERT with {_TRUNCATED}"
    else:
        consequence = f"the first value of {int(holds.bound):,} or more stops the INSERT with {_OVERFLOW}"
    yield Hit(
        query.span_of(item.node),
        f"{table}.{target} is {holds.written} (line {line}), and this fills it with {what}, {gives.written}: "
        f"{consequence}. It runs until such a row is entered.",
        f"{declare}; or make the table with SELECT ... INTO, which gives each column the type of what fills it.",
    )


def _source(query: Query, item: m.Projection) -> tuple[str, _Size] | None:
    """What a SELECT list item gives and how much it holds: a count, or a column whose type the
    catalog gives."""
    node = item.node.unalias()
    if isinstance(node, exp.Count):
        return query.written(node), _Size("number", _INTEGERS["int"] + 1, "int")
    facts = known(item.plain) if item.plain is not None else None
    size = _size(facts.column.type) if facts is not None else None
    return (f"{query.written(node)}, which is {facts.label}", size) if size is not None else None


def _size(sql_type: str) -> _Size | None:
    """How much a declared type holds; None for one sqladvise does not compare (money, float,
    time). varchar declared with no length is varchar(1)."""
    match = _TYPE.match(sql_type.lower())
    if match is None:
        return None
    name, first, second = match.groups()
    family = type_family(name)
    if family == "text":
        if first == "max" or name in ("text", "ntext"):
            return _Size("text", float("inf"), f"{name}(max)" if first == "max" else name)
        length = int(first) if first and first.isdigit() else 1
        return _Size("text", length, f"{name}({length})")
    if family == "date":
        return _Size("date", float("inf"), name)
    if name in _INTEGERS and first is None:
        return _Size("number", _INTEGERS[name] + 1, "int" if name == "integer" else name)
    if name in _DECIMALS and first and first.isdigit():
        precision, scale = int(first), int(second or 0)
        return _Size("number", 10 ** (precision - scale), f"decimal({precision}, {scale})")
    return None

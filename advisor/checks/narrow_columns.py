"""CL015: an INSERT that puts a column into a column of the table it fills that cannot hold every
value: a varchar(50) last name into varchar(20), a count into tinyint, text into a number or a
date. It runs until the first value that does not fit, then SQL Server stops the statement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    becomes,
    conversion,
    conversion_error,
    string_text,
    text_length,
    type_family,
)
from advisor.catalog.model import Catalog, type_parts
from advisor.checks.comparisons import Known, known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.unions import union_arms
from advisor.words import plural

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


_INT = _Size("number", _INTEGERS["int"] + 1, "int")  # what COUNT(*) gives, and the column NULL AS x makes


@statement_rule("CL015")
def narrow_column(query: Query, catalog: Catalog) -> Iterator[Hit]:
    made, tree = query.target, query.statement.tree
    if made is None:
        return
    columns = _columns(made)  # lower-case name -> the name as written, its type
    if isinstance(tree, exp.Insert):
        for target, node, source in _filled(query, tree, list(columns)):
            if source is not None:
                yield from _narrower(query, made, *columns[target], node, *source)
    elif isinstance(tree, exp.Update):
        refs = query.refs_by_node()
        for target, value in _set(tree):
            given = _set_to(query, value, refs)
            if target in columns and given is not None:
                yield from _narrower(query, made, *columns[target], value, *given, "UPDATE")


def _columns(made: m.MadeTable) -> dict[str, tuple[str, _Size | None]]:
    """The columns a statement can fill, by lower-case name, each with its name as written and
    what it holds: as declared (not IDENTITY or computed columns, which fill themselves), or as
    SELECT ... INTO's list gives them ('N' AS flag makes a varchar(1) column, NULL AS note an int one)."""
    if made.declared is not None:
        return {c.name.lower(): (c.name, _declared(c)) for c in made.to_fill}
    if made.selected is None or any(item.star_of for item in made.selected.projections):
        return {}  # a star's columns: not followed
    columns: dict[str, tuple[str, _Size | None]] = {}
    for item in made.selected.projections:
        given = (None, _INT) if isinstance(item.node.unalias(), exp.Null) else _given(item)
        columns[item.name.lower()] = (item.name, given[1] if given is not None else None)
    return columns


def _declared(column: exp.ColumnDef) -> _Size | None:
    kind = column.args.get("kind")
    return _size(kind.sql("tsql")) if isinstance(kind, exp.DataType) else None


def _literal(node: exp.Expression) -> _Size | None:
    """What a string written in the query holds: its own length ('' is left alone)."""
    text = string_text(node)
    if text:
        return _Size("text", len(text), f"{'n' if isinstance(node, exp.National) else ''}varchar({len(text)})")
    return None


def _set_to(query: Query, value: exp.Expression, refs: dict[int, m.ColumnRef]) -> tuple[str, _Size] | None:
    """What an UPDATE's SET puts in a column and how much it holds: a string written in the query,
    a column of the catalog, or a subquery that returns one (SET o.lunch = (SELECT TOP 1 cs.value ...))."""
    if (written := _literal(value)) is not None:
        return as_in_file(query, value), written
    if isinstance(value, exp.Select):  # a subquery, as _set unnests it
        inner = next((b for b in query.blocks if b.node is value), None)
        ref = inner.projections[0].plain if inner is not None and len(inner.projections) == 1 else None
    else:
        ref = refs.get(id(value)) if isinstance(value, exp.Column) else None
    facts = known(ref) if ref is not None else None
    size = _size(facts.column.type) if facts is not None else None
    if size is None:
        return None
    what = f"the subquery's {as_in_file(query, ref.node)}" if isinstance(value, exp.Select) else as_in_file(query, value)
    return f"{what}, which is {facts.label}", size


def _set(update: exp.Update) -> Iterator[tuple[str, exp.Expression]]:
    for assignment in update.expressions:
        if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
            yield assignment.this.name.lower(), assignment.expression.unnest()


def _filled(query: Query, insert: exp.Insert, columns: list[str]
            ) -> Iterator[tuple[str, exp.Expression, tuple[str, _Size] | None]]:
    """Each column the INSERT fills, with what fills it, in each UNION arm's SELECT list or each
    row of its VALUES, and what that is and holds, where it is known."""
    if isinstance(insert.this, exp.Schema):
        targets = [column.name.lower() if column.name.lower() in columns else None for column in insert.this.expressions]
    else:
        targets = list(columns)
    source = insert.expression.unnest() if insert.expression is not None else None
    if isinstance(source, exp.Values):
        for row in source.expressions:
            values = row.expressions if isinstance(row, exp.Tuple) else [row]
            if len(values) == len(targets):  # a width CL012 reports
                for target, value in zip(targets, values):
                    if target is not None and (written := _literal(value)) is not None:
                        yield target, value, (as_in_file(query, value), written)
        return
    blocks = {id(block.node): block for block in query.user_blocks}
    for arm in union_arms(source) if source is not None else []:
        block = blocks.get(id(arm))
        if block is None or len(block.projections) != len(targets) or any(p.star_of for p in block.projections):
            continue  # a width CL012 reports, or a star
        for target, projection in zip(targets, block.projections):
            if target is not None:
                yield target, projection.node.unalias(), _source(query, projection)


def _narrower(query: Query, made: m.MadeTable, target: str, holds: _Size | None, node: exp.Expression,
              what: str, gives: _Size, statement: str = "INSERT") -> Iterator[Hit]:
    if holds is None:
        return
    literal = isinstance(node, (exp.Literal, exp.National))
    where = (f"with CAST(... AS {gives.written}) AS {target} in the SELECT ... INTO that makes it" if made.declared is None
             else "in its DECLARE ... TABLE" if made.name.startswith("@") else "in its CREATE TABLE")
    make = f"Make {target} {gives.written}, as wide as what fills it, {where}"
    if gives.kind == "text" and holds.kind in ("number", "date"):
        if literal and becomes(node.this, holds.written):
            return  # '5' into an int column, '2026-08-20' into a date: converted, and fits
        kind = "bit (1, 0, 'true' or 'false')" if holds.written == "bit" else holds.kind
        value = f"this value, which is not a {kind}," if literal else f"the first value that is not a {kind}"
        consequence = f"{value} stops the {statement} with {conversion_error(holds.written)}"
        make = (f"Make {target} {gives.written}, the type of what fills it, {where}; or convert with "
                f"TRY_CAST(... AS {holds.written}), which gives NULL for a value that is not a {kind}")
    elif gives.kind != holds.kind or gives.bound <= holds.bound:
        return
    elif holds.kind == "text":
        longer = f"longer than {plural(int(holds.bound), 'character')}"
        value = f"this value, {longer}," if literal else f"the first value {longer}"
        consequence = f"{value} stops the {statement} with {_TRUNCATED}"
    else:
        consequence = f"the first value of {int(holds.bound):,} or more stops the {statement} with {_OVERFLOW}"
    when = f"as soon as it {'changes' if statement == 'UPDATE' else 'inserts'} a row" if literal else (
        "It runs until such a row is entered")
    yield Hit(
        query.span_of(node),
        f"{made.name}.{target} is {holds.written} (line {made.line}), and this fills it with {what}, {gives.written}: "
        f"{consequence}{', ' if literal else '. '}{when}.",
        f"{make}.",
    )


def _source(query: Query, item: m.Projection) -> tuple[str, _Size] | None:
    """What a SELECT list item gives, as the statement writes it, and how much it holds."""
    given = _given(item)
    if given is None:
        return None
    facts, size = given
    written = as_in_file(query, item.node.unalias())
    return (f"{written}, which is {facts.label}" if facts is not None else written), size


def _given(item: m.Projection) -> tuple[Known | None, _Size] | None:
    """How much a SELECT list item holds: a count, a string written in the query, a conversion,
    or a column whose type the catalog gives (with what the catalog says of it)."""
    node = item.node.unalias()
    if isinstance(node, exp.Count):
        return None, _INT
    if (written := _literal(node)) is not None:
        return None, written
    converted = conversion(node)  # CAST(NULL AS varchar(10)) AS lunch: a column SELECT ... INTO makes to fill later
    if converted is not None and isinstance(converted[0], exp.DataType) and (size := _size(converted[0].sql("tsql"))):
        return None, size
    facts = known(item.plain) if item.plain is not None else None
    size = _size(facts.column.type) if facts is not None else None
    return (facts, size) if size is not None else None


def _size(sql_type: str) -> _Size | None:
    """How much a declared type holds; None for one sqladvise does not compare (money, float,
    time). varchar declared with no length is varchar(1)."""
    parts = type_parts(sql_type)
    if parts is None:
        return None
    name, first, second = parts
    family = type_family(name)
    if family == "text":
        length = text_length(sql_type)
        if length == float("inf"):
            return _Size("text", length, f"{name}(max)" if first == "max" else name)
        return _Size("text", length, f"{name}({int(length)})")
    if family == "date":
        return _Size("date", float("inf"), name)
    if name == "bit":  # a number other than 0 is 1: none is too large for it
        return _Size("number", float("inf"), name)
    if name in _INTEGERS and first is None:
        return _Size("number", _INTEGERS[name] + 1, "int" if name == "integer" else name)
    if name in _DECIMALS and first and first.isdigit():
        precision, scale = int(first), int(second or 0)
        return _Size("number", 10 ** (precision - scale), f"decimal({precision}, {scale})")
    return None

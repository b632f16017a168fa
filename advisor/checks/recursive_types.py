"""SH033: a recursive CTE column whose recursive part gives another type than its anchor: SQL Server
wants the very same type, length included, and refuses the statement with error 240 before it reads
a row. A path grown with `+` at every level, a list of days started from a date written as text, a
level counted from a tinyint: each is a type the anchor does not have."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.counting import column_names
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    CAST_TEXT_LENGTH,
    WIDEST_INT,
    conversion,
    unsigned_number,
)
from advisor.catalog.model import Catalog, type_parts
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

_TEXT = {"char", "varchar", "nchar", "nvarchar"}
_GROWN_TEXT = {"varchar": 8000, "nvarchar": 4000}  # joined text longer than this keeps this length
_INTEGERS = ("tinyint", "smallint", "int", "bigint")  # in SQL Server's order of precedence
_SCALED = {"datetime2", "time", "datetimeoffset"}  # written with the digits of their seconds, 7 without
_PLAIN = {"bit", "date", "datetime", "smalldatetime", "money", "smallmoney", "uniqueidentifier", *_INTEGERS}
_PATH_LENGTH = 1000  # offered for a path that grows: room for a deep chain of names


@dataclass(frozen=True)
class _Type:
    """A SQL Server type as error 240 compares them: its name and, where it has one, its length."""

    name: str
    length: float | None = None  # a text type's characters (inf for max); the seconds' digits of datetime2

    def __str__(self) -> str:
        if self.length is None:
            return self.name
        return f"{self.name}({'max' if self.length == math.inf else int(self.length)})"


@statement_rule("SH033")
def recursive_types_differ(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for reference in block.relations:
            anchors = reference.recursive_anchor
            if len(anchors) != 1:
                continue
            anchor = anchors[0]
            names = column_names(block.node, anchor)
            anchor_refs = _refs(anchor)
            own = {name.lower(): _type_of(projection.node.unalias(), anchor_refs, {})
                   for name, projection in zip(names, anchor.projections)}
            recursive_refs = _refs(block)
            for name, started, grown in zip(names, anchor.projections, block.projections):
                first, then = started.node.unalias(), grown.node.unalias()
                anchor_type, recursive_type = own[name.lower()], _type_of(then, recursive_refs, own, reference)
                if anchor_type is None or recursive_type is None or anchor_type == recursive_type:
                    continue
                if isinstance(first, exp.Column) and isinstance(then, exp.Column):
                    continue  # two columns of the catalog, whose types it approximates
                typed = ", which SQL Server types as an int" if isinstance(first, exp.Null) else ""
                yield Hit(
                    query.span_of(grown.node),
                    f"Column {name} of {reference.name} is {anchor_type} in the anchor ({as_in_file(query, first)}{typed}) and "
                    f"{recursive_type} in the recursive part ({as_in_file(query, then)}): SQL Server wants the same "
                    f"type, length included, and refuses the statement with error 240 (Types don't match between the "
                    f"anchor and the recursive part in column \"{name}\" of recursive query \"{reference.name}\").",
                    _fix(query, first, then, anchor_type, recursive_type,
                         grows=any(ref.relation is reference for ref in grown.columns)),
                    (reference.name,),
                )


def _refs(block: m.Block) -> dict[int, m.ColumnRef]:
    return {id(ref.node): ref for projection in block.projections for ref in projection.columns}


def _fix(query: Query, first: exp.Expression, then: exp.Expression, anchor_type: _Type, recursive_type: _Type,
         grows: bool) -> str:
    """Text: both parts cast to one length that holds the longer value, and a path that grows at
    every level much more. Else the value written in the anchor cast to the recursive part's type,
    or the recursive part cast to the anchor's."""
    converted = conversion(first)  # CAST(s.name AS varchar(100)): its value, cast to the longer type
    first_sql, then_sql = as_in_file(query, converted[1] if converted else first), as_in_file(query, then)
    if anchor_type.name in _GROWN_TEXT and recursive_type.name in _GROWN_TEXT:
        name = "nvarchar" if "nvarchar" in (anchor_type.name, recursive_type.name) else "varchar"
        wide = _Type(name, max(anchor_type.length, recursive_type.length, _PATH_LENGTH if grows else 0))
        return (f"Give both parts one type long enough for the longest value: CAST({first_sql} AS {wide}) in the "
                f"anchor and CAST({then_sql} AS {wide}) in the recursive part.")
    if isinstance(first, (exp.Literal, exp.National, exp.Null, exp.Neg)):
        return f"Write the anchor's value in the recursive part's type: CAST({first_sql} AS {recursive_type})."
    return f"Convert the recursive part to the anchor's type: CAST({then_sql} AS {anchor_type})."


def _type_of(node: exp.Expression, refs: dict[int, m.ColumnRef], own: dict[str, _Type | None],
             reference: m.Relation | None = None) -> _Type | None:
    """The SQL Server type of a value, where the query fixes it: a string or number written out,
    NULL (an int), a CAST or CONVERT, a column of the catalog or of the CTE itself, text joined with
    +, a number added to, DATEADD. None elsewhere."""
    node = node.unnest()
    if isinstance(node, exp.National) or isinstance(node, exp.Literal) and node.is_string:
        # '' is left unknown: a type of no length is not one to name, nor to compare
        return _Type("nvarchar" if isinstance(node, exp.National) else "varchar", len(node.this)) if node.this else None
    if isinstance(node, exp.Neg):
        node = node.this
    if isinstance(node, exp.Literal):
        number = unsigned_number(node)
        return _Type("int") if number is not None and number <= WIDEST_INT else None
    if isinstance(node, exp.Null):
        return _Type("int")
    converted = conversion(node)
    if converted is not None:
        return _declared(converted[0].sql("tsql"), CAST_TEXT_LENGTH) if isinstance(converted[0], exp.DataType) else None
    if isinstance(node, exp.Column):
        return _column_type(node, refs, own, reference)
    if isinstance(node, exp.DateAdd):
        moved = _type_of(node.this, refs, own, reference)
        if moved is None:
            return None
        return moved if moved.name in ("date", "datetime", "smalldatetime", *_SCALED) else (
            _Type("datetime") if moved.name in _TEXT else None)
    if isinstance(node, exp.Add):
        return _added(_type_of(node.this, refs, own, reference), _type_of(node.expression, refs, own, reference))
    return None


def _column_type(node: exp.Column, refs: dict[int, m.ColumnRef], own: dict[str, _Type | None],
                 reference: m.Relation | None) -> _Type | None:
    ref = refs.get(id(node))
    if ref is None:
        return None
    if reference is not None and ref.relation is reference:
        return own.get(ref.name.lower())
    facts = known(ref)
    return _declared(facts.column.type, 1) if facts is not None else None


def _added(left: _Type | None, right: _Type | None) -> _Type | None:
    """a + b: text joined (the lengths summed, up to varchar's 8000 or nvarchar's 4000), or a sum
    of whole numbers (the type higher in precedence)."""
    if left is None or right is None:
        return None
    if left.name in _GROWN_TEXT and right.name in _GROWN_TEXT:
        name = "nvarchar" if "nvarchar" in (left.name, right.name) else "varchar"
        length = left.length + right.length
        return _Type(name, length if length == math.inf else min(length, _GROWN_TEXT[name]))
    if left.name in _INTEGERS and right.name in _INTEGERS:
        return max(left, right, key=lambda t: _INTEGERS.index(t.name))
    return None


def _declared(sql_type: str, unsized_text: int) -> _Type | None:
    """A type as the catalog or a CAST writes it; text without a length is `unsized_text` long."""
    parts = type_parts(sql_type)
    if parts is None:
        return None
    name, size, _ = parts
    name = {"integer": "int"}.get(name, name)
    if name in _TEXT:
        return _Type(name, math.inf if size == "max" else int(size) if size and size.isdigit() else unsized_text)
    if name in _SCALED:
        return _Type(name, int(size) if size and size.isdigit() else 7)
    return _Type(name) if name in _PLAIN else None

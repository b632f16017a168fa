"""CL024: CAST(x AS char) or CONVERT(char, x) with no length is char(30), which pads a shorter value
with spaces to 30 characters. Comparisons ignore trailing spaces, so the padding goes unseen until
the value is joined to more text or returned: 'Grade ' + CAST(e.grade AS char) + ' only' puts 28
spaces in the middle, and an extract's column carries them to the file."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import CAST_TEXT_LENGTH, conversion_parts
from advisor.catalog.model import Catalog
from advisor.checks.cut_text import most_characters
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import plural

_FIXED_WIDTH = {exp.DataType.Type.CHAR: "char", exp.DataType.Type.NCHAR: "nchar"}
_JOINED, _RETURNED = "joined", "returned"
_PASSING = (m.CTE, m.DERIVED)  # a query whose columns the statement reads on


@statement_rule("CL024")
def padded_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    refs = None
    for converted in query.calls((exp.Cast, exp.Convert)):
        kind, value = conversion_parts(converted)
        written = _FIXED_WIDTH.get(kind.this) if isinstance(kind, exp.DataType) else None
        if written is None or kind.expressions or not isinstance(value, exp.Expression) or isinstance(value, exp.Null):
            continue  # (CAST(NULL AS char) stays NULL)
        refs = query.refs_by_node() if refs is None else refs
        shown = _shown(query, converted, refs, set())
        if shown is None:
            continue
        longest = most_characters(value, refs)
        if longest is not None and longest >= CAST_TEXT_LENGTH:  # as long has no padding; longer is cut (CL017)
            continue
        yield _padded(query, converted, value, written, longest, shown)


def _shown(query: Query, value: exp.Expression, refs: dict[int, m.ColumnRef], seen: set[int]) -> str | None:
    """Whether the padded value is joined to more text or returned as a column of the result,
    where it is or through the CTEs and derived tables that pass it on; None where its spaces are
    dropped or ignored (a comparison, RTRIM, LEN)."""
    node, parent = value, value.parent
    while isinstance(parent, exp.Paren):
        node, parent = parent, parent.parent
    if isinstance(parent, (exp.Add, exp.DPipe, exp.Concat)):
        return _JOINED
    if isinstance(parent, exp.Alias):
        node, parent = parent, parent.parent
    if not isinstance(parent, exp.Select):
        return None
    at = next((at for at, item in enumerate(parent.expressions) if item is node), None)
    if at is None:
        return None
    return _RETURNED if _returned(query, parent) else _passed_on(query, parent, at, refs, seen)


def _passed_on(query: Query, select: exp.Select, column: int | str, refs: dict[int, m.ColumnRef],
               seen: set[int]) -> str | None:
    """How a column of a CTE's or derived table's SELECT, by its place in the SELECT list or by
    name, shows where the statement reads it: by name, or in a star. `seen` holds the relations
    followed, as a recursive CTE reads itself."""
    for relation in query.relations:
        arm = next((block for block in relation.inner if block.node is select), None)
        outer = _outer_name(relation, arm, column) if relation.kind in _PASSING and arm is not None else None
        if outer is None or id(relation) in seen:
            continue
        seen.add(id(relation))
        for ref in refs.values():
            if ref.relation is relation and ref.name.lower() == outer and (shown := _shown(query, ref.node, refs, seen)):
                return shown
        for block in query.blocks:
            if any(relation in (p.star_of or ()) for p in block.projections) and isinstance(block.node, exp.Select):
                shown = _RETURNED if _returned(query, block.node) else _passed_on(query, block.node, outer, refs, seen)
                if shown:
                    return shown
    return None


def _outer_name(relation: m.Relation, arm: m.Block, column: int | str) -> str | None:
    """What the statement calls a column of one of the relation's SELECTs, in lower case: a
    UNION's columns take the first arm's names, and the alias's column list renames them. None
    where a star before it hides its place."""
    if isinstance(column, int):
        at = column if all(p.star_of is None for p in arm.projections[:column]) else None
    else:
        own = [name.lower() for name in arm.output_names()]
        at = own.index(column) if column in own else None
    names = relation.declared_columns or relation.inner[0].output_names()
    return names[at].lower() if at is not None and at < len(names) else None


def _returned(query: Query, select: exp.Select) -> bool:
    """A SELECT whose rows are the statement's result: the statement itself, or an arm of its UNION."""
    node = select
    while node is not query.statement.tree:
        if not isinstance(node.parent, (exp.SetOperation, exp.Subquery)):
            return False
        node = node.parent
    return query.returns_rows


def _padded(query: Query, converted: exp.Expression, value: exp.Expression, written: str, longest: float | None,
            shown: str) -> Hit:
    function = "CAST" if isinstance(converted, exp.Cast) else "CONVERT"
    what = as_in_file(query, value)
    if longest is None:
        padding, fitting = "a shorter value with spaces to 30 characters", f"varchar({CAST_TEXT_LENGTH})"
    else:
        spaces = plural(CAST_TEXT_LENGTH - int(longest), "space")
        padding = (f"{what}, at most {plural(int(longest), 'character')}, with spaces to 30 characters (at least "
                   f"{spaces})")
        fitting = f"varchar({max(int(longest), 1)})"
    where = ("the text it is joined to keeps them" if shown == _JOINED
             else "the result's column keeps them, and so does a file extracted from it")
    kept = fitting if written == "char" else f"n{fitting}"
    rewritten = f"CAST({what} AS {kept})" if function == "CAST" else f"CONVERT({kept}, {what})"
    return Hit(
        query.span_of(converted),
        f"{as_in_file(query, converted)} is {written}({CAST_TEXT_LENGTH}), as {function} reads {written} with no length: "
        f"SQL Server pads {padding}, and {where}.",
        f"Convert to {kept}, which adds no spaces: {rewritten}; or give {written} the width meant, where a fixed width "
        "is wanted.",
    )

"""CL024: CAST(x AS char) or CONVERT(char, x) with no length is char(30), which pads a shorter value
with spaces to 30 characters. Comparisons ignore trailing spaces, so the padding goes unseen until
the value is joined to more text or returned: 'Grade ' + CAST(e.grade AS char) + ' only' puts 28
spaces in the middle, and an extract's column carries them to the file."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import CAST_TEXT_LENGTH, conversion_parts
from advisor.catalog.model import Catalog
from advisor.checks.cut_text import most_characters
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import plural

_FIXED_WIDTH = {exp.DataType.Type.CHAR: "char", exp.DataType.Type.NCHAR: "nchar"}
_JOINED, _RETURNED = "joined", "returned"


@statement_rule("CL024")
def padded_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    refs = None
    for converted in query.calls((exp.Cast, exp.Convert)):
        kind, value = conversion_parts(converted)
        written = _FIXED_WIDTH.get(kind.this) if isinstance(kind, exp.DataType) else None
        if written is None or kind.expressions or not isinstance(value, exp.Expression) or isinstance(value, exp.Null):
            continue  # (CAST(NULL AS char) stays NULL)
        shown = _where_shown(query, converted)
        if shown is None:
            continue
        refs = query.refs_by_node() if refs is None else refs
        longest = most_characters(value, refs)
        if longest is not None and longest >= CAST_TEXT_LENGTH:  # as long has no padding; longer is cut (CL017)
            continue
        yield _padded(query, converted, value, written, longest, shown)


def _where_shown(query: Query, converted: exp.Expression) -> str | None:
    """Whether the padded value is joined to more text or returned as a column of the result;
    None where its spaces are dropped or ignored (a comparison, RTRIM, LEN)."""
    node, parent = converted, converted.parent
    while isinstance(parent, exp.Paren):
        node, parent = parent, parent.parent
    if isinstance(parent, (exp.Add, exp.DPipe, exp.Concat)):
        return _JOINED
    if isinstance(parent, exp.Alias):
        node, parent = parent, parent.parent
    if isinstance(parent, exp.Select) and any(item is node for item in parent.expressions) and _returned(query, parent):
        return _RETURNED
    return None


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

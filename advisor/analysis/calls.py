"""Calls in a query block: of user functions (dbo.f(x), as opposed to a method of a value), and of
FORMAT()."""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from advisor.analysis import model as m


def function_calls(nodes: Iterable[exp.Expression], block: m.Block) -> list[exp.Anonymous]:
    """The qualified calls among the nodes (a user function is called with its schema: dbo.f(x))
    that are not methods of a value, nor $PARTITION.f(x), SQL Server's own call of a partition
    function."""
    return [call for node in nodes for call in node.find_all(exp.Anonymous)
            if isinstance(call.parent, exp.Dot) and not _method_call(call, block)
            and _names(call.parent.this)[0].upper() != "$PARTITION"]


def unqualified_calls(calls: Iterable[exp.Anonymous]) -> list[exp.Anonymous]:
    """The calls of a function sqlglot does not know written without a schema (fn_GetGrade(x)),
    but for a table-valued function in FROM or APPLY, which may be, and an index named in a table
    hint."""
    return [call for call in calls
            if not (isinstance(call.parent, exp.Dot) and call.parent.expression is call)
            and not isinstance(call.parent, (exp.Table, exp.Lateral)) and call.find_ancestor(exp.WithTableHint) is None]


def format_calls(query: m.Query, block: m.Block) -> list[exp.Expression]:
    """The FORMAT() calls in the block's SELECT list, as written: sqlglot reads DATENAME(month, d)
    as a FORMAT too, and DATENAME is a plain conversion."""
    return [call for p in block.projections for call in p.node.find_all(exp.TimeToStr, exp.NumberToStr)
            if query.written(call).lstrip().upper().startswith("FORMAT")]


def _method_call(call: exp.Anonymous, block: m.Block) -> bool:
    """t.c.value(...), c.query(...), (SELECT ... FOR XML PATH(''), TYPE).value(...): a method of an
    xml, hierarchyid or spatial value, written after the column (and its table's alias) or the
    expression; a function is written after its schema's name (dbo.f)."""
    if not isinstance(call.parent.this, (exp.Identifier, exp.Dot)):
        return True
    qualifier = _names(call.parent.this)
    if len(qualifier) > 1:
        return qualifier[0].lower() in {r.alias.lower() for r in block.relations}
    columns = {c.lower() for r in block.relations for c in r.output_columns or ()}
    return qualifier[0].lower() in columns


def _names(node: exp.Expression) -> list[str]:
    """a.b.c as [a, b, c]."""
    return _names(node.this) + _names(node.expression) if isinstance(node, exp.Dot) else [node.name]

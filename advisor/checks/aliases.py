"""CL008: a SELECT list's name for a value used in WHERE, GROUP BY, HAVING or a join's ON, which
SQL Server reads before the SELECT list, in another item of the SELECT list itself, which gets
its names all at once, or inside an ORDER BY expression (ORDER BY band + 1), where only an item of
its own may be a name: the statement stops with "Invalid column name"."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.columns import offered_outside
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# How each clause a condition is in is named
_CLAUSES = {"where": "WHERE", "having": "HAVING", "on": "ON"}
_SELECT_LIST = "SELECT"
_ORDER_BY = "ORDER BY"
# What stays one value when written in place of a name: it needs no parentheses
_WHOLE = (exp.Func, exp.Column, exp.Literal, exp.Paren, exp.Case, exp.Cast)


@statement_rule("CL008")
def alias_read_too_early(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for clause, column, value in early_aliases(block):
            name = column.name
            written = as_in_file(query, value, cut=False)
            meant = written if isinstance(value, _WHOLE) else f"({written})"
            # a row's own value can be computed beside it; a group's total or a window's cannot
            used = "the SELECT list" if clause == _SELECT_LIST else f"the SELECT list and in {clause}"
            once = ("" if value.find(exp.AggFunc, exp.Window) else f", or compute it once in a CROSS APPLY (SELECT "
                    f"{written} AS {name}) x and use x.{name} in {used}")
            when = ("gives its names all at once, after it has worked out every value, so none of its other items can "
                    "use one" if clause == _SELECT_LIST else
                    "takes a SELECT list name in ORDER BY as an item of its own only, not inside an expression"
                    if clause == _ORDER_BY else f"reads {clause} before the SELECT list, where the name is given")
            yield Hit(
                query.span_of(column),
                f"{name} is the SELECT list's name for {as_in_file(query, value)}, but SQL Server {when}: it stops with "
                f"error 207, \"Invalid column name '{name}'\".",
                f"Write the value itself in place of the name ({meant}){once}.",
            )


def early_aliases(block: m.Block) -> Iterator[tuple[str, exp.Column, exp.Expression]]:
    """Each use in WHERE, GROUP BY, HAVING, ON, the SELECT list or an ORDER BY expression of a name
    the SELECT list gives a value, with the clause and the value: names the analysis found in none
    of the block's tables, nor an enclosing query's."""
    select = block.node
    if not isinstance(select, exp.Select) or any(relation.output_columns is None for relation in block.relations):
        return
    given = {p.name.lower(): _value(p) for p in block.projections if isinstance(p.node, exp.Alias)}
    if not given:
        return
    refs = [*((_CLAUSES[p.clause], ref) for p in block.predicates for ref in p.columns),
            *(("GROUP BY", ref) for ref in block.group_by if ref is not None),
            *((_SELECT_LIST, ref) for p in block.projections for ref in p.columns
              if given.get(ref.name.lower()) is not _value(p)),  # its own name: not one the list gave yet
            *((_ORDER_BY, ref) for ref in block.ordered_by if not _sort_item(ref.node))]
    columns = None
    for clause, ref in refs:
        name = ref.name.lower()
        if ref.relation is not None or ref.node.table or name not in given:
            continue
        columns = columns or {c.lower() for relation in block.relations for c in relation.output_columns}
        if name not in columns and not offered_outside(block, name):
            yield clause, ref.node, given[name]


def _sort_item(column: exp.Column) -> bool:
    """Whether a column is an ORDER BY item of its own (ORDER BY band DESC), where a SELECT list
    name may stand, not part of one (ORDER BY band + 1)."""
    parent = column.parent
    return isinstance(parent, exp.Order) or isinstance(parent, exp.Ordered) and isinstance(parent.parent, exp.Order)


def _value(projection: m.Projection) -> exp.Expression | None:
    """The value a SELECT list item names: SELECT value AS name."""
    return projection.node.this if isinstance(projection.node, exp.Alias) else None

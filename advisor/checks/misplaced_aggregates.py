"""CL019: an aggregate or a window function where SQL Server does not take one, which it refuses
before it reads a row: COUNT(...) in a WHERE, a SELECT's or an UPDATE's (147), or in an UPDATE's
SET (157), ROW_NUMBER() OVER (...) anywhere but the SELECT list and ORDER BY (4108), an aggregate
of an aggregate or of a subquery (130), of a window (4109), and an aggregate or a subquery in
GROUP BY (144)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import own_nodes, window_of
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

_SUBQUERIES = (exp.Select, exp.SetOperation, exp.Subquery)
_REFUSED = "SQL Server refuses the statement before it reads a row"
# the clauses of a SELECT, by the key sqlglot keeps them under, where a window function may not stand
_NO_WINDOWS = {"where": "the WHERE clause", "having": "HAVING", "group": "GROUP BY", "joins": "an ON condition"}


@statement_rule("CL019")
def misplaced_aggregates(query: Query, catalog: Catalog) -> Iterator[Hit]:
    blocks = {id(block.node): block for block in query.user_blocks if isinstance(block.node, exp.Select)}
    # the statement's function calls, found in one walk for every check: most hold no aggregate or window
    for call in query.calls(exp.Func):
        window = window_of(call)
        if window is None and not isinstance(call, exp.AggFunc):
            continue
        node = window if window is not None else call
        clause, select = _clause(node)
        if select is None:  # an UPDATE's own SET or WHERE, outside any SELECT
            yield from _in_update(query, node, window is not None)
            continue
        block = blocks.get(id(select))
        if block is None:
            continue
        if window is not None and clause in _NO_WINDOWS:
            yield _window_hit(query, window, _NO_WINDOWS[clause])
        elif window is None and clause == "where":
            outer = {id(ref.node) for ref in block.column_refs() if ref.outer}
            if not any(id(column) in outer for column in call.find_all(exp.Column)):
                yield _where_hit(query, call, block)
        elif window is None and clause in ("expressions", "having", "order"):
            inner = next((n for n in own_nodes(call, include_boundaries=True)[1:]
                          if isinstance(n, (*_SUBQUERIES, exp.Window)) or _aggregate(n)), None)
            if inner is not None:
                yield _nested_hit(query, call, inner)
    for block in blocks.values():
        yield from _grouped_by_totals(query, block.node.args.get("group"))


def _clause(node: exp.Expression) -> tuple[str | None, exp.Expression | None]:
    """The clause of its own SELECT a node stands in, by sqlglot's key for it, and that SELECT."""
    child, parent = node, node.parent
    while parent is not None and not isinstance(parent, exp.Select):
        child, parent = parent, parent.parent
    return (child.arg_key, parent) if parent is not None else (None, None)


def _in_update(query: Query, node: exp.Expression, windowed: bool) -> Iterator[Hit]:
    """A window function in an UPDATE's SET or WHERE (4108), an aggregate in its SET (157) or
    WHERE (147)."""
    child, parent = node, node.parent
    while parent is not None and not isinstance(parent, exp.Update):
        child, parent = parent, parent.parent
    if parent is None or parent is not query.statement.tree or child.arg_key not in ("expressions", "where"):
        return
    written = as_in_file(query, node)
    if windowed:
        clause = "an UPDATE's SET" if child.arg_key == "expressions" else "the WHERE clause"
        yield Hit(
            query.span_of(node),
            f"{written} is a window function in {clause}: {_REFUSED} (error 4108: Windowed functions can only appear "
            "in the SELECT or ORDER BY clauses).",
            f"Number the rows in a CTE that returns {written} as a column with a name, and UPDATE the CTE: WITH n AS "
            "(SELECT ..., ROW_NUMBER() OVER (...) AS rowNumber FROM ...) UPDATE n SET ... = n.rowNumber.",
        )
    else:
        yield Hit(
            query.span_of(node),
            f"{written} is an aggregate in an UPDATE's SET: {_REFUSED} (error 157: An aggregate may not appear in the "
            "set list of an UPDATE statement)." if child.arg_key == "expressions" else
            f"{written} is an aggregate in an UPDATE's WHERE: {_REFUSED} (error 147: An aggregate may not appear in "
            "the WHERE clause unless it is in a subquery contained in a HAVING clause or a select list).",
            "Work the total out in a derived table or CROSS APPLY (SELECT COUNT(*) AS n ...) x joined in the UPDATE's "
            "FROM, and use x.n.",
        )


def _aggregate(node: exp.Expression) -> bool:
    """An aggregate that totals the rows of its query: not a window's (SUM(x) OVER (...))."""
    return isinstance(node, exp.AggFunc) and window_of(node) is None


def _grouped_by_totals(query: Query, group: exp.Group | None) -> Iterator[Hit]:
    if group is None:
        return
    for item in group.expressions:
        found = next((n for n in own_nodes(item, include_boundaries=True)
                      if isinstance(n, _SUBQUERIES) or _aggregate(n)), None)
        if found is not None:
            what = "a subquery" if isinstance(found, _SUBQUERIES) else "an aggregate"
            held = f"is {what}" if found is item.unnest() or found is item else f"holds {what}, {as_in_file(query, found)}"
            yield Hit(
                query.span_of(found),
                f"{as_in_file(query, item)} in GROUP BY {held}: {_REFUSED} (error "
                "144: Cannot use an aggregate or a subquery in an expression used for the group by list of a GROUP "
                "BY clause).",
                f"Work out {as_in_file(query, item)} in a derived table or CTE, as a column with a name, and group "
                "by that name outside it.",
            )


def _where_hit(query: Query, aggregate: exp.Expression, block: m.Block) -> Hit:
    written = as_in_file(query, aggregate)
    fix = (f"Test {written} in HAVING, after the GROUP BY: WHERE keeps rows before they are grouped, HAVING keeps "
           "groups." if block.grouped else
           f"Group the rows the total is of and test {written} in HAVING, or work the total out in a subquery "
           "and compare with that.")
    return Hit(
        query.span_of(aggregate),
        f"{written} is an aggregate in the WHERE clause: {_REFUSED} (error 147: An aggregate may not appear in the "
        "WHERE clause unless it is in a subquery contained in a HAVING clause or a select list).",
        fix,
    )


def _window_hit(query: Query, window: exp.Window, clause: str) -> Hit:
    written = as_in_file(query, window)
    return Hit(
        query.span_of(window),
        f"{written} is a window function in {clause}: {_REFUSED} (error 4108: Windowed functions can only appear "
        "in the SELECT or ORDER BY clauses).",
        f"Return {written} as a column with a name (AS rowNumber) in a CTE or derived table, and test that name in "
        "the WHERE of the query that reads it: WHERE rowNumber = 1.",
    )


def _nested_hit(query: Query, aggregate: exp.Expression, inner: exp.Expression) -> Hit:
    written, inside = as_in_file(query, aggregate), as_in_file(query, inner)
    kind = ("a window function" if isinstance(inner, exp.Window) else "a subquery" if isinstance(inner, _SUBQUERIES)
            else "an aggregate")
    if isinstance(inner, exp.Window):
        code, error, fix = (4109, "Windowed functions cannot be used in the context of another windowed function or "
                            "aggregate", f"Return {inside} as a column of a derived table or CTE, and total that "
                            "column in the query that reads it.")
    elif isinstance(inner, _SUBQUERIES):
        code, error, fix = (130, "Cannot perform an aggregate function on an expression containing an aggregate or a "
                            "subquery", "Join the table the subquery reads (or CROSS APPLY the subquery) and total "
                            "its column, or total inside the subquery itself.")
    else:
        code, error, fix = (130, "Cannot perform an aggregate function on an expression containing an aggregate or a "
                            "subquery", f"Total in two steps: {inside} in a derived table grouped by the rows it is "
                            f"of, then the outer total over that table's column; or {written} OVER (), a window over "
                            "the groups, where every row is to show the total of all of them.")
    return Hit(
        query.span_of(aggregate),
        f"{written} is an aggregate of {kind}, {inside}: {_REFUSED} (error {code}: {error}).",
        fix,
    )

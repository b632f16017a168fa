"""SH027: one row picked in an order that two rows can share: ROW_NUMBER() with WHERE rn = 1, or
TOP 1 ... ORDER BY in a subquery, an APPLY or a derived table. Which of the tied rows comes first
is not set, and the extract keeps a different one from run to run."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.keys import CannotTell, Unpinned, unpinned
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names

# A pick that can need every table's key: a join of this many tables that each give several rows
_MOST_KEYS = 8


@statement_rule("SH027")
def row_number_ties(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if block.windowed:
            yield from _numbered(query, block)
        if block.top and block.ordered and _nested(block):
            yield from _topped(query, block)


def _numbered(query: Query, block: m.Block) -> Iterator[Hit]:
    """ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) AS rn, with rn = 1 in the query around."""
    for projection in block.projections:
        window = projection.node.unalias()
        if not isinstance(window, exp.Window) or not isinstance(window.this, exp.RowNumber):
            continue
        filtered = _filtered_on(query, block, projection.name)
        refs = {id(ref.node): ref for ref in projection.columns}
        items = (window.args.get("order") or exp.Order()).expressions
        read = [refs.get(id(node)) if isinstance(node, exp.Column) else None
                for node in [*(window.args.get("partition_by") or []), *(item.this for item in items)]]
        if filtered is None or not items:
            continue  # numbering for its own sake
        tied = _ties(block, read, before_top=False)
        if tied is None:
            continue
        ties, fix = tied
        yield Hit(
            query.span_of(window),
            f"ROW_NUMBER() numbers the rows in the order of {_order(query, items)}, but two rows can have the same "
            f"{names([as_in_file(query, ref.node) for ref in read])} ({_several(ties)}): which of them is numbered 1 is "
            f"not set, and can change from one run to the next, so {filtered} keeps one of them at random.",
            _fix(query, items, fix),
        )


def _topped(query: Query, block: m.Block) -> Iterator[Hit]:
    """SELECT TOP n ... ORDER BY in a query inside another: the first rows of the order."""
    limit = block.node.args["limit"]
    options = limit.args.get("limit_options")
    if options is not None and (options.args.get("percent") or options.args.get("with_ties")):
        return  # WITH TIES keeps every tied row; a share of the rows is not a pick of one
    if isinstance(block.node.parent, exp.Exists):
        return  # EXISTS asks whether a row is found, not which
    items = block.node.args["order"].expressions
    refs = {id(ref.node): ref for ref in block.ordered_by}
    read = [refs.get(id(item.this)) for item in items]
    sorted_by = {(id(ref.relation), ref.name.lower()) for ref in read if ref is not None}
    if all(p.plain is not None and (id(p.plain.relation), p.plain.name.lower()) in sorted_by for p in block.projections):
        return  # TOP 1 e.startDate ... ORDER BY e.startDate: tied rows return the same values
    tied = _ties(block, read, before_top=True)
    if tied is None:
        return
    ties, fix = tied
    fetched = isinstance(limit, exp.Fetch)  # OFFSET m ROWS FETCH NEXT n ROWS ONLY: n rows, after the first m
    count = as_in_file(query, limit.args.get("count") if fetched else limit.expression)
    offset = block.node.args.get("offset")
    skipped = as_in_file(query, offset.expression) if fetched and offset is not None else "0"
    first, kept = (("the first row", "comes first is not set, and can change from one run to the next, so the row kept can "
                    "be either") if block.top_rows == 1 and skipped == "0" else
                   (f"the first {count} rows" if skipped == "0" else f"the {count} rows after the first {skipped}",
                    "come first is not set, and can change from one run to the next, so the rows kept at the cut can "
                    "differ"))
    yield Hit(
        query.span_of(block.node.args["order"]),
        f"{'FETCH NEXT ' + count + ' ROWS' if fetched else 'TOP ' + count} keeps {first} in the order of "
        f"{_order(query, items)}, but two rows can have the same "
        f"{names([as_in_file(query, ref.node) for ref in read])} ({_several(ties)}): which of them {kept}.",
        _fix(query, items, fix),
    )


def _nested(block: m.Block) -> bool:
    """Whether the SELECT gives rows or a value to another statement or query: a subquery (a
    variable's value too), an APPLY, a derived table or a CTE, or a SELECT that sets variables
    (SELECT TOP 1 @calendarID = c.calendarID ...)."""
    return (block.parent is not None or isinstance(block.node.parent, exp.Subquery)
            or any(isinstance(item, exp.EQ) and isinstance(item.this, exp.Parameter) for item in block.node.expressions)
            or bool(block.readers))


def _ties(block: m.Block, read: list[m.ColumnRef | None], before_top: bool) -> tuple[Unpinned, list[str]] | None:
    """The first relation whose rows can tie on the `read` columns, and the key columns, as the
    fix writes them, that tell every tied row apart (empty where no key is known); None where no
    two rows can tie or sqladvise cannot tell (an order by something computed)."""
    if any(ref is None or ref.relation is None for ref in read):
        return None
    fixed = tuple((ref.relation, ref.name, None, None) for ref in read)
    try:
        ties = first = unpinned(block, {}, fixed, before_top)
        apart: list[str] = []
        for _ in range(_MOST_KEYS):
            if ties is None:
                return (first, apart) if first is not None else None
            key = _key(ties)
            if not key:
                return first, []
            apart += [f"{ties.relation.alias}.{column}" for column in key]
            fixed += tuple((ties.relation, column, None, None) for column in key)
            ties = unpinned(block, {}, fixed, before_top)
    except CannotTell:
        return None
    return first, []


def _key(ties: Unpinned) -> list[str]:
    """What tells a relation's rows apart: its table's key, or an indexed view's unique index."""
    if ties.within is None:
        return list(ties.relation.table.primary_key)
    indexes = ties.relation.view.indexes if ties.relation.view is not None else ()
    return next((list(index.columns) for index in indexes if index.unique), [])


def _several(ties: Unpinned) -> str:
    table = ties.innermost.relation.table
    key = list(table.primary_key)
    return (f"{ties.relation.label()} can give several: {table.name} rows are told apart by "
            f"{names(key) if key else 'a key the catalog does not give'}")


def _order(query: Query, items: list[exp.Expression]) -> str:
    return names([as_in_file(query, item.this) for item in items])


def _filtered_on(query: Query, block: m.Block, name: str) -> str | None:
    """The condition of an enclosing query on the numbered column (rn = 1), as written; None where
    nothing keeps some numbers only."""
    for relation in block.readers:
        for predicate in relation.block.predicates:
            if any(ref.relation is relation and ref.name.lower() == name.lower() for ref in predicate.columns):
                return as_in_file(query, predicate.node)
    return None


def _fix(query: Query, items: list[exp.Expression], apart: list[str]) -> str:
    """Ordered last by the keys that tell the tied rows apart."""
    if not apart:
        return ("End the ORDER BY with columns that tell the rows apart (a key of the table they come from), or put "
                "first what says which row is wanted.")
    return (f"End the ORDER BY with what no two rows share: ORDER BY {', '.join(as_in_file(query, i) for i in items)}, "
            f"{', '.join(apart)}; or put first what says which row is wanted.")

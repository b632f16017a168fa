"""SH027: ROW_NUMBER() picking one row of each partition (WHERE rn = 1) in an order that two rows
can share: which of them is numbered 1 is not set, and the extract keeps a different one from
run to run."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.keys import CannotTell, unpinned
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names


@statement_rule("SH027")
def row_number_ties(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.windowed:
            continue
        for projection in block.projections:
            window = projection.node.unalias()
            if not isinstance(window, exp.Window) or not isinstance(window.this, exp.RowNumber):
                continue
            filtered = _filtered_on(query, block, projection.name)
            refs = {id(ref.node): ref for ref in projection.columns}
            items = (window.args.get("order") or exp.Order()).expressions
            ordered = [item.this for item in items]
            read = [refs.get(id(node)) if isinstance(node, exp.Column) else None
                    for node in [*(window.args.get("partition_by") or []), *ordered]]
            if filtered is None or not ordered or any(ref is None or ref.relation is None for ref in read):
                continue  # numbering for its own sake, or an order by something computed
            try:
                ties = unpinned(block, {}, tuple((ref.relation, ref.name, None, None) for ref in read))
            except CannotTell:
                continue
            if ties is None:
                continue
            table = ties.innermost.relation.table
            key = list(table.primary_key)
            yield Hit(
                query.span_of(window),
                f"ROW_NUMBER() numbers the rows in the order of {names([as_in_file(query, n) for n in ordered])}, but two "
                f"rows can have the same {names([as_in_file(query, ref.node) for ref in read])} ({ties.relation.label()} "
                f"can give several: {table.name} rows are told apart by {names(key) if key else 'a key the catalog does not give'}): "
                f"which of them is numbered 1 is not set, and can change from one run to the next, so {filtered} keeps "
                "one of them at random.",
                _fix(query, items, ties.relation, key, ties.within is None),
            )


def _filtered_on(query: Query, block: m.Block, name: str) -> str | None:
    """The condition of an enclosing query on the numbered column (rn = 1), as written; None where
    nothing keeps some numbers only."""
    for outer in query.user_blocks:
        for relation in outer.relations:
            if not any(inner is block for inner in relation.inner):
                continue
            for predicate in outer.predicates:
                if any(ref.relation is relation and ref.name.lower() == name.lower() for ref in predicate.columns):
                    return as_in_file(query, predicate.node)
    return None


def _fix(query: Query, items: list[exp.Expression], relation: m.Relation, key: list[str], own: bool) -> str:
    """Ordered last by a key of the relation: its table's, or an indexed view's unique index."""
    indexes = relation.view.indexes if relation.view is not None else ()
    apart = key if own else next((list(index.columns) for index in indexes if index.unique), [])
    if not apart:
        return ("End the ORDER BY with columns that tell the rows apart (a key of the table they come from), or put "
                "first what says which row is wanted.")
    last = ", ".join(f"{relation.alias}.{column}" for column in apart)
    return (f"End the ORDER BY with what no two rows share: ORDER BY {', '.join(as_in_file(query, i) for i in items)}, "
            f"{last}; or put first what says which row is wanted.")

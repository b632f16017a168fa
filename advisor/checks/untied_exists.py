"""PR023: an EXISTS that does not refer to the row it is asked for. `WHERE NOT EXISTS (SELECT 1 FROM
Enrollment e WHERE e.calendarID = 12)` asks whether calendar 12 has any enrollment at all, the
same question for every person, so the WHERE keeps every row or none: the condition that ties
the subquery to the outer row (e.personID = p.personID) was left out."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.frontend.positions import find_words
from advisor.span import Span

# What a condition that is the same for every row does, by the clause it is in
_OUTCOME = {
    "where": "so the WHERE keeps every row or none",
    "having": "so the HAVING keeps every group or none",
    "on": "so the ON keeps every pair of rows or none, as if the condition were not there or the join found nothing",
    "select": "so it gives every row the same answer",
}
_CLOSING = re.compile(r"\s*\)")  # the subquery's closing parenthesis, which its positions leave out
# What the WHERE of an UPDATE or a DELETE does with every row or none
_CHANGED = {"UPDATE": "so the UPDATE changes every row or none", "DELETE": "so the DELETE removes every row or none"}


@statement_rule("PR023")
def untied_exists(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.relations:
            continue  # SELECT CASE WHEN EXISTS (...) THEN 1 END: asked once, as meant
        for subquery in block.subqueries:
            if (isinstance(subquery.node, exp.Exists) and not subquery.correlated and subquery.clause in _OUTCOME
                    and _all_resolved(subquery.blocks)):
                yield _untied(query, block, subquery)


def _all_resolved(blocks: list[m.Block]) -> bool:
    """Whether the subquery reads Campus's tables or views, itself or in its derived tables and
    CTEs, and every column it names is known to be its own: a column sqladvise could not place may
    be the outer row's. One that reads only the script's temp tables, NOT EXISTS (SELECT 1 FROM
    #done), is a switch more often than a slip."""
    stack, read, seen = list(blocks), False, set()
    while stack:
        block = stack.pop()
        if id(block) in seen:  # a recursive CTE reads its own blocks
            continue
        seen.add(id(block))
        read = read or any(relation.kind in (m.TABLE, m.VIEW) for relation in block.relations)
        if any(ref.relation is None for ref in block.column_refs()):
            return False
        stack.extend(inner for subquery in block.subqueries for inner in subquery.blocks)
        # (SELECT * FROM Enrollment) e: the derived table's or CTE's own query
        stack.extend(inner for relation in block.relations if relation.kind in (m.DERIVED, m.CTE) for inner in relation.inner)
    return read


def _untied(query: Query, block: m.Block, subquery: m.Subquery) -> Hit:
    outer = ", ".join(relation.label() for relation in block.relations)
    tie = _tie(block, subquery.blocks[0])
    example = f", such as {tie}" if tie else ""
    changed = _CHANGED.get(query.statement.keyword) if subquery.clause == "where" and block is query.blocks[0] else None
    return Hit(
        _from_exists(query, subquery.node),
        f"This EXISTS names nothing of the outer query ({outer}): it asks the same question for every row, "
        f"{changed or _OUTCOME[subquery.clause]}.",
        f"Tie the subquery to the outer row with the column they share{example}, in its WHERE; or, if one answer "
        "for the whole query is meant, ask it once before, in an IF EXISTS or a variable.",
        tuple(dict.fromkeys(r.name for r in block.relations if r.kind in (m.TABLE, m.VIEW))),
    )


def _from_exists(query: Query, node: exp.Exists) -> Span:
    """Where the EXISTS is written, from the word to its closing parenthesis: sqlglot's positions
    for the node start at the subquery's first item."""
    span = query.span_of(node)
    word = find_words(query.lines, "EXISTS", query.statement.span.start, span.start, last=True)
    closing = _CLOSING.match(query.lines.text, span.end)
    return query.lines.span(word.start if word else span.start, closing.end() if closing else span.end)


def _tie(outer: m.Block, inner: m.Block) -> str | None:
    """A condition on an ID column both sides have: e.personID = p.personID."""
    for relation in inner.relations:
        for name in relation.output_columns or ():
            if not name.lower().endswith("id"):
                continue
            shared = next((o for o in outer.relations if o.offers(name)), None)
            if shared is not None:
                return f"{relation.alias}.{name} = {shared.alias}.{name}"
    return None

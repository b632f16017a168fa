"""CL013: text joined with + in a SELECT list, one of whose columns can be NULL: the whole value is
NULL for those rows (a full name without a middle name, an address without an apartment)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import flatten, type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import Known, known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names


@statement_rule("CL013")
def null_in_concatenation(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for projection in block.projections:
            seen: set[int] = set()
            tops: dict[int, exp.Add | None] = {}
            for ref in projection.columns:
                top = _chain_top(ref.node, tops)
                if top is None or id(top) in seen:
                    continue
                seen.add(id(top))
                hit = _nullable_parts(query, projection, top)
                if hit is not None:
                    yield hit


def _chain_top(column: exp.Column, tops: dict[int, exp.Add | None]) -> exp.Add | None:
    """The outermost + of the chain the column is a part of, if it is one. `tops` holds the answer
    for each + and parenthesis climbed so far, so that a chain of thousands of terms is climbed once
    rather than from each of its columns."""
    climbed: list[exp.Expression] = []
    node, top = column, None
    while isinstance(node.parent, (exp.Add, exp.Paren)):
        node = node.parent
        if id(node) in tops:
            top = tops[id(node)]
            break
        climbed.append(node)
    for level in reversed(climbed):  # from the top down: the first + met is the outermost
        top = top if top is not None else level if isinstance(level, exp.Add) else None
        tops[id(level)] = top
    return top


def _string(node: exp.Expression) -> bool:
    return isinstance(node, exp.Literal) and node.is_string


def _string_when_null(node: exp.Expression, refs: dict[int, m.ColumnRef]) -> bool:
    """ISNULL(a.prefix + ' ', ''), COALESCE(a.apt, ''): text that is never NULL; not ISNULL(e.calendarID,
    ''), a number, which + adds to."""
    if not (isinstance(node, exp.Coalesce) and _string((node.expressions or [node.this])[-1].unnest())):
        return False
    first = node.this.unnest()
    facts = known(refs[id(first)]) if id(first) in refs else None
    return facts is None or type_family(facts.column.type) == "text"


def _nullable_parts(query: Query, projection: m.Projection, top: exp.Add) -> Hit | None:
    parts = flatten(top, exp.Add)
    refs = {id(ref.node): ref for ref in projection.columns}
    facts = {id(part): known(refs[id(part)]) for part in parts if id(part) in refs}
    text = [part for part in parts if _string(part) or _string_when_null(part, refs)
            or (facts.get(id(part)) is not None and type_family(facts[id(part)].column.type) == "text")]
    if len(text) != len(parts):
        return None  # a number or an unknown among them: + may add, not join
    nullable: list[Known] = [facts[id(part)] for part in parts if facts.get(id(part)) is not None
                             and facts[id(part)].column.nullable]
    if not nullable or len(facts) < 2 or isinstance(top.parent, exp.Coalesce):
        return None  # one column dressed with text is NULL where it is; ISNULL(' ' + a.tag, '') means it
    columns = [as_in_file(query, fact.ref.node) for fact in nullable]
    called = f" {projection.name}" if projection.name and isinstance(projection.node, exp.Alias) else " value"
    joined = ", ".join(as_in_file(query, part, cut=False) for part in parts)
    return Hit(
        query.span_of(top),
        f"{names(columns)} can be NULL ({names([fact.label for fact in nullable])} "
        f"{'allows' if len(columns) == 1 else 'allow'} it), and text joined with + is "
        f"NULL when any part is: every row where {'it is' if len(columns) == 1 else 'one is'} NULL gets a NULL{called}, "
        "not the rest of it.",
        f"Join with CONCAT_WS, which leaves out the NULL parts with their separator (SQL Server 2017 and later), or "
        f"CONCAT, which reads NULL as empty: CONCAT({joined}).",
    )

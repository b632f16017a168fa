"""SH022: a subquery used as one value that can return more than one row: SQL Server stops the
statement with error 512 the day it does."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.words import names


@statement_rule("SH022")
def many_rows_as_one_value(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for holder, inner in _single_value_subqueries(query):
        table = _not_one_row(inner)
        if table is None:
            continue
        relation, found_by = table
        key = names(list(relation.table.primary_key)) if relation.table.primary_key else "unknown"
        how = (f"{names(found_by)} {'does' if len(found_by) == 1 else 'do'} not name one row of {relation.label()}"
               if found_by else f"nothing in it names one row of {relation.label()}")
        compared = isinstance(holder.parent, exp.EQ)  # where IN (SELECT ...) may be what is meant
        yield Hit(
            query.span_of(holder),
            f"This subquery is used as one value, but it can return more than one row: {how}, whose key is {key}. "
            "The first time it does, for any row, SQL Server stops the whole statement with error 512 (\"Subquery "
            "returned more than 1 value\"): it can run for years before such a row is entered.",
            "Say which row: TOP 1 with an ORDER BY (the latest, the first in sequence), or an aggregate (MAX(...))"
            + ("; or, if any of them will do, write IN (SELECT ...) in place of =." if compared else "."),
        )


def _single_value_subqueries(query: Query) -> Iterator[tuple[exp.Expression, m.Block]]:
    """Each subquery SQL Server takes one value from: in a SELECT list or an expression, compared
    with = or <, assigned to a variable (not IN, EXISTS, ANY or ALL, which take many)."""
    for block in query.user_blocks:
        for subquery in block.subqueries:
            holder = subquery.node
            if (isinstance(holder, exp.Subquery) and not isinstance(holder.parent, (exp.Any, exp.All))
                    and len(subquery.blocks) == 1):
                yield holder, subquery.blocks[0]
        holder = block.node.parent
        if block.parent is None and isinstance(holder, exp.Subquery) and _assigned(holder):
            yield holder, block


def _assigned(holder: exp.Subquery) -> bool:
    """DECLARE @x int = (SELECT ...) or SET @x = (SELECT ...)."""
    parent = holder.parent
    return isinstance(parent, exp.DeclareItem) or (isinstance(parent, exp.EQ) and isinstance(parent.parent, exp.SetItem))


def _not_one_row(block: m.Block) -> tuple[m.Relation, list[str]] | None:
    """The first table nothing makes one row of, with the columns that find it, when every table's
    keys are known; None when the block returns a row at most, or sqladvise cannot tell."""
    if block.top or block.empty or block.grouped or not block.relations or block.node.args.get("for_"):
        return None  # TOP 1 or a row per TOP n; no row; one aggregate row, or one per group; FOR XML's one document
    if any(relation.kind != m.TABLE or relation.table is None for relation in block.relations):
        return None  # a view's or derived table's rows: their keys are not known
    fixed = _fixed_columns(block)
    values = {id(relation): {name.lower(): value for owner, name, _, value in fixed if owner is relation and value}
              for relation in block.relations}
    known: set[int] = set()  # the relations found as one row
    while True:
        found = {id(relation): {name.lower() for owner, name, other, _ in fixed if owner is relation
                                and (other is None or id(other) in known)} for relation in block.relations}
        newly = {id(r) for r in block.relations
                 if id(r) not in known and r.table.unique_by(found[id(r)], values[id(r)])}
        if not newly:
            break
        known |= newly
    returned = [p.plain for p in block.projections]
    if block.distinct and all(ref is not None and ref.name.lower() in found[id(ref.relation)] for ref in returned):
        return None  # DISTINCT of values the conditions fix: one row
    missing = [relation for relation in block.relations if id(relation) not in known]
    if not missing:
        return None
    written = {name.lower(): name for relation, name, _, _ in fixed if relation is missing[0]}
    return missing[0], [written[name] for name in sorted(found[id(missing[0])])]


def _fixed_columns(block: m.Block) -> list[tuple[m.Relation, str, m.Relation | None, str | None]]:
    """The block's columns made equal to something: (its relation, its name as written, the
    block's relation whose column the other side is, or None for a constant, a variable or the
    outer row's column; and the constant's value as written, lower-case)."""
    fixed = []
    for predicate in block.predicates:
        if not isinstance(predicate.node, exp.EQ) or predicate.on_groups:
            continue
        own = {id(ref.node): ref for ref in predicate.columns if not ref.outer and ref.relation is not None}
        sides = (predicate.node.this.unnest(), predicate.node.expression.unnest())
        for side, other in (sides, sides[::-1]):
            ref = own.get(id(side))
            if ref is None:
                continue
            readers = [own[id(node)] for node in other.walk() if id(node) in own]
            if not readers:
                fixed.append((ref.relation, ref.name, None, other.name.lower() if isinstance(other, exp.Literal) else None))
            elif len(readers) == 1 and readers[0].node is other:
                fixed.append((ref.relation, ref.name, readers[0].relation, None))
    return fixed

"""Correlated subqueries that pick one outer row of each group: the idioms for each person's
latest enrollment. They keep as many rows as the outer columns they are correlated with have
values (ties aside), where the rows without them would be every enrollment of every person."""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis import model as m


def picked_from(subquery: m.Subquery, block: m.Block) -> m.ColumnRef | None:
    """Where the subquery, AND-ed into the block's conditions, keeps one row of each group of an
    outer table's rows that share what it is correlated with, the outer column it picks by:
    e.startDate = (SELECT MAX(e2.startDate) FROM Enrollment e2 WHERE e2.personID = e.personID), or
    a TOP 1's column picked by its ORDER BY, which compare the column it picks from; or
    NOT EXISTS (SELECT 1 FROM Enrollment e2 WHERE e2.personID = e.personID AND e2.startDate >
    e.startDate), which leaves the one no other row comes after."""
    if not subquery.correlated or len(subquery.blocks) != 1:
        return None
    if isinstance(subquery.node, exp.Exists):
        return _none_later(subquery.node, subquery.blocks[0], block)
    return _picked_value(subquery.node, subquery.blocks[0], block)


def _picked_value(holder: exp.Expression, inner: m.Block, block: m.Block) -> m.ColumnRef | None:
    """A column AND-ed equal to the subquery's MAX, MIN or TOP 1 of the same column."""
    compared = holder.parent
    predicate = _anded(compared, block)
    if not isinstance(compared, exp.EQ) or predicate is None or len(inner.projections) != 1 or inner.group_by:
        return None
    picked = inner.projections[0].node.unalias()
    if isinstance(picked, (exp.Max, exp.Min)):
        picked = picked.this
    elif inner.top_rows != 1:
        return None
    other = compared.expression if compared.this is holder else compared.this
    mine = next((ref for ref in inner.projections[0].columns if ref.node is picked), None)
    theirs = next((ref for ref in predicate.columns if ref.node is other), None)
    return theirs if mine is not None and theirs is not None and _same_column(mine, theirs) else None


def _none_later(holder: exp.Exists, inner: m.Block, block: m.Block) -> m.ColumnRef | None:
    """NOT EXISTS over one table whose conditions are its correlation's equalities and a strict
    range on the column compared (>= would find the outer row itself, and rule out every row)."""
    if _anded(holder.parent, block) is None or not isinstance(holder.parent, exp.Not) or len(inner.relations) != 1:
        return None
    ranged = []
    for predicate in inner.predicates:
        node, refs = predicate.node.unnest(), predicate.columns
        if (not isinstance(node, (exp.EQ, exp.GT, exp.LT)) or not all(isinstance(side, exp.Column) for side in
                (node.this, node.expression)) or len(refs) != 2 or [ref.outer for ref in refs].count(True) != 1):
            return None
        if not isinstance(node, exp.EQ):
            mine, theirs = sorted(refs, key=lambda ref: ref.outer)
            if not _same_column(mine, theirs):
                return None
            ranged.append(theirs)
    return ranged[0] if len(ranged) == 1 else None


def _anded(condition: exp.Expression | None, block: m.Block) -> m.Predicate | None:
    """The block's condition that is `condition` itself, AND-ed with the others."""
    return next((predicate for predicate in block.predicates if predicate.node is condition), None)


def _same_column(mine: m.ColumnRef, theirs: m.ColumnRef) -> bool:
    """Whether two columns are the same column of the same table or view."""
    if mine.relation is None or theirs.relation is None:
        return False
    held_in = mine.relation.table or mine.relation.view
    return (held_in is not None and held_in is (theirs.relation.table or theirs.relation.view)
            and mine.name.lower() == theirs.name.lower())

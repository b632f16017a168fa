"""Columns: SELECT * and alias.*, and many columns pulled from views (Campus's "extraneous
fields")."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.words import names

# From this many columns of one view, the fields themselves are a cost worth naming.
MANY_VIEW_COLUMNS = 15


@statement_rule("CL001")
def select_star(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.blocks:
        if not block.in_user_text or isinstance(block.node.parent, exp.Exists) or block.empty:
            continue  # EXISTS (SELECT * ...) reads no columns; SELECT * INTO #t ... WHERE 1 = 0 copies them, no rows
        for projection in block.projections:
            relations = [r for r in projection.star_of or [] if r.kind in (m.TABLE, m.VIEW)]
            if not relations:
                continue
            counts = [len(r.output_columns or []) for r in relations]
            written = "SELECT *" if isinstance(projection.node, exp.Star) else projection.node.sql("tsql")
            views = [r.name for r in relations if r.kind == m.VIEW]
            message = f"{written} returns all {sum(counts)} columns of {names([r.label() for r in relations])}"
            message += f"; {names(views)} must compute every one of them." if views else ", whether the extract uses them or not."
            example = ", ".join(f"{relations[0].alias}.{c}" for c in (relations[0].output_columns or [])[:3])
            yield Hit(
                projection.span or relations[0].span,
                message,
                f"Name the columns the extract needs: SELECT {example}, ... ",
                tuple(r.name for r in relations),
                "warning" if views or sum(counts) > MANY_VIEW_COLUMNS else "info",
            )


@statement_rule("CL002")
def many_view_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.blocks:
        if not block.in_user_text:
            continue
        for relation in block.relations:
            if relation.kind != m.VIEW:
                continue
            used = list(dict.fromkeys(
                ref.name for projection in block.projections for ref in projection.columns if ref.relation is relation
            ))
            if len(used) < MANY_VIEW_COLUMNS:
                continue
            yield Hit(
                relation.span,
                f"This query returns {len(used)} columns of {relation.name}. Each field from a view can add "
                f"joins and per-row work; Campus names extraneous fields as a common cause of slow ad hoc filters.",
                "Keep only the fields the extract really sends, or read the few base tables that hold them.",
                (relation.name,),
            )

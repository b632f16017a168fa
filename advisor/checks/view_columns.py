"""A condition on a column a view computes (v_AdHocStudent's activeToday, a CASE over two dates):
SQL Server works the expression out for every row the view gives and tests it there, with no
index and a guessed row count. The condition on the columns it is computed from says the same."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import passed_through
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import comparisons, sides
from advisor.checks.oriented import seen_from
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.written_conditions import any_of, case_conditions
from advisor.words import names


@statement_rule("VW005")
def computed_view_column(query: Query, catalog: Catalog) -> Iterator[Hit]:
    if not any(r.kind == m.VIEW for block in query.user_blocks for r in block.relations):
        return  # most statements read no view of their own: no condition to look at
    for compared in comparisons(query):
        for side in sides(compared.node):
            if not isinstance(side, exp.Column):
                continue
            ref = next((r for r in compared.predicate.columns if r.node is side), None)
            if ref is None or ref.relation is None:
                continue
            # the view's own column, or one a derived table or CTE passes on from it: WITH s AS (SELECT * FROM v ...)
            view, name = passed_through(ref.relation, ref.name)
            if view.kind != m.VIEW or len(view.inner) != 1 or view.table is not None:
                continue  # no view's, or an indexed view's read WITH (NOEXPAND), whose computed columns are stored
            block = view.inner[0]
            made = next((p for p in block.projections if p.name.lower() == name.lower()), None)
            computed = made.node.unalias() if made is not None else None
            if computed is None or isinstance(computed, (exp.Column, exp.Literal)) or block.grouped:
                continue  # passed on as it is, a constant, or an aggregate (SC003's, when grouped before a join)
            meant = _condition_meant(compared.node, side, computed, view, ref.relation)
            sources = list(dict.fromkeys(f"{c.relation.name}.{c.name}" for c in made.columns if c.relation is not None))
            yield Hit(
                query.span_of(compared.node),
                f"{view.name} computes {name}{f' from {names(sources)}' if sources else ''}: SQL Server works it "
                f"out for every row the view gives and then tests {as_in_file(query, compared.node)}, with no index on what it "
                "is computed from and a guess for how many rows pass.",
                f"Write the condition on the columns it is computed from: {meant} instead of {as_in_file(query, compared.node)}."
                if meant else
                f"Write the condition on the columns {ref.name} is computed from, where the view offers them, or read "
                "the base tables (VW001 names them).",
                (view.name,),
            )


def _condition_meant(node: exp.Expression, side: exp.Expression, computed: exp.Expression, view: m.Relation,
                     read: m.Relation) -> str | None:
    """A CASE the view computes, compared with a value (activeToday = 1), as the conditions it
    stands for, on the view's own columns as the query `read`s them (the view, or a derived table
    or CTE that passes them on), when it passes on every column they use."""
    conditions = case_conditions(computed, seen_from(node, side)) if isinstance(computed, exp.Case) else None
    if conditions is None:
        return None
    passed = {(p.columns[0].node.table.lower(), p.columns[0].name.lower()): p.name for p in view.inner[0].projections if p.plain}
    conditions = [condition.copy() for condition in conditions]
    for column in [column for condition in conditions for column in condition.find_all(exp.Column)]:
        name = passed.get((column.table.lower(), column.name.lower()))
        if name is None or passed_through(read, name) != (view, name):
            return None  # the view does not offer the column, or the query does not read it: no condition says it
        column.replace(exp.column(name, table=read.alias))
    return any_of(conditions)

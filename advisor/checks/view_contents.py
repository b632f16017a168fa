"""VW007: a view that reads a variable, a temp table or a table variable. A view is a query kept in
the database, run by whoever reads it: no batch around it declares a variable or makes a temp
table, and SQL Server refuses to create it. A query that worked with DECLARE @year above it, or
after a SELECT ... INTO #kids, is often turned into a view as it stands."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import named_table
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.variables import used, variable_place


@file_rule("VW007")
def view_reads_what_it_cannot(context: FileContext) -> Iterator[Hit]:
    for query in context.queries:
        tree = query.statement.tree
        if isinstance(tree, (exp.Create, exp.Alter)) and str(tree.args.get("kind") or "").upper() == "VIEW":
            named = named_table(tree)  # CREATE VIEW v (a, b) AS
            yield from _temp_tables(query, named.sql(dialect="tsql"))
            yield from _variables(context, query, named.sql(dialect="tsql"))


def _temp_tables(query: Query, view: str) -> Iterator[Hit]:
    for relation in (relation for block in query.user_blocks for relation in block.relations):
        if relation.kind == "temp table":
            yield Hit(relation.span,
                      f"{relation.name} is a temp table, which the view {view} cannot read: SQL Server refuses to create "
                      "the view (error 4508, \"Views or functions are not allowed on temporary tables\").",
                      _REWRITE_TABLE, (relation.name,))


def _variables(context: FileContext, query: Query, view: str) -> Iterator[Hit]:
    said = set()
    for variable in used(query.statement.tree, {}):
        if variable.name.lower() in said:
            continue
        said.add(variable.name.lower())
        table = isinstance(variable.parent, exp.Table)
        error = "1087, \"Must declare the table variable\"" if table else "137, \"Must declare the scalar variable\""
        yield Hit(variable_place(context.script, query.statement, variable.name),
                  f"@{variable.name} is a {'table ' if table else ''}variable, which the view {view} cannot read: nothing "
                  f"declares it where a view runs, and SQL Server refuses to create the view (error {error}).",
                  _REWRITE_TABLE if table else _REWRITE_VARIABLE)


_REWRITE_VARIABLE = ("For the rows a value picks, write an inline table-valued function that takes it as a parameter: "
                     "CREATE FUNCTION dbo.name (@value int) RETURNS TABLE AS RETURN SELECT ...; or leave the condition "
                     "out of the view and write it in each query that reads the view.")
_REWRITE_TABLE = ("Read the tables it is filled from in the view's own query (a CTE can hold each step), or keep the "
                  "script as a script, or a procedure, rather than a view.")

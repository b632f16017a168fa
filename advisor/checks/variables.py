"""SH023: a variable used after the GO that ended the batch it was declared in: SQL Server stops
that batch with "Must declare the scalar variable"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.script import declared
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.parse import Script, Statement
from advisor.span import Span


@file_rule("SH023")
def variable_after_go(context: FileContext) -> Iterator[Hit]:
    script = context.script
    if len(script.batch_starts) < 2 or script.report is not None:
        return
    # lower-case name -> the batch and line of its first DECLARE, and whether it declares a table variable
    declared_at: dict[str, tuple[int, int, bool]] = {}
    batch, in_batch, said = -1, set(), set()
    for query in context.queries:
        statement = query.statement
        if statement.nested or statement.tree is None:
            continue  # an EXEC's string runs in a scope of its own
        if script.batch_of(statement) != batch:
            batch, in_batch = script.batch_of(statement), set()
        declaring = {variable: isinstance(item.args.get("kind"), exp.Schema) for variable, item in declared(statement.tree)
                     if isinstance(variable, exp.Parameter)}  # each variable: whether it is a table variable
        for variable in used(statement.tree, declaring):
            name = variable.name.lower()
            first = declared_at.get(name)
            if first is None or first[0] == batch or name in in_batch or name in said:
                continue
            said.add(name)
            error = "1087, \"Must declare the table variable\"" if first[2] else "137, \"Must declare the scalar variable\""
            yield Hit(
                variable_place(script, statement, variable.name),
                f"@{variable.name} was declared on line {first[1]}, in an earlier batch: a variable lasts only until the "
                f"GO that ends its batch, so SQL Server stops this batch with error {error}.",
                f"Declare and set @{variable.name} again after the GO, or remove the GO between the two.",
            )
        for variable, table in declaring.items():
            in_batch.add(variable.name.lower())
            declared_at.setdefault(variable.name.lower(), (batch, statement.span.line, table))


def used(tree: exp.Expression, declaring: dict[exp.Parameter, bool]) -> Iterator[exp.Parameter]:
    """The variables a statement reads or sets: not @@ functions, nor those it declares, nor the
    names of a procedure's parameters that an EXEC gives values to (EXEC dbo.p @year = @y)."""
    skipped = {id(variable) for variable in declaring}
    for node in tree.find_all(exp.Parameter):
        if (id(node) not in skipped and node.name
                and not isinstance(node.this, exp.Parameter) and not isinstance(node.parent, exp.Parameter)
                and not _argument_name(node)):
            yield node


def _argument_name(variable: exp.Parameter) -> bool:
    given = variable.parent
    holder = given.parent.parent if isinstance(given.parent, exp.Alias) else given.parent  # @rows = @n OUTPUT
    return isinstance(given, exp.EQ) and given.this is variable and isinstance(holder, exp.Execute)


def variable_place(script: Script, statement: Statement, name: str) -> Span:
    """Where the statement first names the variable, outside its comments: for a check that knows
    the variable by its name, not by a node of the statement's tree (whose place query.span_of
    gives)."""
    found = re.compile(rf"(?<![\w@#$])@{re.escape(name)}(?![\w@#$])", re.IGNORECASE).search(
        script.code, statement.span.start, statement.span.end)
    return script.lines.span(found.start(), found.end()) if found else statement.span

"""SH037: a variable the script uses and never declares, named like one it does declare (@endYr
beside DECLARE @endYear): SQL Server stops the batch before it runs (error 137). A variable like
no declared one is left alone: it may be a parameter that whatever runs the SQL supplies."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.script import ROUTINES, declared
from advisor.analysis.unset_variables import MENTION
from advisor.checks.columns import closest_name
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.variables import used, variable_place
from advisor.frontend.parse import Script


@file_rule("SH037")
def misspelt_variable(context: FileContext) -> Iterator[Hit]:
    script = context.script
    if script.report is not None:  # a report's data sets use its parameters undeclared
        return
    known = _declared(script)
    if not known:
        return
    said: set[str] = set()
    for query in context.queries:
        statement = query.statement
        if statement.nested or statement.tree is None:
            continue  # SQL an EXEC runs declares its own, in sp_executesql's list
        for variable in used(statement.tree, {}):
            name = variable.name.lower()
            if name in known or name in said:
                continue
            close = closest_name(variable.name, list(known.values()))
            place = variable_place(script, statement, variable.name) if close is not None else None
            if place is None or script.code[place.start : place.start + 1] != "@":
                continue  # like no declared one; or a SQLCMD $(name), read as a variable, that sqlcmd sets
            said.add(name)
            error = "1087, 'Must declare the table variable" if isinstance(variable.parent, exp.Table) else (
                "137, 'Must declare the scalar variable")
            yield Hit(
                place,
                f"@{variable.name} is not declared in this file, and @{close} is: SQL Server stops the batch before it "
                f"runs with error {error} \"@{variable.name}\"'.",
                f"Did you mean @{close}? Correct the name, or declare @{variable.name}.",
            )


def _declared(script: Script) -> dict[str, str]:
    """The variables the file declares, and the parameters of its procedures and functions, by
    lower-case name, each as first written."""
    known: dict[str, str] = {}
    for statement in script.statements:
        if statement.nested:
            continue
        for variable, _ in declared(statement.tree):
            if isinstance(variable, exp.Parameter):
                known.setdefault(variable.name.lower(), variable.name)
        if statement.keyword in ROUTINES:
            for name in MENTION.findall(script.code, statement.span.start, statement.span.end):
                known.setdefault(name.lower(), name)
    return known

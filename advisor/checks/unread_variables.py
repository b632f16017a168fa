"""SH046: a variable the script gives a value that no statement reads: a year, a school or a date
declared to limit a query that the query never names, so that it runs without the limit."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import assignments, declared
from advisor.analysis.unset_variables import MENTION
from advisor.checks.columns import closest_name
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.variables import used, variable_place
from advisor.frontend.parse import Statement


@file_rule("SH046")
def unread_variable(context: FileContext) -> Iterator[Hit]:
    declarations: dict[str, tuple[Statement, exp.Parameter]] = {}  # by lower-case name: the first DECLARE
    values: dict[str, tuple[Query, exp.Expression]] = {}  # by lower-case name: the first value it is given
    for query in context.queries:
        statement, tree = query.statement, query.statement.tree
        if statement.nested or tree is None:  # an EXEC's string has variables of its own
            continue
        for variable, item in declared(tree):
            if isinstance(variable, exp.Parameter) and not isinstance(item.args.get("kind"), exp.Schema):
                declarations.setdefault(variable.name.lower(), (statement, variable))
        for variable, value in assignments(tree):
            if variable.name.lower() in declarations:  # set before its DECLARE, it is SQL Server's error 137
                values.setdefault(variable.name.lower(), (query, value))
    if values:
        read = _read(context, [variable.name for _, variable in declarations.values()])
        for name, (statement, variable) in declarations.items():
            if name in values and name not in read:
                yield _unread(context, statement, variable, *values[name])


def _read(context: FileContext, declared_names: list[str]) -> set[str]:
    """The lower-case names of the variables the file's statements read."""
    read: set[str] = set()
    code = context.script.code
    for statement in context.script.statements:  # sqladvise cannot tell what these do with a variable they name
        if statement.tree is None or isinstance(statement.tree, exp.Command):
            read.update(name.lower() for name in MENTION.findall(code, statement.span.start, statement.span.end))
    for query in context.queries:
        tree = query.statement.tree
        if tree is not None and not isinstance(tree, exp.Command):
            declaring = {variable: False for variable, item in declared(tree) if isinstance(variable, exp.Parameter)}
            set_here = {id(variable) for variable, _ in assignments(tree)}
            read.update(variable.name.lower() for variable in used(tree, declaring) if id(variable) not in set_here)
    # a name like no declared one may be a misspelling of one (SH037's @endYr for @endYear): that
    # one is read, as its author wrote it
    read.update(close.lower() for name in read - {n.lower() for n in declared_names}
                if (close := closest_name(name, declared_names)))
    return read


def _unread(context: FileContext, declared_in: Statement, variable: exp.Parameter, set_in: Query,
            value: exp.Expression) -> Hit:
    name = "@" + variable.name
    where = "" if set_in.statement is declared_in else f" on line {set_in.statement.span.line}"
    return Hit(
        variable_place(context.script, declared_in, variable.name),
        f"{name} is set to {as_in_file(set_in, value)}{where}, but no statement of the script reads it: whatever "
        f"it was declared to limit or hold plays no part, and a query it was meant to limit runs without it.",
        f"Use {name} where it was meant to be used (WHERE c.endYear = {name}, say), or delete its DECLARE and the "
        "statements that set it.",
    )

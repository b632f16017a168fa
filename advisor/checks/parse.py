"""Statements and files sqladvise could not read: reported, never passed over in silence."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import string_text
from advisor.checks.registry import FileContext, Hit, file_rule


@file_rule("PA001")
def unreadable_statements(context: FileContext) -> Iterator[Hit]:
    for statement in context.script.statements:
        if not statement.understood:
            yield Hit(
                statement.error_span or statement.span,
                statement.error,
                _REJECTED if statement.rejected else _UNREAD,
            )


_REJECTED = ("Correct it as the message says: SQL Server rejects it as written too. The statement was not checked, "
             "the rest of the file was.")
_UNREAD = ("Check the statement's syntax. If SQL Server runs it as written, sqladvise does not read this construct "
           "yet: the statement was not checked, the rest of the file was.")


@file_rule("PA003")
def no_statements(context: FileContext) -> Iterator[Hit]:
    if not context.script.statements:
        yield Hit(
            context.script.lines.span(0, 0),
            "This file holds no SQL statements: nothing in it was checked.",
            "Check that it is the file you meant to give sqladvise.",
        )


@file_rule("PA006")
def built_sql(context: FileContext) -> Iterator[Hit]:
    for statement in context.script.statements:
        if statement.dynamic and statement.linked_server:
            yield Hit(
                statement.span,
                f"This EXEC runs its SQL on the linked server {statement.linked_server}: sqladvise does not check what "
                "another server runs, so its findings and its time are not in this report.",
                "Save the SQL it runs as a .sql file and check that, with that server's catalog (--catalog) when it "
                "is not Campus's.",
            )
        elif statement.dynamic:
            yield Hit(
                statement.span,
                f"This {statement.keyword} runs SQL the script builds as it runs: sqladvise cannot read it, "
                "so its findings and its time are not in this report.",
                "Where the SQL is fixed text, write it as a query of its own. Where it must be built, PRINT "
                "the built SQL once, save it as a .sql file and check that.",
            )
    yield from _run_elsewhere(context.queries)


def _run_elsewhere(queries: list[Query]) -> Iterator[Hit]:
    """OPENQUERY(server, '...') and OPENROWSET('provider', 'connection', '...'): a query another
    server runs, whose rows this one reads as a table."""
    for query in queries:
        for call in query.calls(exp.Anonymous):
            name, arguments = call.name.upper(), call.expressions
            if name == "OPENQUERY" and len(arguments) == 2:
                where = f"the linked server {query.written(arguments[0])}"
            elif name == "OPENROWSET" and len(arguments) == 3 and all(string_text(a) is not None for a in arguments):
                where = "the server its connection string names"
            else:
                continue
            yield Hit(
                query.span_of(call),
                f"This {name} runs its SQL on {where}: sqladvise does not check what another server runs, so its "
                "findings and its time are not in this report, and how many rows it returns is a guess.",
                "Save the SQL it runs as a .sql file and check that, with that server's catalog (--catalog) when it "
                "is not Campus's.",
            )

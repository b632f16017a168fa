"""SH039: BEGIN TRAN with no COMMIT or ROLLBACK after it in the script, around changes to Campus's
tables. Until the session that ran it ends, the transaction holds the locks its UPDATE, DELETE or
INSERT took, and every Campus user whose work touches those rows waits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import named_table
from advisor.analysis.written import identifier_name
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.parse import Statement
from advisor.words import names

_BEGIN = re.compile(r"BEGIN\s+(?:DISTRIBUTED\s+)?TRAN(?:SACTION)?\b", re.IGNORECASE)
# ROLLBACK TRAN name and SAVE TRAN name: a savepoint's name, when SAVE gave it
_NAMED = re.compile(r"(?:ROLLBACK|SAVE)\s+TRAN(?:SACTION)?\s+([\w@#$]+)", re.IGNORECASE)
_CHANGES = frozenset({"UPDATE", "DELETE", "INSERT", "MERGE"})


@file_rule("SH039")
def open_transaction(context: FileContext) -> Iterator[Hit]:
    script = context.script
    queries = {query.statement.index: query for query in context.queries}
    opened: list[Statement] = []  # the BEGIN TRANs not yet committed, outermost first
    saved: set[str] = set()  # savepoints' names: rolling back to one ends no transaction
    changed: list[str] = []  # the tables changed since the outermost BEGIN TRAN, as named
    for statement in script.statements:
        if statement.nested:  # SQL an EXEC runs: its own
            continue
        start, end = statement.span.start, statement.span.end
        named = _NAMED.match(script.code, start, end) if statement.keyword in ("SAVE", "ROLLBACK") else None
        if statement.keyword == "BEGIN" and _BEGIN.match(script.code, start, end):
            opened.append(statement)
        elif statement.keyword == "COMMIT" and opened:
            opened.pop()
        elif statement.keyword == "SAVE" and named:
            saved.add(named.group(1).lower())
        elif statement.keyword == "ROLLBACK" and not (named and named.group(1).lower() in saved):
            opened.clear()
        elif opened and statement.keyword in _CHANGES and statement.index in queries:
            table = _changed_table(queries[statement.index])
            if table and not table.startswith(("#", "@")) and table.lower() not in map(str.lower, changed):
                changed.append(table)
        if not opened:
            changed.clear()
    if opened and changed:
        begun = opened[0]
        yield Hit(
            begun.span,
            f"This transaction is never committed or rolled back in the script: the locks it takes to change "
            f"{names(changed)} stay held until the session that ran it ends, and every Campus user whose work touches "
            "those rows waits for it.",
            "End it in the script: COMMIT once the changes are right, or ROLLBACK in a CATCH block, BEGIN TRY BEGIN TRAN "
            "... COMMIT END TRY BEGIN CATCH IF @@TRANCOUNT > 0 ROLLBACK; THROW; END CATCH.",
        )


def _changed_table(query: Query) -> str | None:
    """The table an UPDATE, DELETE, INSERT or MERGE changes, by its name as written (not its
    alias; a temp table's with its #)."""
    tree = query.statement.tree
    if isinstance(tree, (exp.Insert, exp.Merge)):
        table = named_table(tree)
        name = table.this if isinstance(table, exp.Table) else None
        if isinstance(name, exp.Parameter):
            return "@" + name.name
        return identifier_name(name) if isinstance(name, exp.Identifier) else None
    return next((relation.name for relation in query.relations if relation.changed), None)

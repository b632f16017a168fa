"""SH045: a temp table or table variable that a statement fills with a query's rows and that no
statement of the file reads: SQL Server does all the work of filling it, and none of its rows
reach a result."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.script import named_table, select_into
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.variables import variable_place
from advisor.frontend.parse import Script
from advisor.words import names

_RUNS = re.compile(r"\bEXEC(?:UTE)?\b(?!\s+AS\b)", re.IGNORECASE)  # EXECUTE AS runs nothing
_OUTPUT = re.compile(r"(?<![\w@#$\[])OUTPUT\b", re.IGNORECASE)  # not a column named [output]


@file_rule("SH045")
def unread_table(context: FileContext) -> Iterator[Hit]:
    fills: dict[str, list[Query]] = {}
    for query in context.queries:
        if query.fills and not query.statement.nested:  # one an EXEC's string makes is gone when the EXEC ends
            fills.setdefault(query.fills, []).append(query)
    if not fills:
        return
    code = context.script.code
    # rows an OUTPUT clause returns or passes on reach a result: those a DELETE or UPDATE takes
    # from the table, and those an INSERT puts in it
    outputting = {id(query) for query in context.queries if _outputs(query, code)}
    read = {relation.name.lower() for query in context.queries for block in query.blocks
            for relation in block.relations if not relation.changed or id(query) in outputting}
    read |= {name for name, fillers in fills.items() if any(id(query) in outputting for query in fillers)}
    statements = context.script.statements
    texts = [code[statement.span.start:statement.span.end] for statement in statements]
    calls = [text for text in texts if _RUNS.search(text)]
    # what sqladvise cannot follow may read them: a statement it could not read, a procedure or
    # dynamic SQL an EXEC runs (a procedure sees its caller's temp tables; a table variable only
    # when it is passed)
    unfollowed = " ".join([*calls, *(text for text, statement in zip(texts, statements) if not statement.understood)])
    for name, fillers in fills.items():
        if name in read or name.startswith("##") or (name.startswith("#") and calls):  # ##t: other sessions see it
            continue
        if re.search(rf"(?<![\w@#$]){re.escape(name)}(?![\w@#$])", unfollowed, re.IGNORECASE):
            continue
        yield _unread(context.script, name, fillers)


def _outputs(query: Query, code: str) -> bool:
    """Whether a statement that changes a table has an OUTPUT clause. A DELETE's is read in its
    text: frontend/repairs.py drops it for sqlglot to read the rest."""
    statement = query.statement
    if isinstance(statement.tree, exp.Delete):
        return _OUTPUT.search(code, statement.span.start, statement.span.end) is not None
    return isinstance(statement.tree, (exp.Insert, exp.Update, exp.Merge)) and statement.tree.args.get("returning") is not None


def _unread(script: Script, name: str, fillers: list[Query]) -> Hit:
    first = fillers[0]
    sources = names([relation.name for block in first.user_blocks for relation in block.relations
                     if relation.kind in (m.TABLE, m.VIEW)])
    reading = f" (reading {sources})" if sources else ""
    later = [str(query.statement.span.line) for query in fillers[1:]]
    also = f" (and again on line{'s' if len(later) > 1 else ''} {names(later)})" if later else ""
    span = (variable_place(script, first.statement, name[1:]) if name.startswith("@")
            else first.span_of(_target(first.statement.tree)))
    written = script.code[span.start:span.end]
    return Hit(
        span,
        f"{written} is filled here{also}, but no statement of the script reads it: SQL Server does all the work "
        f"of filling it{reading} for nothing, and none of its rows reach a result.",
        f"Read {written} where its rows were meant to be used, or delete the statements that fill it.",
    )


def _target(tree: exp.Expression) -> exp.Expression:
    """The table node a filling statement names: SELECT ... INTO #t's #t, INSERT INTO #t's #t."""
    if isinstance(tree, exp.Insert):
        return named_table(tree)
    return select_into(tree).this

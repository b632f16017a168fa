"""The names a script makes: a temp table created, or a variable declared, twice in one batch
(SH024), which SQL Server refuses whole; a temp table read before the statement that creates it
(SH025), which stops when it runs."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import (
    declared,
    inserted_into,
    named_table,
    select_into,
    table_name,
)
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.variables import variable_place
from advisor.span import Span


@file_rule("SH025")
def temp_table_before_made(context: FileContext) -> Iterator[Hit]:
    statements = [q for q in context.queries if not q.statement.nested and q.statement.tree is not None]
    # a temp table's lower-case name -> the statement that first creates it: its index, and its line
    created: dict[str, tuple[int, int]] = {}
    for query in statements:
        for name, _ in made(query.statement.tree):
            if name.startswith("#"):
                created.setdefault(name.lower(), (query.statement.index, query.statement.span.line))
    yield from _used_after_drop(statements)
    said: set[str] = set()
    for query in statements:
        for name, span in _temp_tables_used(query):
            index, line = created.get(name.lower(), (None, None))
            if index is None or query.statement.index >= index or name.lower() in said:
                continue  # made earlier, or never in this file: by the session, or by a procedure that calls it
            said.add(name.lower())
            if isinstance(query.statement.tree, exp.Drop):
                yield _dropped_before_made(name, span, line)
                continue
            same_line = line == span.line  # statements ended with ; on one line
            where = "later on this line" if same_line else f"on line {line}"
            yield Hit(
                span,
                f"{name} is used here, but the script creates it only {where}: run as written, SQL Server "
                f"stops this statement with error 208, \"Invalid object name '{name}'\" (unless an earlier run in the same "
                "session left it behind).",
                f"Create {name} before its first use: move the statement that creates it before this one." if same_line else
                f"Create {name} before its first use: move the statement on line {line} up, or this one down.",
            )


def _used_after_drop(statements: list[Query]) -> Iterator[Hit]:
    """A temp table used after a DROP TABLE that every run goes through (not one inside an IF or a
    loop), with no statement between that creates it again."""
    dropped: dict[str, int] = {}  # a temp table's lower-case name -> the line of a DROP that nothing has undone
    said: set[str] = set()
    for query in statements:
        tree = query.statement.tree
        for name, span in _temp_tables_used(query):
            line = dropped.get(name.lower())
            if line is not None and not isinstance(tree, exp.Drop) and name.lower() not in said:
                said.add(name.lower())
                yield _used_after_dropped(name, span, line)
        for name, _ in made(tree):
            dropped.pop(name.lower(), None)
        if isinstance(tree, exp.Drop) and not query.statement.enclosing:  # DROP TABLE IF EXISTS too: it is gone after
            for name, _ in _temp_tables_dropped(tree):
                dropped[name.lower()] = query.statement.span.line


def _used_after_dropped(name: str, span: Span, line: int) -> Hit:
    return Hit(
        span,
        f"{name} is used here, but line {line} drops it and nothing creates it again before this: SQL Server stops "
        f"this statement with error 208, \"Invalid object name '{name}'\".",
        f"Move the DROP TABLE {name} on line {line} below the last statement that uses {name}.",
    )


def _dropped_before_made(name: str, span: Span, line: int) -> Hit:
    return Hit(
        span,
        f"{name} is dropped here and created only on line {line}: in the author's SSMS window an earlier run left it "
        f"behind, but in a new session (a scheduled task, a report, a colleague's first run) it does not exist yet, "
        f"and the DROP fails with error 3701 (\"Cannot drop the table '{name}', because it does not exist or you do "
        "not have permission\"), which a program that runs the script takes as its failure.",
        f"Drop it only where it exists: DROP TABLE IF EXISTS {name} (SQL Server 2016 and later), or IF "
        f"OBJECT_ID('tempdb..{name}') IS NOT NULL DROP TABLE {name}.",
        severity="warning",
    )


def _temp_tables_used(query: Query) -> Iterator[tuple[str, Span]]:
    """The temp tables a statement reads, changes or INSERTs into, each with where it names it."""
    for block in query.blocks:
        for relation in block.relations:
            if relation.name.startswith("#") and relation.span is not None:
                yield relation.name, relation.span
    tree = query.statement.tree
    # DROP TABLE #t with no IF EXISTS, and no IF OBJECT_ID(...) around it: it needs #t to exist
    if isinstance(tree, exp.Drop) and not tree.args.get("exists") and "IF" not in query.statement.enclosing:
        for name, table in _temp_tables_dropped(tree):
            yield name, query.span_of(table)
    if isinstance(tree, exp.Insert) and (name := inserted_into(tree)) and name.startswith("#"):
        yield name, query.span_of(named_table(tree))


def _temp_tables_dropped(tree: exp.Drop) -> Iterator[tuple[str, exp.Expression]]:
    """The temp tables a DROP TABLE names, each with its node."""
    for table in tree.args.get("tables") or [tree.this]:
        if (name := table_name(table)) and name.startswith("#"):
            yield name, table


@file_rule("SH024")
def declared_twice(context: FileContext) -> Iterator[Hit]:
    script = context.script
    batch, first = -1, {}  # what the batch has made so far: its name -> the line that made it
    for query in context.queries:
        statement = query.statement
        if statement.nested or statement.tree is None:
            continue  # an EXEC's string is a batch of its own
        if script.batch_of(statement) != batch:
            batch, first = script.batch_of(statement), {}
        for name, node in made(statement.tree):
            key = name.lower()
            if key not in first:
                first[key] = statement.span.line
                continue
            variable = name.startswith("@")
            yield Hit(
                variable_place(script, statement, name[1:]) if variable else query.span_of(node),
                (f"{name} is declared again in the batch that declared it on line {first[key]}: SQL Server refuses the "
                 f"whole batch (error 134, \"The variable name '{name}' has already been declared\")." if variable else
                 f"{name} is created again in the batch that created it on line {first[key]}: SQL Server refuses the "
                 f"whole batch before it runs, even with a DROP TABLE between the two (error 2714, \"There is already "
                 f"an object named '{name}' in the database\")."),
                (f"Declare {name} once and SET it where it changes, or put a GO between the two parts." if variable else
                 f"Give the second its own name, or create {name} once and empty it (TRUNCATE TABLE {name}) before "
                 "filling it again; or put a GO between the two parts."),
            )


def made(tree: exp.Expression) -> Iterator[tuple[str, exp.Expression]]:
    """The temp tables and variables a statement makes, with the node that names each: CREATE
    TABLE #t, SELECT ... INTO #t, DECLARE @x (as written)."""
    if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE":
        table = named_table(tree)
        name = table_name(table)
        if name and name.startswith("#"):
            yield name, table
    into = select_into(tree)
    name = table_name(into.this) if into is not None else None
    if name and name.startswith("#"):
        yield name, into.this
    for variable, _ in declared(tree):
        if isinstance(variable, exp.Parameter):
            yield "@" + variable.name, variable

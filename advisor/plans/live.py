"""Asking SQL Server for its estimated plan, the one piece of sqladvise that talks to a server
about the user's SQL.

With SET SHOWPLAN_XML ON, SQL Server compiles each statement it is sent and returns the plan
instead of running it. This module sends exactly three things per statement: SET SHOWPLAN_XML ON,
the statement (after the script's DECLAREs of the variables it reads, which SQL Server needs to
compile it), SET SHOWPLAN_XML OFF; and it refuses, before sending anything, any statement that
would change something if SHOWPLAN were not on (INSERT, UPDATE, DELETE, MERGE, SELECT ... INTO,
DDL, EXEC). Everything after it is the plan-file path.
"""

from __future__ import annotations

import re
from typing import Any

import sqlglot
from sqlglot import exp

from advisor.frontend.executed import as_run
from advisor.frontend.parse import Script
from advisor.frontend.positions import text_bounds
from advisor.plans.model import Plan, PlanStatement

SHOWPLAN_ON, SHOWPLAN_OFF = "SET SHOWPLAN_XML ON", "SET SHOWPLAN_XML OFF"
_CHANGES = {
    exp.Insert: "an INSERT", exp.Update: "an UPDATE", exp.Delete: "a DELETE", exp.Merge: "a MERGE",
    exp.Create: "a CREATE", exp.Drop: "a DROP", exp.Alter: "an ALTER", exp.TruncateTable: "a TRUNCATE",
    exp.Grant: "a GRANT",
}
_RUNS = ("EXEC", "EXECUTE", "DBCC", "BULK", "BACKUP", "RESTORE", "KILL", "SHUTDOWN", "REVOKE", "DENY")
# Statements SQL Server has no plan for: nothing to ask about.
NOT_PLANNED = ("DECLARE", "SET", "SET OPTION", "PRINT", "USE", "SET TRANSACTION ISOLATION LEVEL", "RAISERROR")
_VARIABLE = re.compile(r"@[\w@#$]+")


class Refused(ValueError):
    """A statement sqladvise will not send to a server; the message says why, in one line."""


def refusal(statement: str) -> str | None:
    """Why a statement would change something if run, or None for one that only reads."""
    try:
        trees = [tree for tree in sqlglot.parse(statement, read="tsql") if tree is not None]
    except sqlglot.errors.SqlglotError:
        return "sqladvise could not read it, so cannot tell that it only reads"
    if not trees:
        return "it is empty"
    for tree in trees:
        command = (tree.name if isinstance(tree, exp.Command) else tree.key).upper()
        if command in _RUNS:
            return f"it is {command}, which runs code"
        if not isinstance(tree, exp.Query):
            kind = next((words for kind, words in _CHANGES.items() if isinstance(tree, kind)), None)
            return f"it is {kind}" if kind else f"it is not a query ({tree.key.upper()})"
        if tree.find(*_CHANGES) is not None or tree.args.get("into") is not None:
            return "it writes rows (SELECT ... INTO or a change inside it)"
    return None


def requests(script: Script) -> list[tuple[int, str, str]]:
    """What to ask the server about a script: each statement it can plan (number, text as SQL
    Server runs it, the DECLAREs it needs); for a cursor, the query it is declared for."""
    written = []
    for statement in script.statements:
        if statement.tree is None:
            continue
        start, end = statement.span.start, statement.span.end
        if statement.keyword == "DECLARE CURSOR":
            start, end = text_bounds(statement.tree, script.text) or (start, end)
        text = as_run(script.text[start:end], statement.enclosing)
        if statement.keyword == "DECLARE" and not text.lstrip().upper().startswith("DECLARE"):
            text = statement.tree.sql("tsql")  # sp_executesql's N'@grade nvarchar(4)', read as the DECLARE it is
        written.append((statement.index + 1, statement.keyword, text))
    return to_plan(written)


def to_plan(statements: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """From a script's statements (number, keyword, text), in order, those SQL Server can plan,
    each with the DECLAREs before it of the variables it reads and of those theirs read (number,
    text, DECLAREs): sent alone, a statement that reads @endYear gets "Must declare the scalar
    variable". The latest DECLARE of a name counts, as in the script."""
    declaring: dict[str, str] = {}  # variable, lower case -> its DECLARE
    positions: dict[str, int] = {}  # each DECLARE -> its place in the script
    asked = []
    for at, (number, keyword, text) in enumerate(statements):
        if keyword == "DECLARE":
            positions[text] = at
            declaring.update((name, text) for name in _declared(text))
        elif keyword not in NOT_PLANNED:
            needed, waiting = set(), _VARIABLE.findall(text.lower())
            while waiting:
                declaration = declaring.get(waiting.pop())
                if declaration is not None and declaration not in needed:
                    needed.add(declaration)
                    waiting.extend(_VARIABLE.findall(declaration.lower()))
            asked.append((number, text, "\n".join(sorted(needed, key=positions.__getitem__))))
    return asked


def _declared(declaration: str) -> list[str]:
    """The variables a DECLARE statement declares, lower case."""
    try:
        trees = sqlglot.parse(declaration, read="tsql")
    except sqlglot.errors.SqlglotError:
        return []
    return ["@" + target.name.lower() for tree in trees if isinstance(tree, exp.Declare) for item in tree.expressions
            for target in (item.this if isinstance(item.this, list) else [item.this])]


def estimated_plan(connection: Any, statement: str, declarations: str = "") -> str:
    """SQL Server's estimated plan of one statement, as SHOWPLAN XML, compiled after the DECLAREs
    it needs. `connection` is a DB-API connection; the statement is checked first and refused if
    it would change anything, and so are the declarations if they are anything else."""
    reason = refusal(statement)
    if reason is not None:
        raise Refused(f"sqladvise asks a server only for plans of statements that read, and {reason}")
    if declarations and not _only_declarations(declarations):
        raise Refused("sqladvise sends a statement only after the DECLAREs it needs, and these are not only DECLAREs")
    cursor = connection.cursor()
    try:
        cursor.execute(SHOWPLAN_ON)
        try:
            cursor.execute(f"{declarations}\n{statement}" if declarations else statement)
            rows = cursor.fetchall()
        finally:
            cursor.execute(SHOWPLAN_OFF)
    finally:
        cursor.close()
    documents = [row[0] for row in rows if row and isinstance(row[0], str)]
    if not documents:
        raise Refused("the server returned no plan for the statement")
    return documents[0]


def _only_declarations(text: str) -> bool:
    try:
        trees = [tree for tree in sqlglot.parse(text, read="tsql") if tree is not None]
    except sqlglot.errors.SqlglotError:
        return False
    return bool(trees) and all(isinstance(tree, exp.Declare) and tree.find(*_CHANGES) is None for tree in trees)


def asked(plan: Plan) -> list[PlanStatement]:
    """The statements of a plan sent with its DECLAREs, without those DECLAREs' own."""
    return [statement for statement in plan.statements if not statement.text.lower().startswith("declare")]


def server_plan(address: str, statements: list[tuple[int, str, str]]) -> tuple[Plan, list[str]]:
    """The estimated plans of the statements (number, text, the DECLAREs it needs) that only read,
    from the SQL Server at `address`, as one plan; and a warning for each statement refused or not
    planned. Raises ConnectError when the server cannot be reached, or nothing could be planned."""
    from advisor.connection import ConnectError, connected, one_line, shown
    from advisor.plans import PlanError
    from advisor.plans.read import read_plan

    reasons = {number: refusal(text) for number, text, _ in statements}
    warnings = [f"statement {number}: not sent to the server: {reason}" for number, reason in reasons.items() if reason]
    reading = [(number, text, declarations) for number, text, declarations in statements if reasons[number] is None]
    if not reading:
        raise ConnectError("no statement in the file only reads, so there is nothing to ask the server to plan")
    plan = Plan(shown(address), None)
    with connected(address) as connection:
        if connection.dialect.name != "mssql":
            raise ConnectError(f"{shown(address)}: estimated plans come from SQL Server (mssql+pyodbc://...), "
                               f"not {connection.dialect.name}")
        driver_error = connection.dialect.dbapi.Error
        for number, text, declarations in reading:
            try:
                document = estimated_plan(connection.connection.driver_connection, text, declarations)
                planned = read_plan(document, f"statement {number}")
            except (Refused, PlanError, driver_error) as error:  # the server could not compile it, say
                warnings.append(f"statement {number}: no plan: {one_line(error)}")
                continue
            for statement in asked(planned):
                statement.index = len(plan.statements) + 1
                plan.statements.append(statement)
            plan.build = plan.build or planned.build
    return plan, warnings

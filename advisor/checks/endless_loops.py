"""SH035: a WHILE loop that nothing ends. Its condition reads variables that no statement of its
body changes (the SET @i += 1 forgotten), or @@FETCH_STATUS with no FETCH in the body, or nothing
at all (WHILE 1 = 1), and no BREAK, RETURN, GOTO or error leaves it: SQL Server runs the body
again and again until the timeout or a cancel stops it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.loops import loop_body
from advisor.analysis.script import assignments
from advisor.analysis.unset_variables import MENTION
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.parse import Script, Statement
from advisor.words import names

_LEAVING = frozenset({"BREAK", "RETURN", "GOTO", "THROW", "RAISERROR"})
# what a condition can read besides its variables that changes by itself: time, chance, the data
_CHANGING = re.compile(r"@@(?!FETCH_STATUS\b)|\b(?:GETDATE|GETUTCDATE|SYSDATETIME|SYSUTCDATETIME|SYSDATETIMEOFFSET|"
                       r"CURRENT_TIMESTAMP|RAND|NEWID|SELECT|EXISTS)\b", re.IGNORECASE)
_FETCH_STATUS = re.compile(r"@@FETCH_STATUS\b", re.IGNORECASE)


@file_rule("SH035")
def endless_loop(context: FileContext) -> Iterator[Hit]:
    script = context.script
    statements = [s for s in script.statements if not s.nested]
    for at, loop in enumerate(statements):
        if loop.keyword != "WHILE" or not loop.understood:
            continue
        body = loop_body(statements, at)
        condition = script.code[loop.span.start : loop.span.end]
        if not body or _CHANGING.search(condition) or any(s.keyword in _LEAVING or not s.understood for s in body):
            continue  # a statement sqladvise cannot read may change or leave anything
        hit = _endless(script, loop, condition, body)
        if hit is not None:
            yield hit


def _endless(script: Script, loop: Statement, condition: str, body: list[Statement]) -> Hit | None:
    written = condition.strip()
    stops = "SQL Server runs the body again and again, until the query timeout or a cancel stops the script"
    leave = "or leave it with BREAK where the work is done"
    if _FETCH_STATUS.search(condition):
        if any(statement.keyword == "FETCH" for statement in body):
            return None
        return Hit(
            loop.span,
            f"{written} repeats while the last FETCH found a row, and its body fetches none: @@FETCH_STATUS stays as "
            f"it was, and the body works on the same row forever. {stops}.",
            f"End the body with the FETCH NEXT FROM ... INTO ... that reads the next row, {leave}.",
        )
    variables = sorted({name.lower() for name in MENTION.findall(condition)})
    if any(_changes(script, statement, name) for statement in body for name in variables):
        return None
    if variables:
        shown = names([f"@{name}" for name in variables])
        return Hit(
            loop.span,
            f"{written} reads {shown}, which no statement of the loop's body changes (no SET, SELECT ... =, FETCH "
            f"INTO), and nothing leaves the loop: its condition never changes, and the loop never ends. {stops}.",
            f"Change {shown} in the body (SET @{variables[0]} += 1 at its end, for a count), {leave}.",
        )
    return Hit(
        loop.span,
        f"{written} reads no variable and nothing leaves the loop (BREAK, RETURN): it never ends. {stops}.",
        "Leave the loop with BREAK where the work is done, or loop on a variable the body changes.",
    )


def _changes(script: Script, statement: Statement, name: str) -> bool:
    """Whether a statement may change the variable: sets it (SET, SELECT @x =, UPDATE ... SET @x =,
    FETCH ... INTO), or hands it to what may (an EXEC)."""
    text = script.code[statement.span.start : statement.span.end]
    mentioned = [found for found in MENTION.findall(text) if found.lower() == name]
    if not mentioned:
        return False
    if statement.keyword in ("EXEC", "FETCH"):
        return True
    if statement.keyword == "SET":
        return re.match(rf"\s*SET\s+@{re.escape(name)}\s*[-+*/%&|^]?=", text, re.IGNORECASE) is not None
    tree = statement.tree
    set_here = {variable.name.lower() for variable, _ in assignments(tree)}
    if isinstance(tree, exp.Update):
        set_here |= {item.this.name.lower() for item in tree.expressions
                     if isinstance(item, exp.EQ) and isinstance(item.this, exp.Parameter)}
    return name in set_here

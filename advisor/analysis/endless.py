"""WHILE loops that nothing ends. Their condition reads variables that no statement of the body
changes (the SET @i += 1 forgotten), or @@FETCH_STATUS with no FETCH in the body, or nothing at all
(WHILE 1 = 1), and no BREAK, RETURN, GOTO or error leaves them: SQL Server runs the body again and
again until the timeout or a cancel stops the script. The check names the loop; the risk counts
the script as passing the timeout for certain."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis.loops import loop_body
from advisor.analysis.script import assignments
from advisor.analysis.unset_variables import MENTION
from advisor.frontend.parse import Script, Statement
from advisor.span import Span

LEAVING = frozenset({"BREAK", "RETURN", "GOTO", "THROW", "RAISERROR"})
# what a condition can read besides its variables that changes by itself: time, chance, the data
_CHANGING = re.compile(r"@@(?!FETCH_STATUS\b)|\b(?:GETDATE|GETUTCDATE|SYSDATETIME|SYSUTCDATETIME|SYSDATETIMEOFFSET|"
                       r"CURRENT_TIMESTAMP|RAND|NEWID|SELECT|EXISTS)\b", re.IGNORECASE)
_FETCH_STATUS = re.compile(r"@@FETCH_STATUS\b", re.IGNORECASE)


@dataclass(frozen=True)
class EndlessLoop:
    """A WHILE loop that never ends, and why."""

    index: int  # the WHILE statement's
    span: Span
    condition: str  # as written
    fetch_status: bool  # a @@FETCH_STATUS loop whose body fetches no row
    variables: tuple[str, ...] = ()  # what else the condition reads, which no statement of the body changes


def endless_loops(script: Script) -> dict[int, EndlessLoop]:
    """For each statement that is a WHILE loop that never ends, by index: that loop; for each
    statement inside one, the innermost such loop around it."""
    statements = [s for s in script.statements if not s.nested]
    found: dict[int, EndlessLoop] = {}
    for at, loop in enumerate(statements):
        if loop.keyword != "WHILE" or not loop.understood:
            continue
        body = loop_body(statements, at)
        condition = script.code[loop.span.start : loop.span.end].strip()
        if not body or _CHANGING.search(condition) or any(s.keyword in LEAVING or not s.understood for s in body):
            continue  # a statement sqladvise cannot read may change or leave anything
        endless = _endless(script, loop, condition, body)
        if endless is not None:  # loops nested in it come later and take their own statements
            found.update((statement.index, endless) for statement in (loop, *body))
    return found


def _endless(script: Script, loop: Statement, condition: str, body: list[Statement]) -> EndlessLoop | None:
    if _FETCH_STATUS.search(condition):
        fetches = any(statement.keyword == "FETCH" for statement in body)
        return None if fetches else EndlessLoop(loop.index, loop.span, condition, fetch_status=True)
    variables = sorted({name.lower() for name in MENTION.findall(condition)})
    if any(changes(script, statement, name) for statement in body for name in variables):
        return None
    return EndlessLoop(loop.index, loop.span, condition, False, tuple(f"@{name}" for name in variables))


def changes(script: Script, statement: Statement, name: str) -> bool:
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

"""WHILE loops: the statements a WHILE @@FETCH_STATUS = 0 loop runs once for each row its cursor
fetches. Districts write them to do a piece of work per school or per student; the work then
costs as many times over as the cursor has rows. A loop on anything else runs an unknown number
of times, unless it counts with a variable (passes.py): its statements are only known to repeat."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.frontend.parse import Script, Statement

_WHILE = ("WHILE",)
_DECLARED = re.compile(r"\s*DECLARE\s+(\[[^\]]+\]|\S+)", re.IGNORECASE)
# FETCH [NEXT | PRIOR | FIRST | LAST | ABSOLUTE n | RELATIVE n] [FROM] [GLOBAL] name
_FETCHED = re.compile(
    r"\s*FETCH\s+(?:(?:NEXT|PRIOR|FIRST|LAST)\s+|(?:ABSOLUTE|RELATIVE)\s+\S+\s+)?(?:FROM\s+)?(?:GLOBAL\s+)?(\[[^\]]+\]|[^\s,;]+)",
    re.IGNORECASE,
)


def while_loops(script: Script, counted: dict[int, tuple[int, str]]
                ) -> tuple[dict[int, tuple[tuple[int, str], ...]], dict[int, tuple[tuple[int, str], ...]], frozenset[int]]:
    """For each statement inside cursor loops, by index: the DECLARE ... CURSOR statements whose
    rows drive those loops (index and cursor name), outermost loop first. For each inside loops
    that count with a variable (`counted`, by the WHILE's index): their passes and variables. And
    the statements inside a WHILE loop on anything else, which runs an unknown number of times."""
    declared: dict[str, int] = {}
    # (depth of the WHILE, its cursor, its passes and variable)
    open_loops: list[tuple[int, tuple[int, str] | None, tuple[int, str] | None]] = []
    found: dict[int, tuple[tuple[int, str], ...]] = {}
    passes: dict[int, tuple[tuple[int, str], ...]] = {}
    uncounted: set[int] = set()
    for at, statement in enumerate(script.statements):
        depth = len(statement.enclosing)
        while open_loops and not statement.inside(open_loops[-1][0], _WHILE):
            open_loops.pop()
        cursors = tuple(cursor for _, cursor, _ in open_loops if cursor is not None)
        counts = tuple(count for _, _, count in open_loops if count is not None)
        if cursors:
            found[statement.index] = cursors
        if counts:
            passes[statement.index] = counts
        if len(cursors) + len(counts) < len(open_loops):
            uncounted.add(statement.index)
        if statement.keyword == "DECLARE CURSOR" and (name := _name(_DECLARED, script, statement)):
            declared[name] = statement.index
        elif statement.keyword == "WHILE":
            fetched = _fetched(script, at) if _fetch_status_loop(statement) else None
            cursor = (declared[fetched], fetched) if fetched in declared else None
            open_loops.append((depth, cursor, counted.get(statement.index) if cursor is None else None))
    return found, passes, frozenset(uncounted)


def _fetch_status_loop(statement: Statement) -> bool:
    """WHILE @@FETCH_STATUS = 0 (or <> -1): the loop runs once for each row the cursor fetches."""
    condition = statement.tree.unnest() if statement.tree is not None else None
    if not isinstance(condition, (exp.EQ, exp.NEQ)) or "@@FETCH_STATUS" not in condition.this.sql("tsql").upper():
        return False
    return condition.expression.sql("tsql") == ("0" if isinstance(condition, exp.EQ) else "-1")


def _fetched(script: Script, loop_at: int) -> str | None:
    """The cursor the loop fetches from: the FETCH just before the WHILE, or the first in its body."""
    statements = script.statements
    if loop_at and statements[loop_at - 1].keyword == "FETCH":
        return _name(_FETCHED, script, statements[loop_at - 1])
    fetch = next((statement for statement in loop_body(statements, loop_at) if statement.keyword == "FETCH"), None)
    return _name(_FETCHED, script, fetch) if fetch is not None else None


def loop_body(statements: list[Statement], loop_at: int) -> list[Statement]:
    """The statements the WHILE at `loop_at` repeats: those after it, inside it."""
    depth = len(statements[loop_at].enclosing)
    body = []
    for statement in statements[loop_at + 1 :]:
        if not statement.inside(depth, _WHILE):
            break
        body.append(statement)
    return body


def _name(pattern: re.Pattern[str], script: Script, statement: Statement) -> str | None:
    match = pattern.match(script.code, statement.span.start, statement.span.end)
    return match.group(1).strip("[]").lower() if match else None

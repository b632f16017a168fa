"""WHILE loops that count with a variable: from a constant the script gives it just before the
loop, by a constant step the body adds once each pass, while the loop's condition holds (DECLARE
@y int = 2017 ... WHILE @y <= 2026 BEGIN ... SET @y += 1 END: ten passes). The statements inside
run that many times, as a cursor loop's run once for each row. counting.py counts the same shape
in a recursive CTE."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.analysis.counting import (
    BOUND_FIRST,
    Count,
    constant_of,
    levels_of,
    step_of,
)
from advisor.analysis.endless import LEAVING, changes
from advisor.analysis.loops import loop_body
from advisor.analysis.script import assignments
from advisor.frontend.parse import Script, Statement

_BODY = (("WHILE",), ("WHILE", "BEGIN"))  # directly in the loop, not in an IF inside it


def counted_loops(script: Script) -> dict[int, tuple[int, str]]:
    """For each WHILE loop that counts with a variable, by its statement's index: how many passes
    it makes, and the variable (@y)."""
    statements = [s for s in script.statements if not s.nested]
    found = {}
    for at, loop in enumerate(statements):
        if loop.keyword == "WHILE" and loop.understood and loop.tree is not None:
            counted = _passes(script, statements, at)
            if counted is not None:
                found[loop.index] = counted
    return found


def _passes(script: Script, statements: list[Statement], at: int) -> tuple[int, str] | None:
    loop = statements[at]
    condition = loop.tree.unnest()
    written_first = isinstance(condition, (exp.LT, exp.LTE))  # @y <= 2026, not 2026 >= @y
    kind = type(condition) if written_first else BOUND_FIRST.get(type(condition))
    if kind is None:
        return None
    tested, bound = (condition.this, condition.expression) if written_first else (condition.expression, condition.this)
    if not isinstance(tested, exp.Parameter):
        return None
    name = tested.name.lower()
    body = loop_body(statements, at)
    if not body or any(s.keyword in LEAVING or not s.understood for s in body):
        return None  # a statement sqladvise cannot read may change the variable or leave the loop
    changing = [s for s in body if changes(script, s, name)]
    if len(changing) != 1 or changing[0].enclosing[len(loop.enclosing):] not in _BODY:
        return None
    step = _step(script, changing[0], name)
    if step is None:
        return None
    amount, unit = step
    start, end = _start(script, statements[:at], loop, name, unit), constant_of(bound, unit)
    if start is None or end is None or type(start) is not type(end):
        return None
    return levels_of(Count(name, start, amount, unit, condition, kind is exp.LTE, end, on_next=False)), f"@{tested.name}"


def _step(script: Script, statement: Statement, name: str) -> tuple[int, str | None] | None:
    """What one pass adds: SET @y = @y + 1, SET @d = DATEADD(day, 1, @d), or SET @y += 1, whose
    tree holds only the value added."""
    value = next((value for variable, value in assignments(statement.tree) if variable.name.lower() == name), None)
    if value is not None:
        return step_of(value, name)
    added = re.match(rf"\s*SET\s+@{re.escape(name)}\s*\+=\s*(\d+)\s*;?\s*$",
                     script.code[statement.span.start : statement.span.end], re.IGNORECASE)
    return (int(added.group(1)), None) if added and int(added.group(1)) else None


def _start(script: Script, before: list[Statement], loop: Statement, name: str, unit: str | None):
    """The constant the variable holds when the loop starts: the last statement before it that
    sets it, where that runs whenever the loop does (at the loop's own level)."""
    setting = next((s for s in reversed(before) if changes(script, s, name)), None)
    if setting is None or setting.enclosing != loop.enclosing:
        return None
    value = next((value for variable, value in assignments(setting.tree) if variable.name.lower() == name), None)
    return constant_of(value, unit) if value is not None else None

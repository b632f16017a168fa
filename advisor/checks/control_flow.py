"""SH043: control flow where SQL Server has nothing for it to act on: a BREAK or CONTINUE outside a
WHILE, a GOTO to a label its batch does not have, a RETURN with a value outside a procedure or
function. SQL Server refuses the whole batch before it runs any of it. Each happens when part of a
procedure or a loop is pasted into a script to try it alone."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.parse import Script, Statement

_LOOP_ERRORS = {"BREAK": 135, "CONTINUE": 136}
_RETURNING_VALUES = frozenset({"PROCEDURE", "FUNCTION"})


@file_rule("SH043")
def control_flow_out_of_place(context: FileContext) -> Iterator[Hit]:
    script = context.script
    statements = [statement for statement in script.statements if not statement.nested]
    labels = {(script.batch_of(s), _named(script, s).rstrip(":").lower()) for s in statements if s.keyword == "LABEL"}
    for statement in statements:
        keyword = statement.keyword
        if keyword in _LOOP_ERRORS and "WHILE" not in statement.enclosing:
            yield Hit(statement.span,
                      f"{keyword} is outside any WHILE loop: SQL Server refuses the whole batch (error "
                      f"{_LOOP_ERRORS[keyword]}, \"Cannot use a {keyword} statement outside the scope of a WHILE "
                      "statement\"), and none of it runs.",
                      f"Remove the {keyword}, or put it back inside the WHILE ... BEGIN ... END it was written for; to "
                      "leave the script early, write RETURN.")
        elif keyword == "GOTO" and (script.batch_of(statement), _named(script, statement).lower()) not in labels:
            label = _named(script, statement)
            yield Hit(statement.span,
                      f"GOTO {label} names a label its batch does not have: SQL Server refuses the whole batch (error "
                      f"133, \"A GOTO statement references the label '{label}' but the label has not been declared\").",
                      f"Write the label, {label}:, on a line of its own where the script is to go on, in this batch "
                      "(a label does not reach across a GO); or remove the GOTO.")
        elif keyword == "RETURN" and statement.tree is not None and _RETURNING_VALUES.isdisjoint(statement.enclosing):
            yield Hit(statement.span,
                      "RETURN gives a value only in a procedure or function: in a script SQL Server refuses the whole "
                      "batch (error 178, \"A RETURN statement with a return value cannot be used in this context\").",
                      "Write RETURN alone to stop the script here; to pass the value on, SELECT it or set a variable.")


def _named(script: Script, statement: Statement) -> str:
    """The name a LABEL gives (again:) or a GOTO goes to (GOTO again): its last word."""
    return script.code[statement.span.start : statement.span.end].split()[-1].rstrip(";")

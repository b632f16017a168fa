"""SH038: CREATE VIEW, PROCEDURE, FUNCTION or TRIGGER after another statement of its batch (a USE,
a SET, a DROP ... IF EXISTS, another routine with no GO between): SQL Server rejects the whole
batch (error 111), and the object is not made."""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.checks.registry import FileContext, Hit, file_rule

# What must start its batch, as the statement's first words are written
_FIRST_IN_BATCH = re.compile(r"(?:CREATE(?:\s+OR\s+ALTER)?|ALTER)\s+(VIEW|PROC(?:EDURE)?|FUNCTION|TRIGGER)\b",
                             re.IGNORECASE)


@file_rule("SH038")
def not_first_in_batch(context: FileContext) -> Iterator[Hit]:
    script = context.script
    if script.report is not None:
        return
    first_of_batch: dict[int, int] = {}  # each batch's first statement, by index
    for at, statement in enumerate(script.statements):
        if statement.nested:  # SQL an EXEC runs is a batch of its own
            continue
        batch = script.batch_of(statement)
        first = first_of_batch.setdefault(batch, at)
        made = _FIRST_IN_BATCH.match(script.code, statement.span.start, statement.span.end)
        if made is None or first == at:
            continue
        before = script.statements[first]
        opening = script.code[before.span.start : before.span.end].splitlines()[0].strip()
        opening = opening if len(opening) <= 40 else opening[:37] + "..."
        kind = "PROCEDURE" if made.group(1).upper() == "PROC" else made.group(1).upper()
        yield Hit(
            script.lines.span(made.start(), made.end()),
            f"{' '.join(made.group(0).split()).upper()} is not the first statement of its batch ({opening} on line "
            f"{before.span.line} is): SQL Server rejects the whole batch with error 111 (\"'CREATE {kind}' must be the "
            "first statement in a query batch\"), and the object is not made.",
            "Put GO on the line before it, so that it starts a batch of its own.",
        )

"""SH034: a statement that starts with WITH (a CTE) right after another statement of its batch with
no semicolon between them. WITH also continues a statement (table hints, WITH CHECK OPTION...), so
SQL Server reads it as part of the one before and refuses the batch with error 319."""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.parse import Statement

# what may stand between the two: blanks, and the END of a block the first one closes
_UNENDED_GAP = re.compile(r"(?:\s|\bEND\b)*", re.IGNORECASE)
# a condition is no statement of its own: what SQL Server does with IF ... WITH is not assumed
_CONDITIONS = {"IF", "WHILE"}


@file_rule("SH034")
def with_after_unended_statement(context: FileContext) -> Iterator[Hit]:
    script = context.script
    statements = [s for s in script.statements if not s.nested]
    for before, statement in zip(statements, statements[1:]):
        if statement.keyword != "WITH" or not _unended(script.code, before, statement):
            continue
        if before.keyword in _CONDITIONS or script.batch_of(before) != script.batch_of(statement):
            continue
        start = statement.span.start
        yield Hit(
            script.lines.span(start, start + len("WITH")),
            f"This WITH follows the {before.keyword} on line {before.span.line} with no semicolon between them: SQL "
            "Server reads WITH as part of the statement before and refuses the whole batch (error 319, \"Incorrect "
            "syntax near the keyword 'with'. If this statement is a common table expression..., the previous "
            "statement must be terminated with a semicolon\").",
            f"End the {before.keyword} with a semicolon, or start the CTE with one: ;WITH.",
        )


def _unended(code: str, before: Statement, statement: Statement) -> bool:
    """Whether nothing but blanks and END stands between the two statements, and the first does
    not end with a semicolon itself."""
    return (not code[before.span.start:before.span.end].rstrip().endswith(";")
            and _UNENDED_GAP.fullmatch(code, before.span.end, statement.span.start) is not None)

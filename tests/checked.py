"""What sqladvise finds in a piece of SQL, as the tests ask for it."""

import re


def rejected_at(statement, text: str) -> tuple[str, str]:
    """The error of a statement sqladvise reports as one SQL Server rejects, and the text it points
    at."""
    assert not statement.understood and statement.rejected, statement.error
    return statement.error, text[statement.error_span.start : statement.error_span.end]


def found(check, sql: str, rule: str) -> list:
    """The findings of one rule in the SQL, checked as a file (with a last line break, as an editor
    saves one)."""
    return [f for f in check(sql if sql.endswith("\n") else sql + "\n").findings if f.rule == rule]


def fixed_text_type(remediation: str) -> str:
    """The text type a fix writes: varchar(4), nvarchar(30)."""
    return re.search(r"(n?varchar\(\d+\))", remediation)[1]

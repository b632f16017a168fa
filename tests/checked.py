"""What sqladvise finds in a piece of SQL, as the tests ask for it."""


def found(check, sql: str, rule: str) -> list:
    """The findings of one rule in the SQL, checked as a file (with a last line break, as an editor
    saves one)."""
    return [f for f in check(sql if sql.endswith("\n") else sql + "\n").findings if f.rule == rule]

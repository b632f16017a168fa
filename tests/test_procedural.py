"""Statements that drive a script (cursors, errors, jumps, waits), and the others that hold no
query: sqladvise analyses nothing in them, but reports the misshapen ones SQL Server rejects, as
it stops the batch there."""

import pytest
from checked import rejected_at

from advisor.frontend.parse import read_script


@pytest.mark.parametrize("text", [
    "FETCH NEXT FROM c INTO @a, @b",
    "FETCH ABSOLUTE -1 FROM GLOBAL c",
    "FETCH RELATIVE @n FROM c INTO @a",
    "FETCH @c INTO @x",
    "FETCH c",
    "FETCH NEXT FROM [my cursor] INTO @x",
    "RAISERROR('x %d', 16, 1, @n) WITH NOWAIT",
    "RAISERROR(@msg, 16, 1)",
    "THROW 50000, N'x', 1",
    "THROW",
    "OPEN c",
    "OPEN GLOBAL c",
    "CLOSE @c",
    "DEALLOCATE c",
    "OPEN SYMMETRIC KEY k DECRYPTION BY CERTIFICATE cert",
    "CLOSE ALL SYMMETRIC KEYS",
    "CLOSE MASTER KEY",
    "GOTO done",
    "WAITFOR DELAY '00:00:05'",
    "WAITFOR TIME @t",
    "WAITFOR (RECEIVE TOP (1) * FROM q), TIMEOUT 1000",
    "BREAK",
    "CONTINUE",
    "GRANT SELECT ON dbo.Enrollment TO reporting",
    "ALTER TABLE #kids ADD grade varchar(4), school int",
    "ALTER DATABASE Campus SET READ_COMMITTED_SNAPSHOT ON",
])
def test_every_shape_sql_server_takes_is_read(text):
    statement, = read_script(text).statements
    assert statement.understood, statement.error


@pytest.mark.parametrize(
    "text, reason",
    [
        ("FETCH NEXT c INTO @x", "FETCH NEXT needs FROM before the cursor's name"),
        ("FETCH NEXT FROM c @x", "FETCH takes only INTO and the variables it fills"),
        ("FETCH NEXT FROM c INTO", "FETCH takes only INTO and the variables it fills"),
        ("FETCH NEXT FROM", "FETCH needs the cursor's name"),
        ("CLOSE c d", "CLOSE takes one cursor's name"),
        ("DEALLOCATE", "DEALLOCATE takes one cursor's name"),
        ("THROW 50000, 'Enrollment missing'", "THROW takes an error number, a message and a state"),
        ("RAISERROR('Enrollment missing', 16)", "RAISERROR takes its message, severity and state"),
        ("RAISERROR 50001 'Enrollment missing'", "RAISERROR takes its message, severity and state"),  # gone in 2012
        ("WAITFOR '00:00:05'", "WAITFOR takes DELAY or TIME"),
        ("GOTO", "GOTO takes one label's name"),
        ("BREAK 1", "BREAK takes nothing after it"),
    ],
)
def test_a_misshapen_one_is_rejected_where_it_is(text, reason):
    statement, = read_script(text).statements
    error, pointed = rejected_at(statement, text)
    assert reason in error
    assert pointed == text


@pytest.mark.parametrize(
    "text, near, reason",
    [
        ("GRANT SELECT ON dbo.Enrollment TO", "TO", "it ends at TO"),
        ("ALTER TABLE #kids ADD", "ADD", "it ends at ADD"),
        ("ALTER TABLE #kids ADD grade varchar(4),", ",", "it ends with a comma"),
        ("REVOKE SELECT ON dbo.Enrollment FROM", "FROM", "it ends at FROM"),
    ],
)
def test_a_statement_without_a_query_cut_short_is_rejected_at_its_end(text, near, reason):
    statement, = read_script(text).statements
    error, pointed = rejected_at(statement, text)
    assert reason in error
    assert statement.error_span.end == len(text) and pointed == near


@pytest.mark.parametrize("text, comma", [
    ("RAISERROR('Enrollment missing', 16, )", 34),
    ("RAISERROR('Enrollment %d missing', 16, 1, , @id)", 40),
    ("ALTER TABLE #kids ADD CONSTRAINT pk PRIMARY KEY (personID, , calendarID)", 57),
])
def test_a_value_left_out_between_commas_is_rejected_at_the_comma(text, comma):
    statement, = read_script(text).statements
    error, pointed = rejected_at(statement, text)
    assert "leaves an empty item in the list" in error
    assert pointed == "," and statement.error_span.start == comma


def test_a_routine_s_header_ends_where_its_body_starts():
    statements = read_script("CREATE PROCEDURE dbo.kids AS\nSELECT 1\nGO\nCREATE TRIGGER t ON #k AFTER INSERT AS\n"
                             "SELECT 2").statements
    assert [(s.keyword, s.understood) for s in statements] == [("CREATE PROCEDURE", True), ("SELECT", True),
                                                               ("CREATE TRIGGER", True), ("SELECT", True)]

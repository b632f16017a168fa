"""SH046: a variable the script sets that no statement reads, so that what it was declared to
limit runs without it."""

import pytest
from checked import found

QUERY = "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026;\n"


def test_a_variable_set_and_never_read_is_pointed_at_in_its_declare(check):
    sql = "DECLARE @schoolID int = 12, @endYear smallint = 2026;\n" + QUERY.replace("2026", "@endYear")
    (finding,) = found(check, sql, "SH046")
    assert finding.span.line == 1 and sql[finding.span.start:finding.span.end] == "@schoolID"
    assert finding.message.startswith("@schoolID is set to 12, but no statement of the script reads it")
    assert "Use @schoolID where it was meant to be used" in finding.remediation


def test_a_value_set_later_is_named_with_its_line(check):
    sql = "DECLARE @first date;\nSELECT @first = MIN(c.startDate) FROM Calendar c WHERE c.endYear = 2026;\n" + QUERY
    (finding,) = found(check, sql, "SH046")
    assert finding.message.startswith("@first is set to MIN(c.startDate) on line 2, but no statement")


@pytest.mark.parametrize("sql", [
    # read by a query, a condition, a loop, a PRINT, an EXEC's argument, a value of its own
    "DECLARE @y smallint = 2026;\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @y;\n",
    "DECLARE @y smallint = 2026;\nIF @y > 2025 PRINT 'this year';\n",
    "DECLARE @i int = 0;\nWHILE @i < 3 SET @i = @i + 1;\n",
    "DECLARE @note varchar(20) = 'done';\nPRINT @note;\n",
    "DECLARE @y smallint = 2026;\nEXEC dbo.letters @endYear = @y;\n",
    "DECLARE @y smallint = 2026, @next smallint;\nSET @next = @y + 1;\nSELECT @next AS nextYear;\n",
    # statements sqladvise does not read into a tree name it: RAISERROR's arguments, a FETCH INTO, a
    # statement SQL Server rejects
    "DECLARE @note varchar(20) = 'done';\nRAISERROR('%s', 0, 1, @note) WITH NOWAIT;\n",
    "DECLARE @n int = 10;\nSELECT TOP @n e.personID FROM Enrollment e;\n",
    # declared but never given a value, and a table variable (SH045's)
    "DECLARE @unused int;\n" + QUERY,
    "DECLARE @t TABLE (personID int);\nINSERT INTO @t VALUES (1);\n",
])
def test_a_variable_read_anywhere_or_never_set_is_not_pointed_at(check, sql):
    assert not found(check, sql, "SH046")


def test_an_exec_string_declares_variables_of_its_own(check):
    sql = "EXEC sp_executesql N'DECLARE @inner int = 1; SELECT 1 AS one', N'@x int', @x = 1;\n"
    assert not found(check, sql, "SH046")


def test_a_misspelt_use_is_sh037s_and_not_said_twice(check):
    sql = "DECLARE @endYear smallint = 2026;\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @endYr;\n"
    assert found(check, sql, "SH037") and not found(check, sql, "SH046")


def test_the_value_named_is_the_first_after_its_declare(check):
    # set before its DECLARE, it is SQL Server's error 137, not a value the variable holds
    sql = "SET @y = 2025;\nDECLARE @y smallint = 2026;\n" + QUERY
    (finding,) = found(check, sql, "SH046")
    assert finding.message.startswith("@y is set to 2026, but")

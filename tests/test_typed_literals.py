"""`date 'Day'`: T-SQL has no typed literals. In a SELECT list it is a column returned under a
name; elsewhere SQL Server rejects it. sqlglot reads CAST('Day' AS date) in both."""

import pytest

from advisor.frontend.parse import read_script
from tests.checked import found, rejected_at
from tests.engines import sqlite_with

ATTENDANCE = {"Attendance": ("personID int, calendarID int, date text", [
    (1, 5, "2026-09-01"), (2, 5, "2026-09-02"), (3, 6, "2026-09-03")])}


@pytest.mark.parametrize("text", [
    "SELECT date 'Day', a.personID FROM Attendance a WHERE a.calendarID = 5",
    "SELECT DISTINCT a.personID, Date 'Absent on' FROM Attendance a WHERE a.calendarID = 5 ORDER BY [Absent on]",
])
def test_a_column_named_like_a_type_before_a_string_is_that_column_under_the_strings_name(text):
    [statement] = read_script(text).statements
    assert statement.understood, statement.error
    read = statement.tree.sql("sqlite")
    assert "CAST" not in read.upper()
    # SQLite reads the name and string as SQL Server does: the column, under that name
    database = sqlite_with(ATTENDANCE)
    as_written, as_read = database.execute(text.replace("[Absent on]", "'Absent on'")), database.execute(read)
    assert sorted(as_read.fetchall()) == sorted(as_written.fetchall())
    assert [c[0] for c in as_read.description] == [c[0] for c in as_written.description]


def test_the_checks_see_the_column(check):
    assert not found(check, "SELECT date 'Day' FROM Attendance a WHERE a.calendarID = 5", "CL003")
    assert found(check, "SELECT e.personID, date 'Day' FROM Enrollment e WHERE e.endYear = 2027", "CL003")  # Enrollment has none


@pytest.mark.parametrize(("text", "near"), [
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date >= DATE '2024-08-01'", "DATE '2024-08-01'"),
    ("SELECT a.personID, int 5 FROM Attendance a", "int 5"),
    ("SELECT a.personID, date 'a' + 'b' FROM Attendance a", "date 'a'"),
    ("UPDATE Enrollment SET startDate = datetime '2024-08-01' WHERE enrollmentID = 5", "datetime '2024-08-01'"),
    ("DECLARE @d date = date '2024-08-01'", "date '2024-08-01'"),
])
def test_a_typed_literal_anywhere_else_is_rejected(text, near):
    [statement] = read_script(text).statements
    error, at = rejected_at(statement, text)
    assert "is another database's constant, not SQL Server's" in error
    assert at == near


@pytest.mark.parametrize("text", [
    "SELECT a.personID, a.date 'Day' FROM Attendance a",
    "SELECT CAST('2024-08-01' AS date), CONVERT(date, '2024-08-01'), TRY_CAST('x' AS int) FROM Attendance a",
    "DECLARE @d date = '2024-08-01'",
])
def test_a_type_in_a_cast_or_a_qualified_column_is_read_as_before(text):
    [statement] = read_script(text).statements
    assert statement.understood, statement.error

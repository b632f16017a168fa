"""JN011: a test that no row exists made of two joins and an IS NULL on the second. SQLite
keeps the unmatched rows as SQL Server does: the students who stayed come back, and the fix's
NOT EXISTS returns the one who left."""

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

LEFT = ("SELECT e25.personID FROM Enrollment e25\n"
        "JOIN Calendar c25 ON c25.calendarID = e25.calendarID AND c25.endYear = 2025\n"
        "LEFT JOIN Enrollment e26 ON e26.personID = e25.personID\n"
        "LEFT JOIN Calendar c26 ON c26.calendarID = e26.calendarID AND c26.endYear = 2026\n"
        "WHERE c26.calendarID IS NULL")


@pytest.mark.parametrize("sql", [LEFT, LEFT.replace("LEFT JOIN Enrollment e26", "JOIN Enrollment e26")])
def test_the_students_who_stayed_pass_the_chained_test_and_the_fix_keeps_the_one_who_left(check, sql):
    """Joined by an inner join, the first table changes nothing: the 2025 enrollment is one of its rows."""
    (hit,) = found(check, sql, "JN011")
    assert hit.message == (
        "c26.calendarID IS NULL keeps more than the rows with no Enrollment e26 row where c26.endYear = 2026: e26 is "
        "joined on e26.personID = e25.personID alone, so it brings all the rows that match, and each one Calendar c26 "
        "finds no match for passes the test, keeping the row once for each, whether or not another one has a match.")
    assert hit.remediation.startswith("Test that no such row exists with NOT EXISTS, in place of both joins and the IS NULL")
    fix = hit.remediation.split("IS NULL: ")[1].rstrip(".")
    assert fix == ("NOT EXISTS (SELECT 1 FROM Enrollment e26 JOIN Calendar c26 ON c26.calendarID = e26.calendarID AND "
                   "c26.endYear = 2026 WHERE e26.personID = e25.personID)")
    # person 1 stayed, person 2 left
    district = sqlite_with({
        "Calendar": ("calendarID, endYear", [(1, 2025), (2, 2026)]),
        "Enrollment": ("enrollmentID, personID, calendarID", [(10, 1, 1), (11, 1, 2), (12, 2, 1)]),
    })
    assert sqlite_rows(district, sql) == [(1,), (2,)]
    fixed = LEFT.split("LEFT JOIN")[0] + "WHERE " + fix
    assert sqlite_rows(district, fixed) == [(2,)]
    assert found(check, fixed, "JN011") == []


@pytest.mark.parametrize("sql", [
    # no condition of its own on the second table: enrollments whose calendar is missing, as asked
    LEFT.replace(" AND c26.endYear = 2026", ""),
    # the first table's one row for each: its row failing the test is the same as none passing it
    LEFT.replace("LEFT JOIN Enrollment e26 ON e26.personID = e25.personID",
                 "LEFT JOIN Enrollment e26 ON e26.enrollmentID = e25.enrollmentID"),
    # the other years' enrollments listed: the rows the second table finds nothing for are the point
    LEFT.replace("SELECT e25.personID", "SELECT e25.personID, e26.calendarID"),
    # a column the table may hold NULL in is no test of a missing row
    LEFT.replace("WHERE c26.calendarID IS NULL", "WHERE c26.startDate IS NULL"),
    # the first table in a comma-separated FROM list: no ON to move into NOT EXISTS (it raised KeyError)
    "SELECT c25.calendarID FROM Calendar c25, Enrollment e26\n"
    "LEFT JOIN Calendar c26 ON c26.calendarID = e26.calendarID AND c26.endYear = 2026\n"
    "WHERE c26.calendarID IS NULL AND e26.personID = c25.schoolID",
])
def test_a_chain_that_asks_what_it_means_is_left_alone(check, sql):
    assert found(check, sql, "JN011") == []

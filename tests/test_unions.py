"""SH005: UNION where UNION ALL returns the same rows. Each statement is run in SQLite both ways on
rows that keep the catalog's keys (a person who is a student and on the staff, a student with
two enrollments in a year, absences in two periods of one day): where the rule speaks, the two
return the same rows; where it is silent because an arm can return a row twice, they differ."""

import sqlite3
from collections import Counter
from functools import partial

import pytest
import sqlglot
from checked import found


def _database() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    for create in ("Person (personID, studentNumber, staffNumber)", "Calendar (calendarID, endYear)",
                   "Enrollment (enrollmentID, personID, calendarID, grade)",
                   "Attendance (attendanceID, personID, calendarID, date, periodID, status)"):
        connection.execute(f"CREATE TABLE {create}")
    connection.executemany("INSERT INTO Person VALUES (?, ?, ?)", [(1, "S1", None), (2, "S2", "T2"), (3, None, "T3")])
    connection.executemany("INSERT INTO Calendar VALUES (?, ?)", [(10, 2026), (11, 2027), (12, 2027)])
    # person 1 moved school within 2027: two enrollments, two calendars of one year
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?, ?, ?)",
                           [(100, 1, 10, "09"), (101, 1, 11, "10"), (102, 1, 12, "10"), (103, 2, 11, "12")])
    connection.executemany("INSERT INTO Attendance VALUES (?, ?, ?, ?, ?, ?)",
                           [(1000, 1, 11, "2026-09-01", 1, "A"), (1001, 1, 11, "2026-09-01", 2, "A"),
                            (1002, 2, 11, "2026-09-01", 1, "T"), (1003, 2, 11, "2026-09-02", 1, "A")])
    return connection


def _rows(sql: str) -> Counter:
    connection = _database()
    return Counter(connection.execute(sqlglot.transpile(sql, read="tsql", write="sqlite")[0]).fetchall())


_hits = partial(found, rule="SH005")


ENROLLMENT_OF_YEAR = ("SELECT e.enrollmentID, c.endYear FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
                      "WHERE c.endYear = {}")
COUNT_OF_YEAR = ("SELECT c.endYear, COUNT(*) AS enrollments FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
                 "WHERE c.endYear = {} GROUP BY c.endYear")


@pytest.mark.parametrize("sql, column", [
    # each person once per arm, tagged by a constant
    ("SELECT p.personID, p.studentNumber AS number, 'student' AS role FROM Person p WHERE p.studentNumber IS NOT NULL\n"
     "UNION\nSELECT p.personID, p.staffNumber, 'staff' FROM Person p WHERE p.staffNumber IS NOT NULL", 3),
    # the year each arm's WHERE fixes; Calendar looked up on its key
    (ENROLLMENT_OF_YEAR.format(2026) + "\nUNION\n" + ENROLLMENT_OF_YEAR.format(2027), 2),
    # one row per group, the group's column returned
    (COUNT_OF_YEAR.format(2026) + "\nUNION\n" + COUNT_OF_YEAR.format(2027), 1),
    # a UNION ALL inside: its arms too must differ from each other
    ("SELECT p.personID, 1 AS kind FROM Person p\nUNION ALL\nSELECT p.personID, 2 FROM Person p\nUNION\n"
     "SELECT DISTINCT e.personID, 3 FROM Enrollment e", 2),
])
def test_a_union_that_removes_nothing_is_found_and_union_all_returns_the_same_rows(check, sql, column):
    (hit,) = _hits(check, sql)
    assert hit.message == (f"UNION sorts or hashes the whole result to remove duplicates, but there are none: column {column} "
                           "has a different value in each arm, and each arm returns a row once.")
    assert hit.span.line == sql.count("\n") + 1  # the arm after the word UNION
    assert _rows(sql) == _rows(sql.replace("\nUNION\n", "\nUNION ALL\n"))


@pytest.mark.parametrize("sql", [
    # a student enrolled twice in 2027 is one row of UNION, two of UNION ALL
    "SELECT e.personID, c.endYear FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2026\n"
    "UNION\nSELECT e.personID, c.endYear FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2027",
    # a day's absence in two periods
    "SELECT a.personID, a.date, 'Absent' AS kind FROM Attendance a WHERE a.calendarID = 11 AND a.status = 'A'\n"
    "UNION\nSELECT a.personID, a.date, 'Tardy' FROM Attendance a WHERE a.calendarID = 11 AND a.status = 'T'",
    # grouped by a column it does not return
    "SELECT e.personID, c.endYear FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
    "WHERE c.endYear = 2027 GROUP BY e.personID, c.endYear, e.calendarID\nUNION\nSELECT 0, 2026",
])
def test_a_union_whose_arm_can_return_a_row_twice_is_left_alone(check, sql):
    assert _hits(check, sql) == []
    assert _rows(sql) != _rows(sql.replace("\nUNION\n", "\nUNION ALL\n"))


@pytest.mark.parametrize("sql", [
    # SQL Server's default collation compares text without case or trailing spaces
    "SELECT p.personID, 'Student' AS role FROM Person p UNION SELECT p.personID, 'student ' FROM Person p",
    "SELECT p.personID, 1 AS kind FROM Person p UNION SELECT p.personID, 1.0 FROM Person p",
    # two arms of one year
    "SELECT e.enrollmentID, c.endYear FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2027 "
    "UNION SELECT e.enrollmentID, c.endYear FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear > 2026",
    # constants alone: a few rows, sorted at no cost
    "SELECT a.personID FROM Attendance a WHERE a.calendarID = 11 AND a.status <> ALL (SELECT 'P' UNION SELECT 'T')",
    # a total each, and a key's row each: as few rows
    "SELECT 2026 AS endYear, COUNT(*) FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2026 "
    "UNION SELECT 2027, COUNT(*) FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2027",
    "SELECT p.personID, 'student' AS role FROM Person p WHERE p.personID = 1 "
    "UNION SELECT p.personID, 'staff' FROM Person p WHERE p.personID = 2",
])
def test_arms_that_can_share_a_row_or_read_no_table_or_return_a_row_each_are_left_alone(check, sql):
    assert _hits(check, sql) == []

"""SH041: SUM or AVG of DISTINCT values counts each different value once. SQLite totals the same
rows both ways: the DISTINCT total is short wherever values repeat."""

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

MINUTES = ("SELECT a.personID, SUM(DISTINCT a.presentMinutes) AS minutes FROM Attendance a "
           "WHERE a.calendarID = 12 GROUP BY a.personID")


@pytest.fixture(scope="module")
def sqlite():
    return sqlite_with({"Attendance": ("personID INTEGER, calendarID INTEGER, presentMinutes INTEGER",
                                       [(1, 12, 30), (1, 12, 30), (1, 12, 45), (2, 12, 60)])})


def test_a_sum_of_distinct_values_counts_alike_rows_once(check, sqlite):
    (hit,) = found(check, MINUTES, "SH041")
    assert MINUTES[hit.span.start:hit.span.end] == "SUM(DISTINCT a.presentMinutes)"
    assert hit.message == ("SUM(DISTINCT a.presentMinutes) adds each different value of a.presentMinutes once, however "
                           "many rows have it: two rows of 30 add 30, not 60; the DISTINCT cannot tell rows that are "
                           "alike from the copies a join makes.")
    assert hit.remediation.startswith("Write SUM(a.presentMinutes) so that each row counts")
    assert hit.severity == "warning"
    assert sqlite_rows(sqlite, MINUTES) == [(1, 75), (2, 60)]
    assert sqlite_rows(sqlite, MINUTES.replace("SUM(DISTINCT a.presentMinutes)", "SUM(a.presentMinutes)")) == [(1, 105), (2, 60)]


def test_an_average_of_distinct_values_too(check, sqlite):
    sql = MINUTES.replace("SUM(DISTINCT", "AVG(DISTINCT")
    (hit,) = found(check, sql, "SH041")
    assert hit.message.startswith("AVG(DISTINCT a.presentMinutes) averages each different value")
    assert sqlite_rows(sqlite, sql.replace("a.presentMinutes)", "a.presentMinutes * 1.0)")) == [(1, 37.5), (2, 60.0)]
    assert sqlite_rows(sqlite, sql.replace("AVG(DISTINCT a.presentMinutes)", "AVG(a.presentMinutes * 1.0)")) == [(1, 35.0), (2, 60.0)]


@pytest.mark.parametrize("sql", [
    "SELECT a.personID, COUNT(DISTINCT a.attendanceID) FROM Attendance a WHERE a.calendarID = 12 GROUP BY a.personID",
    "SELECT a.personID, SUM(a.presentMinutes) FROM Attendance a WHERE a.calendarID = 12 GROUP BY a.personID",
    "SELECT DISTINCT a.personID, a.presentMinutes FROM Attendance a WHERE a.calendarID = 12",
])
def test_counts_of_distinct_keys_and_plain_totals_are_not_reported(check, sql):
    assert found(check, sql, "SH041") == []

"""JN005: COUNT(*) of the rows a LEFT JOIN may not find. SQLite keeps the unmatched row as SQL
Server does: COUNT(*) gives the student without absences 1, and the fix's COUNT(key) gives 0."""

import re
import sqlite3
from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="JN005")

COUNTED = ("SELECT p.personID, {count} AS absences FROM Person p\n"
           "LEFT JOIN Attendance a ON a.personID = p.personID AND a.status = 'A'\nGROUP BY p.personID")


@pytest.fixture(scope="module")
def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Person (personID)")
    connection.executemany("INSERT INTO Person VALUES (?)", [(1,), (2,)])
    connection.execute("CREATE TABLE Attendance (attendanceID, personID, status)")
    connection.executemany("INSERT INTO Attendance VALUES (?, ?, ?)", [(10, 1, "A"), (11, 1, "A")])
    return connection




def test_count_star_gives_one_for_a_row_the_left_join_found_nothing_for_and_the_key_count_gives_zero(check, database):
    sql = COUNTED.format(count="COUNT(*)")
    (hit,) = _hits(check, sql)
    assert hit.message == ("COUNT(*) counts 1, not 0, for a group Attendance a has no row for: the LEFT JOIN keeps that row "
                           "once, with NULL in every Attendance column, and COUNT(*) counts rows, NULL or not.")
    assert (hit.span.line, hit.span.column, hit.span.end_column) == (1, 20, 27)
    assert sqlite_rows(database, sql) == [(1, 2), (2, 1)]
    fix = re.search(r"(COUNT\(\w+\.\w+\)) counts only", hit.remediation)[1]
    assert fix == "COUNT(a.attendanceID)"
    assert sqlite_rows(database, COUNTED.format(count=fix)) == [(1, 2), (2, 0)]
    assert _hits(check, COUNTED.format(count=fix)) == []


MEMBERSHIP = ("CREATE TABLE #days (calendarID int, date date, PRIMARY KEY (calendarID, date))\n"
              "INSERT INTO #days SELECT y.calendarID, y.date FROM Day y WHERE y.calendarID = 7 AND y.instruction = 1\n"
              "SELECT e.personID, {count} AS membershipDays FROM Enrollment e\n"
              "JOIN #days d ON d.calendarID = e.calendarID\n"
              "LEFT JOIN Attendance a ON a.personID = e.personID AND a.calendarID = d.calendarID AND a.date = d.date\n"
              "GROUP BY e.personID")


def test_count_star_over_rows_kept_finer_than_the_groups_counts_neither_and_each_fix_counts_its_own(check):
    """A student's days, each LEFT JOINed to its attendance marks (a row per period): COUNT(*)
    counts a day once for each mark and once if it has none."""
    (hit,) = _hits(check, MEMBERSHIP.format(count="COUNT(*)"))
    assert hit.message == ("COUNT(*) counts the rows the LEFT JOIN gives: for each #days d row, one for every Attendance a "
                           "row it finds and 1 where it finds none, so it counts neither the #days d rows nor Attendance's.")
    assert hit.remediation == ("Count what is meant: the #days d rows with COUNT(DISTINCT d.date); Attendance's rows with "
                               "COUNT(a.attendanceID), which is 0 where the LEFT JOIN found none.")
    # person 1: three days, two periods marked on the first; person 2: the same days, none marked
    district = sqlite_with({
        "Enrollment": ("personID, calendarID", [(1, 7), (2, 7)]),
        "days": ("calendarID, date", [(7, "2025-09-02"), (7, "2025-09-03"), (7, "2025-09-04")]),
        "Attendance": ("attendanceID, personID, calendarID, date", [(10, 1, 7, "2025-09-02"), (11, 1, 7, "2025-09-02")]),
    })
    query = MEMBERSHIP.split("\n", 2)[2].replace("#days", "days")
    assert sqlite_rows(district, query.format(count="COUNT(*)")) == [(1, 4), (2, 3)]
    assert sqlite_rows(district, query.format(count="COUNT(DISTINCT d.date)")) == [(1, 3), (2, 3)]
    assert sqlite_rows(district, query.format(count="COUNT(a.attendanceID)")) == [(1, 2), (2, 0)]

def test_count_star_of_a_left_joined_view_is_reported_and_counts_a_column_its_on_compares(check):
    """v_CensusContactSummary has a row per contact and no key of its own: the fix counts the column
    the ON equates with the person's, which no row the LEFT JOIN finds holds NULL in."""
    sql = ("SELECT p.personID, {count} AS contacts FROM Person p\n"
           "LEFT JOIN v_CensusContactSummary c ON c.personID = p.personID\nGROUP BY p.personID")
    (hit,) = _hits(check, sql.format(count="COUNT(*)"))
    assert hit.message == ("COUNT(*) counts 1, not 0, for a group v_CensusContactSummary c has no row for: the LEFT JOIN "
                           "keeps that row once, with NULL in every v_CensusContactSummary column, and COUNT(*) counts "
                           "rows, NULL or not.")
    fix = re.search(r"(COUNT\(\w+\.\w+\)) counts only", hit.remediation)[1]
    assert fix == "COUNT(c.personID)"
    district = sqlite_with({
        "Person": ("personID", [(1,), (2,)]),
        "v_CensusContactSummary": ("personID, contactPersonID", [(1, 30), (1, 31)]),
    })
    assert sqlite_rows(district, sql.format(count="COUNT(*)")) == [(1, 2), (2, 1)]
    assert sqlite_rows(district, sql.format(count=fix)) == [(1, 2), (2, 0)]
    assert _hits(check, sql.format(count=fix)) == []


@pytest.mark.parametrize("sql", [
    # an inner join: every group has a row of its own
    "SELECT p.personID, COUNT(*) FROM Person p JOIN Attendance a ON a.personID = p.personID GROUP BY p.personID",
    # the WHERE keeps only the rows it found: an inner join in effect
    "SELECT p.personID, COUNT(*) FROM Person p LEFT JOIN Attendance a ON a.personID = p.personID "
    "WHERE a.status = 'A' GROUP BY p.personID",
    # one row at most for each kept row: COUNT(*) counts the kept rows
    "SELECT c.calendarID, COUNT(*) FROM Calendar c LEFT JOIN School s ON s.schoolID = c.schoolID GROUP BY c.calendarID",
    # grouped on the joined table's own rows
    "SELECT a.status, COUNT(*) FROM Person p LEFT JOIN Attendance a ON a.personID = p.personID GROUP BY a.status",
    # a running count over the rows
    "SELECT p.personID, COUNT(*) OVER () FROM Person p LEFT JOIN Attendance a ON a.personID = p.personID "
    "GROUP BY p.personID",
])
def test_counts_of_rows_that_are_there_are_left_alone(check, sql):
    assert _hits(check, sql) == []


def test_count_star_grouped_on_columns_that_are_not_the_kept_rows_key_counts_neither(check):
    """Students counted by school and grade, each LEFT JOINed to last year's enrollments: a group
    holds many students, so COUNT(*) is no "1 for a group with none"; it counts each student
    once for every enrollment of last year, so one who changed schools counts twice."""
    sql = ("WITH yr AS (SELECT e.personID, e.grade, c.schoolID FROM Enrollment e\n"
           "JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2026)\n"
           "SELECT y.schoolID, y.grade, COUNT(*) AS students FROM yr y\n"
           "LEFT JOIN Enrollment prior ON prior.personID = y.personID AND prior.endYear = 2025\n"
           "GROUP BY y.schoolID, y.grade")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("COUNT(*) counts the rows the LEFT JOIN gives: for each yr y row, one for every "
                                  "Enrollment prior row it finds and 1 where it finds none")
    district = sqlite_with({
        "Calendar": ("calendarID, endYear, schoolID", [(1, 2025, 10), (2, 2025, 11), (3, 2026, 10)]),
        "Enrollment": ("enrollmentID, personID, calendarID, grade, endYear",
                       [(1, 1, 1, "9", 2025), (2, 1, 2, "9", 2025), (3, 1, 3, "10", 2026), (4, 2, 3, "10", 2026)]),
    })
    assert sqlite_rows(district, sql) == [(10, "10", 3)]  # two students

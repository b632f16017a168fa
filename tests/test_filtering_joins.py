"""JN007: a COUNT or SUM of the grouped table's rows, repeated by a table joined only to filter
them. SQLite joins as SQL Server does: a student enrolled twice this year has each absence
counted twice, and the EXISTS the finding offers counts each once."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="JN007")

ROWS = {
    # student 1: 2 absences, enrolled twice in 2026 (moved school); student 2: 1 absence, enrolled once
    "Attendance": ("attendanceID, personID, calendarID, status, minutes",
                   [(10, 1, 412, "A", 60), (11, 1, 415, "A", 30), (12, 2, 412, "A", 45)]),
    "Enrollment": ("enrollmentID, personID, calendarID, endYear", [(1, 1, 412, 2026), (2, 1, 415, 2026), (3, 2, 412, 2026)]),
}
_COUNTED = ("SELECT a.personID, COUNT(a.attendanceID) AS absences, SUM(a.minutes) AS minutes\nFROM Attendance a\n"
            "JOIN Enrollment e ON e.personID = a.personID\nWHERE e.endYear = 2026 AND a.status = 'A'\nGROUP BY a.personID")


@pytest.fixture(scope="module")
def database():
    return sqlite_with(ROWS)


def test_totals_repeated_by_a_filtering_join_are_found_and_exists_counts_each_row_once(check, database):
    (hit,) = _hits(check, _COUNTED)
    assert hit.message == (
        "Enrollment e is joined only to filter the Attendance rows: none of its columns is returned or grouped on. But "
        "it has several rows for one Attendance a row (joined on e.personID only), and the join repeats each Attendance "
        "row once for each of them: COUNT(a.attendanceID) and SUM(a.minutes) count it as many times.")
    assert (hit.span.line, hit.span.column) == (3, 6)
    assert sqlite_rows(database, _COUNTED) == [(1, 4, 180), (2, 1, 45)]  # student 1's two absences, twice each
    _counted_once(check, database, hit, _COUNTED, "Enrollment e")


def _counted_once(check, database, hit, counted: str, joined: str) -> None:
    """The EXISTS the finding offers, in place of the join to `joined`: no finding, and each
    absence counted once."""
    exists = hit.remediation.split("in the WHERE: ")[1].split(". Each")[0]
    assert exists == f"EXISTS (SELECT 1 FROM {joined} WHERE e.personID = a.personID AND e.endYear = 2026)"
    fixed = (counted.replace(f"JOIN {joined} ON e.personID = a.personID\n", "")
             .replace("WHERE e.endYear = 2026 AND ", f"WHERE {exists} AND "))
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed) == [(1, 2, 90), (2, 1, 45)]


def test_a_filter_read_first_in_the_from_is_found_and_the_counted_table_takes_its_place(check, database):
    first = ("SELECT a.personID, COUNT(a.attendanceID) AS absences, SUM(a.minutes) AS minutes\nFROM Enrollment e\n"
             "JOIN Attendance a ON a.personID = e.personID\nWHERE e.endYear = 2026 AND a.status = 'A'\nGROUP BY a.personID")
    (hit,) = _hits(check, first)
    assert (hit.span.line, hit.span.column) == (2, 6)
    assert hit.remediation.startswith("Read Attendance a in the FROM. Test for a match instead of joining, in the "
                                      "WHERE: EXISTS (SELECT 1 FROM Enrollment e WHERE a.personID = e.personID AND "
                                      "e.endYear = 2026).")
    assert sqlite_rows(database, first) == [(1, 4, 180), (2, 1, 45)]


def test_a_view_joined_to_filter_is_read_as_its_definition(check, database):
    # the ad hoc student view has a row per enrollment: a student enrolled twice is two of its rows
    database.execute("CREATE VIEW v_AdHocStudent AS SELECT personID, calendarID, endYear FROM Enrollment")
    counted = _COUNTED.replace("JOIN Enrollment e ON e.personID", "JOIN v_AdHocStudent e ON e.personID")
    (hit,) = _hits(check, counted)
    assert hit.message.startswith("v_AdHocStudent e is joined only to filter the Attendance rows")
    assert "(joined on e.personID only)" in hit.message
    assert sqlite_rows(database, counted) == [(1, 4, 180), (2, 1, 45)]
    _counted_once(check, database, hit, counted, "v_AdHocStudent e")


def test_a_temp_table_joined_to_filter_is_judged_by_the_query_that_filled_it(check):
    filled = "SELECT e.personID, e.endYear INTO #enr FROM Enrollment e WHERE e.endYear = 2026\n"
    (hit,) = _hits(check, filled + _COUNTED.replace("JOIN Enrollment e", "JOIN #enr e"))
    assert hit.message.startswith("#enr e is joined only to filter the Attendance rows")
    assert "EXISTS (SELECT 1 FROM #enr e WHERE e.personID = a.personID AND e.endYear = 2026)" in hit.remediation


def test_the_exists_reads_an_indexed_view_with_noexpand(check):
    counted = _COUNTED.replace("JOIN Enrollment e ON e.personID", "JOIN student e WITH (NOEXPAND) ON e.personID")
    (hit,) = _hits(check, counted)
    assert "EXISTS (SELECT 1 FROM student e WITH (NOEXPAND) WHERE e.personID = a.personID AND e.endYear = 2026)" \
        in hit.remediation


@pytest.mark.parametrize("sql", [
    # joined on the rest of its key: one enrollment for each attendance row
    _COUNTED.replace("ON e.personID = a.personID", "ON e.personID = a.personID AND e.calendarID = a.calendarID"),
    # COUNT(*) may mean to count the joined rows; a DISTINCT count counts each once
    _COUNTED.replace("COUNT(a.attendanceID) AS absences, SUM(a.minutes) AS minutes", "COUNT(*) AS rowsJoined"),
    _COUNTED.replace("COUNT(a.attendanceID) AS absences, SUM(a.minutes) AS minutes", "COUNT(DISTINCT a.attendanceID)"),
    # the joined table's columns are returned or grouped on: its rows are part of the answer
    _COUNTED.replace("SELECT a.personID,", "SELECT a.personID, e.calendarID,").replace("GROUP BY a.personID",
                                                                                       "GROUP BY a.personID, e.calendarID"),
    # the view joined on what tells its rows apart, as Enrollment's are
    _COUNTED.replace("JOIN Enrollment e ON e.personID = a.personID", "JOIN v_AdHocStudent e ON e.personID = a.personID "
                     "AND e.calendarID = a.calendarID"),
    # a table of one row for each: the student's Person row
    "SELECT a.personID, COUNT(a.attendanceID) FROM Attendance a JOIN Person p ON p.personID = a.personID "
    "WHERE p.personID > 0 GROUP BY a.personID",
])
def test_totals_counted_once_are_left_alone(check, sql):
    assert _hits(check, sql) == []

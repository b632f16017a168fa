"""JN009: a table joined to itself on part of its key and a range of a column pairs each row with
all the rows of its key before it. The window function of the fix returns, in SQLite, the counts
the grouped join returns, over rows of which no two of a person share a date; and a 0 for the rows
the join found nothing for, which it left out. An APPLY that totals them for each row is the same
(in PostgreSQL, which has APPLY as a LATERAL join)."""

import sqlite3

import pytest
import sqlglot
from checked import found
from engines import postgres_rows, postgres_with

ATTENDANCE = [
    (1, 100, "2025-09-01", "T"), (3, 100, "2025-09-02", "A"), (4, 100, "2025-09-05", "A"),
    (5, 101, "2025-09-01", "A"), (6, 101, "2025-09-03", "T"), (7, 101, "2025-09-04", "A"), (8, 102, "2025-09-02", "A"),
]


@pytest.fixture(scope="module")
def postgres():
    rows = ", ".join(str(row) for row in ATTENDANCE)
    with postgres_with("CREATE TABLE Attendance (attendanceID int, personID int, date date, status text)",
                       f"INSERT INTO Attendance VALUES {rows}") as connection:
        yield connection


def _rows(tsql: str) -> list[tuple]:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Attendance (attendanceID, personID, date, status)")
    connection.executemany("INSERT INTO Attendance VALUES (?, ?, ?, ?)", ATTENDANCE)
    return sorted(connection.execute(sqlglot.transpile(tsql, read="tsql", write="sqlite")[0]).fetchall())


@pytest.mark.parametrize("joined, on, said", [
    ("a2.personID = a.personID AND a2.date <= a.date", "a2.personID = a.personID and a2.date <= a.date", "up to its date"),
    ("a.personID = a2.personID AND a.date >= a2.date AND a2.status = 'A'", "a.personID = a2.personID and a.date >= a2.date",
     "up to its date"),  # a2's own condition goes into the window's aggregate
    ("a2.personID = a.personID AND a2.date >= a.date", "a2.personID = a.personID and a2.date >= a.date", "from its date"),
    ("a2.personID = a.personID AND a2.date < a.date", "a2.personID = a.personID and a2.date < a.date", "before its date"),
])
def test_a_running_count_by_a_self_join_is_a_window_function(check, joined, on, said):
    sql = (f"SELECT a.personID, a.date, COUNT(*) AS soFar FROM Attendance a JOIN Attendance a2 ON {joined} "
           "GROUP BY a.personID, a.date")
    (hit,) = found(check, sql, "JN009")
    assert hit.severity == "warning"
    assert hit.message == (
        f"Attendance a2 is joined to Attendance a on {on}: "
        f"each a row meets every Attendance row of its personID {said}, so the join makes rows that grow with the square "
        "of each personID's rows (a triangular join), and every year of history adds to them.")
    window = hit.remediation.split("and the GROUP BY: ")[1].split(" gives each row")[0]
    windowed = _rows(f"SELECT a.personID, a.date, {window} AS soFar FROM Attendance a")
    assert [row for row in windowed if row[2]] == _rows(sql) and len(windowed) == len(ATTENDANCE)


@pytest.mark.parametrize("apply", ["CROSS APPLY", "OUTER APPLY"])
def test_an_apply_that_totals_the_rows_before_each_row_is_a_window_function(check, postgres, apply):
    sql = (f"SELECT a.attendanceID, x.soFar FROM Attendance a {apply} (SELECT COUNT(*) AS soFar FROM Attendance a2 "
           "WHERE a2.personID = a.personID AND a2.date <= a.date AND a2.status = 'A') x")
    (hit,) = found(check, sql, "JN009")
    assert hit.severity == "warning" and hit.message.startswith(
        f"{apply} x totals again, for each Attendance a row, the Attendance rows of its personID up to its date "
        "(a2.personID = a.personID and a2.date <= a.date), so the rows it reads grow with the square of each personID's rows")
    assert hit.remediation.startswith("Total the rows in one pass with a window function over Attendance a, in place of "
                                      "the APPLY, and read it where x.soFar was read: COUNT(CASE WHEN a.status = 'A' ")
    window = hit.remediation.split("was read: ")[1].split(" (RANGE")[0]
    windowed = postgres_rows(postgres, f"SELECT a.attendanceID, {window} AS soFar FROM Attendance a")
    assert sorted(windowed) == sorted(postgres_rows(postgres, sql))


def test_pairs_that_are_not_totalled_are_said_with_both_ways_out(check):
    sql = ("SELECT a.personID, a.date, a2.date AS earlier FROM Attendance a JOIN Attendance a2 "
           "ON a2.personID = a.personID AND a2.date < a.date WHERE a.calendarID = 5")
    (hit,) = found(check, sql, "JN009")
    assert hit.remediation.startswith("For a running total, a window function over Attendance a alone gives it in one "
                                      "pass: COUNT(*) OVER (PARTITION BY a.personID ORDER BY a.date ROWS BETWEEN "
                                      "UNBOUNDED PRECEDING AND 1 PRECEDING)")
    assert hit.remediation.endswith("For the pairs themselves, limit both sides to the dates you need, so that each row "
                                    "meets few.")


@pytest.mark.parametrize("sql, history", [
    ("SELECT s.schoolID, COUNT(*) FROM School s JOIN School s2 ON s2.districtID = s.districtID AND s2.number <= s.number "
     "GROUP BY s.schoolID, s.number", False),
    ("SELECT t.termID, COUNT(*) FROM Term t JOIN Term t2 ON t2.termScheduleID = t.termScheduleID "
     "AND t2.startDate <= t.startDate GROUP BY t.termID, t.startDate", True),
    ("SELECT e.enrollmentID, COUNT(*) FROM Enrollment e JOIN Enrollment e2 ON e2.personID = e.personID "
     "AND e2.startDate < e.startDate GROUP BY e.enrollmentID, e.startDate", True),
])
def test_a_join_of_few_rows_to_a_key_is_information(check, sql, history):
    """A district's 42 schools make 903 pairs; its terms, four to a schedule, and a person's three
    enrollments make pairs a small multiple of their rows."""
    (hit,) = found(check, sql, "JN009")
    assert hit.severity == "info"
    assert hit.message.endswith("(a triangular join), and every year of history adds to them." if history
                                else "(a triangular join).")


@pytest.mark.parametrize("sql", [
    # the copy's key picks one row: no square
    "SELECT a.attendanceID FROM Attendance a JOIN Attendance a2 ON a2.attendanceID = a.attendanceID AND a2.date <= a.date",
    # another column compared, another table, a range on both ends
    "SELECT a.personID FROM Attendance a JOIN Attendance a2 ON a2.personID = a.personID AND a2.calendarID <= a.date",
    "SELECT a.personID FROM Attendance a JOIN Roster r ON r.personID = a.personID AND r.startDate <= a.date",
    "SELECT a.personID FROM Attendance a JOIN Attendance a2 ON a2.personID = a.personID AND a2.date BETWEEN a.date AND "
    "DATEADD(day, 7, a.date)",
    # equal on both: the same day's rows
    "SELECT a.personID FROM Attendance a JOIN Attendance a2 ON a2.personID = a.personID AND a2.date = a.date",
])
def test_other_joins_of_a_table_to_itself_are_left_alone(check, sql):
    assert found(check, sql, "JN009") == []

"""SH026: a division by a DATEDIFF, SUM or COUNT that is 0 for some rows. PostgreSQL stops such a
statement as SQL Server does (error 8134 there): each flagged one runs on rows where the divisor is
not 0, stops once a row makes it 0, and its NULLIF fix runs on those rows."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, startDate date, endDate date)",
        "CREATE TABLE Attendance (personID int, calendarID int, date date, excuseID int, presentMinutes int)",
        "INSERT INTO Enrollment VALUES (1, 7, 50, '2026-08-20', '2026-10-30')",
        "INSERT INTO Attendance VALUES (7, 50, '2026-09-02', 3, 0), (7, 50, '2026-09-03', NULL, 20)",
    ) as connection:
        yield connection


_hits = partial(found, rule="SH026")

JOINED = "FROM Enrollment e JOIN Attendance a ON a.personID = e.personID AND a.calendarID = e.calendarID"
GROUPED = "GROUP BY e.personID, e.startDate, e.endDate"


@pytest.mark.parametrize("divisor, said, zero_row", [
    ("DATEDIFF(day, e.startDate, e.endDate)",
     "is 0 where its two dates are the same day (a student who enrolls and leaves on one day)",
     "INSERT INTO Enrollment VALUES (2, 8, 50, '2026-09-14', '2026-09-14'); "
     "INSERT INTO Attendance VALUES (8, 50, '2026-09-14', NULL, 0)"),
    ("SUM(a.presentMinutes)", "is 0 where every value it sums is 0",
     "INSERT INTO Enrollment VALUES (2, 9, 50, '2026-08-20', '2026-10-30'); "
     "INSERT INTO Attendance VALUES (9, 50, '2026-09-02', NULL, 0)"),
    ("COUNT(a.excuseID)", "is 0 where a.excuseID is NULL in every row it counts",
     "INSERT INTO Enrollment VALUES (2, 9, 50, '2026-08-20', '2026-10-30'); "
     "INSERT INTO Attendance VALUES (9, 50, '2026-09-02', NULL, 30)"),
])
def test_a_divisor_that_can_be_zero_is_found_and_stops_the_day_it_is(check, postgres, divisor, said, zero_row):
    sql = f"SELECT e.personID, 100.0 * COUNT(a.date) / {divisor} AS rate {JOINED} {GROUPED}"
    (hit,) = _hits(check, sql)
    assert hit.severity == "warning" and hit.message == (
        f"{divisor} {said}, and a division by 0 stops the whole statement with error 8134 (\"Divide by zero error "
        "encountered\"): it runs until the first such row.")
    assert hit.remediation.startswith(f"Divide by NULLIF({divisor}, 0), which gives NULL where it is 0")
    fixed = sql.replace(f"/ {divisor}", f"/ NULLIF({divisor}, 0)")
    assert len(postgres_rows(postgres, sql)) == 1
    with postgres.transaction(force_rollback=True):
        for statement in zero_row.split("; "):
            postgres.execute(statement)
        with pytest.raises(psycopg.errors.DivisionByZero), postgres.transaction():
            postgres_rows(postgres, sql)
        assert sorted(postgres_rows(postgres, fixed), key=str)[-1][1] is None  # the new student's rate: NULL
    assert _hits(check, fixed) == []


@pytest.mark.parametrize("rate", [
    "100.0 * COUNT(a.date) / NULLIF(DATEDIFF(day, e.startDate, e.endDate), 0)",
    "CASE WHEN SUM(a.presentMinutes) = 0 THEN 0 ELSE 100.0 / SUM(a.presentMinutes) END",
    "IIF(COUNT(a.excuseID) > 0, 100.0 / COUNT(a.excuseID), NULL)",
    "100.0 / (DATEDIFF(day, e.startDate, e.endDate) + 1)",
    "100.0 / COUNT(*)",  # never 0 for a group
    "100.0 / COUNT(a.date)",  # Attendance.date is never NULL, and Attendance is joined inner
])
def test_a_divisor_kept_from_zero_or_never_zero_is_left_alone(check, postgres, rate):
    sql = f"SELECT e.personID, {rate} AS rate {JOINED} {GROUPED}"
    assert _hits(check, sql) == []
    assert len(postgres_rows(postgres, sql)) == 1


def test_a_condition_on_the_divisor_keeps_the_zero_away_but_one_that_divides_by_it_does_not(check):
    assert _hits(check, f"SELECT e.personID, 100.0 / SUM(a.presentMinutes) AS r {JOINED} {GROUPED} "
                        "HAVING SUM(a.presentMinutes) > 0") == []
    (hit,) = _hits(check, f"SELECT e.personID {JOINED} {GROUPED} HAVING 1000 / SUM(a.presentMinutes) > 2")
    assert hit.message.startswith("SUM(a.presentMinutes) is 0")


@pytest.mark.parametrize("kept, reported", [
    ("a.presentMinutes > 0", False),
    ("0 < a.presentMinutes", False),
    ("a.presentMinutes >= 1", False),
    ("a.presentMinutes >= 0", True),  # rows of 0 minutes still sum to 0
    ("a.presentMinutes <> 0", True),  # -5 and 5 sum to 0
])
def test_a_sum_of_values_all_above_zero_is_never_zero(check, postgres, kept, reported):
    """SUM(tc.gpaWeight) ... WHERE tc.gpaWeight > 0: every group sums values above 0."""
    sql = f"SELECT e.personID, 100.0 * COUNT(a.date) / SUM(a.presentMinutes) AS rate {JOINED} WHERE {kept} {GROUPED}"
    assert bool(_hits(check, sql)) == reported
    with postgres.transaction(force_rollback=True):
        postgres.execute("INSERT INTO Attendance VALUES (7, 50, '2026-09-04', NULL, 0)")  # a day of 0 minutes
        if not reported:
            assert all(rate is not None for _, rate in postgres_rows(postgres, sql))  # runs, and divides by no 0

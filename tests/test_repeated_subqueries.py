"""SH028: a correlated subquery that COALESCE, NULLIF or a simple CASE runs more than once for
every row. The fix reads it once in an OUTER APPLY; PostgreSQL runs both and gives the same rows."""

import pytest
from checked import found
from engines import postgres_rows, postgres_with

COUNTED = ("(SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID AND a.calendarID = s.calendarID "
           "AND a.status = 'A')")
TARDIES = COUNTED.replace("'A'", "'T'")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, calendarID int, studentNumber text, endYear int)",
        "CREATE TABLE Attendance (personID int, calendarID int, status text)",
        "INSERT INTO student VALUES (1, 5, '1001', 2027), (2, 5, '1002', 2027)",
        "INSERT INTO Attendance VALUES (1, 5, 'A'), (1, 5, 'A'), (1, 5, 'T')",
    ) as connection:
        yield connection


def test_coalesce_of_a_correlated_subquery_runs_it_twice_and_an_apply_gives_the_same_values(check, postgres):
    sql = f"SELECT s.studentNumber, COALESCE({COUNTED}, 0) AS absences FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027"
    (hit,) = found(check, sql + "\n", "SH028")
    assert hit.message == ("SQL Server reads COALESCE(x, y) as CASE WHEN x IS NOT NULL THEN x ELSE y END, so this "
                           "subquery runs twice for every row, reading Attendance (which holds 15.0M rows).")
    assert hit.remediation.startswith("Run it once for each row: read it in an OUTER APPLY after the FROM, its value "
                                      "named (OUTER APPLY (SELECT COUNT(*) AS value FROM ... WHERE ...) x)")
    assert "ISNULL runs it once too" in hit.remediation
    applied = ("SELECT s.studentNumber, COALESCE(x.absences, 0) AS absences FROM student s OUTER APPLY (SELECT COUNT(*) "
               "AS absences FROM Attendance a WHERE a.personID = s.personID AND a.calendarID = s.calendarID AND "
               "a.status = 'A') x WHERE s.endYear = 2027")
    assert found(check, applied + "\n", "SH028") == []
    expected = [("1001", 2), ("1002", 0)]
    assert sorted(postgres_rows(postgres, sql.replace(" WITH (NOEXPAND)", ""))) == expected
    assert sorted(postgres_rows(postgres, applied)) == expected


@pytest.mark.parametrize("expression, times", [
    (f"NULLIF({COUNTED}, 0)", "twice"),
    (f"CASE {COUNTED} WHEN 0 THEN 'none' WHEN 1 THEN 'one' ELSE 'many' END", "up to 2 times"),
    (f"COALESCE({COUNTED}, {TARDIES}, 0)", "twice"),
])
def test_nullif_and_a_case_on_a_subquery_run_it_again(check, expression, times):
    sql = f"SELECT s.studentNumber, {expression} AS n FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027\n"
    hits = found(check, sql, "SH028")
    assert hits and all(f"so this subquery runs {times} for every row" in hit.message for hit in hits)


@pytest.mark.parametrize("expression", [
    f"ISNULL({COUNTED}, 0)",  # a function: run once
    f"COALESCE(s.studentNumber, {COUNTED})",  # the last value is the ELSE: run once, when reached
    "COALESCE((SELECT MAX(endYear) FROM SchoolYear), 0)",  # not correlated: not run for every row
    f"CASE {COUNTED} WHEN 0 THEN 'none' ELSE 'some' END",  # one WHEN: tested once
    f"CASE WHEN {COUNTED} > 0 THEN 'absent' END",  # a searched CASE tests it where it is written
])
def test_a_subquery_run_once_for_each_row_is_left_alone(check, expression):
    sql = f"SELECT s.studentNumber, {expression} AS n FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027\n"
    assert found(check, sql, "SH028") == []


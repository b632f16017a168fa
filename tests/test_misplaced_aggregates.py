"""CL019: an aggregate or a window function where SQL Server does not take one. PostgreSQL refuses
the same places for its own reasons (aggregates in WHERE or GROUP BY, windows outside the SELECT
list and ORDER BY, an aggregate of an aggregate or of a window), so each query found here is run
there and refused, and each fix the finding describes runs and is left alone."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="CL019")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, grade varchar(4), startDate date)",
        "INSERT INTO Enrollment VALUES (1, 10, 12, '09', '2025-08-20'), (2, 10, 12, '09', '2026-01-05'), "
        "(3, 11, 12, '10', '2025-08-20')",
        "CREATE TABLE Roster (rosterID int, personID int, trialID int)",
        "INSERT INTO Roster VALUES (1, 10, 5), (2, 10, 5), (3, 11, 5)",
    ) as connection:
        yield connection


_LATEST = "ROW_NUMBER() OVER (PARTITION BY e.personID ORDER BY e.startDate DESC)"


@pytest.mark.parametrize("sql, written, error, fixed", [
    # a total tested before there are groups: HAVING tests it after
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND COUNT(e.enrollmentID) > 1 GROUP BY e.personID",
     "COUNT(e.enrollmentID)", "error 147",
     "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.personID HAVING COUNT(e.enrollmentID) > 1"),
    # each student's latest enrollment, tried in the WHERE: a CTE names the number
    (f"SELECT e.personID, e.enrollmentID FROM Enrollment e WHERE e.calendarID = 12 AND {_LATEST} = 1",
     _LATEST, "error 4108",
     f"WITH ranked AS (SELECT e.personID, e.enrollmentID, {_LATEST} AS rowNumber FROM Enrollment e "
     "WHERE e.calendarID = 12) SELECT personID, enrollmentID FROM ranked WHERE rowNumber = 1"),
    (f"SELECT e.personID FROM Enrollment e JOIN Roster r ON r.personID = e.personID AND {_LATEST} = 1 "
     "WHERE e.calendarID = 12", _LATEST, "error 4108",
     f"SELECT x.personID FROM (SELECT e.personID, {_LATEST} AS rowNumber FROM Enrollment e WHERE e.calendarID = 12) x "
     "JOIN Roster r ON r.personID = x.personID AND x.rowNumber = 1"),
    ("SELECT e.grade, COUNT(*) AS students FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.grade "
     "HAVING RANK() OVER (ORDER BY COUNT(*) DESC) = 1", "RANK() OVER (ORDER BY COUNT(*) DESC)", "error 4108",
     "SELECT grade FROM (SELECT e.grade, RANK() OVER (ORDER BY COUNT(*) DESC) AS place FROM Enrollment e "
     "WHERE e.calendarID = 12 GROUP BY e.grade) x WHERE place = 1"),
    # a total of totals: two steps, or a window over the groups
    ("SELECT e.calendarID, SUM(COUNT(e.enrollmentID)) AS total FROM Enrollment e WHERE e.calendarID = 12 "
     "GROUP BY e.calendarID", "SUM(COUNT(e.enrollmentID))", "error 130",
     "SELECT e.calendarID, SUM(COUNT(e.enrollmentID)) OVER () AS total FROM Enrollment e WHERE e.calendarID = 12 "
     "GROUP BY e.calendarID"),
    (f"SELECT e.calendarID, MAX({_LATEST}) AS most FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.calendarID",
     f"MAX({_LATEST})", "error 4109",
     f"SELECT x.calendarID, MAX(x.n) AS most FROM (SELECT e.calendarID, {_LATEST} AS n FROM Enrollment e "
     "WHERE e.calendarID = 12) x GROUP BY x.calendarID"),
    ("SELECT COUNT(*) AS students FROM Enrollment e WHERE e.calendarID = 12 GROUP BY MAX(e.grade)",
     "MAX(e.grade)", "error 144",
     "SELECT e.grade, COUNT(*) AS students FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.grade"),
])
def test_a_misplaced_aggregate_or_window_is_found_and_the_fix_runs(check, postgres, sql, written, error, fixed):
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(written[:60])  # a long one is cut short
    assert f"({error}:" in hit.message
    with pytest.raises(psycopg.errors.GroupingError if error != "error 4108" else psycopg.errors.WindowingError):
        postgres_rows(postgres, sql)
    assert _hits(check, fixed) == []
    assert postgres_rows(postgres, fixed)


@pytest.mark.parametrize("sql, error", [
    # PostgreSQL takes a subquery in an aggregate and in GROUP BY; SQL Server does not
    ("SELECT e.personID, MAX((SELECT COUNT(*) FROM Roster r WHERE r.personID = e.personID)) AS courses "
     "FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.personID", "error 130"),
    ("SELECT COUNT(*) FROM Enrollment e WHERE e.calendarID = 12 "
     "GROUP BY (SELECT COUNT(*) FROM Roster r WHERE r.personID = e.personID)", "error 144"),
])
def test_a_subquery_in_an_aggregate_or_in_group_by_is_found(check, sql, error):
    (hit,) = _hits(check, sql)
    assert f"({error}:" in hit.message


@pytest.mark.parametrize("sql", [
    # aggregates inside subqueries of the WHERE belong to them
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.startDate = "
    "(SELECT MAX(x.startDate) FROM Enrollment x WHERE x.personID = e.personID)",
    # a subquery of the SELECT list may total the outer query's column in its WHERE
    "SELECT e.grade, (SELECT COUNT(*) FROM Roster r WHERE r.trialID = MAX(e.calendarID)) AS n FROM Enrollment e "
    "WHERE e.calendarID = 12 GROUP BY e.grade",
    # windows in the SELECT list and ORDER BY, and over groups
    f"SELECT e.personID, {_LATEST} AS n FROM Enrollment e WHERE e.calendarID = 12 ORDER BY {_LATEST}",
    "SELECT e.grade, COUNT(*) AS n, SUM(COUNT(*)) OVER () AS total FROM Enrollment e WHERE e.calendarID = 12 "
    "GROUP BY e.grade",
])
def test_aggregates_and_windows_where_they_belong_are_left_alone(check, postgres, sql):
    assert _hits(check, sql) == []
    assert postgres_rows(postgres, sql)


def test_the_window_in_a_where_is_not_also_taken_for_a_column_hidden_in_an_expression(check):
    findings = check(f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND {_LATEST} = 1\n").findings
    assert [f.rule for f in findings if f.rule in ("CL019", "PR001")] == ["CL019"]


@pytest.mark.parametrize("sql, written, error, refused", [
    ("UPDATE Enrollment SET grade = ROW_NUMBER() OVER (ORDER BY personID) WHERE calendarID = 12",
     "ROW_NUMBER() OVER (ORDER BY personID) is a window function in an UPDATE's SET", "error 4108",
     psycopg.errors.WindowingError),
    ("UPDATE Enrollment SET grade = '09' WHERE calendarID = 12 AND ROW_NUMBER() OVER (ORDER BY personID) = 1",
     "ROW_NUMBER() OVER (ORDER BY personID) is a window function in the WHERE clause", "error 4108",
     psycopg.errors.WindowingError),
    ("UPDATE Enrollment SET grade = COUNT(*) WHERE calendarID = 12", "COUNT(*) is an aggregate in an UPDATE's SET",
     "error 157", psycopg.errors.GroupingError),
    ("UPDATE Enrollment SET grade = '09' WHERE calendarID = 12 AND COUNT(*) > 1",
     "COUNT(*) is an aggregate in an UPDATE's WHERE", "error 147", psycopg.errors.GroupingError),
])
def test_a_window_or_aggregate_in_an_update_is_found(check, postgres, sql, written, error, refused):
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(written) and f"({error}:" in hit.message
    with pytest.raises(refused):
        postgres.execute(sql)


@pytest.mark.parametrize("sql", [
    # the numbers made in a CTE, and the CTE updated; a total joined in the FROM
    "WITH n AS (SELECT e.grade, ROW_NUMBER() OVER (ORDER BY e.personID) AS rowNumber FROM Enrollment e "
    "WHERE e.calendarID = 12) UPDATE n SET grade = n.rowNumber",
    "UPDATE e SET e.grade = x.n FROM Enrollment e CROSS APPLY (SELECT COUNT(*) AS n FROM Roster r "
    "WHERE r.personID = e.personID) x WHERE e.calendarID = 12",
    "UPDATE e SET e.grade = (SELECT COUNT(*) FROM Roster r WHERE r.personID = e.personID) FROM Enrollment e "
    "WHERE e.calendarID = 12",
])
def test_an_update_given_its_numbers_or_totals_from_a_query_is_left_alone(check, sql):
    assert _hits(check, sql) == []

"""CL020: a subquery that returns more than one column where SQL Server takes one (error 116).
PostgreSQL refuses the same subqueries (too many columns for IN, ANY or one value), so each query
found here is refused there, and the fix the finding names runs."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="CL020")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int)",
        "INSERT INTO Enrollment VALUES (1, 10, 12), (2, 11, 12)",
        "CREATE TABLE Roster (rosterID int, personID int, trialID int)",
        "INSERT INTO Roster VALUES (1, 10, 2), (2, 11, 3)",
    ) as connection:
        yield connection


_TWO = "SELECT r.personID, r.trialID FROM Roster r WHERE r.trialID = 2"
_ONE = "SELECT r.personID FROM Roster r WHERE r.trialID = 2"


@pytest.mark.parametrize("template, said", [
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.personID IN ({})",
     "for IN to compare e.personID with, which takes one"),
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.personID NOT IN ({})",
     "for IN to compare e.personID with, which takes one"),
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.personID = ANY ({})",
     "for ANY to compare e.personID with, which takes one"),
    ("SELECT e.personID, ({} AND r.personID = e.personID) FROM Enrollment e WHERE e.calendarID = 12",
     "where one value is taken"),
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.personID = ({} AND r.personID = e.personID)",
     "where one value is taken"),
])
def test_a_second_column_where_one_is_taken_is_found_and_one_column_runs(check, postgres, template, said):
    sql = template.format(_TWO)
    (hit,) = _hits(check, sql)
    assert f"This subquery returns 2 columns (r.personID and r.trialID) {said}" in hit.message
    assert "error 116" in hit.message
    with pytest.raises(psycopg.errors.SyntaxError):  # PostgreSQL: "subquery has too many columns" and the like
        postgres_rows(postgres, sql)
    fixed = template.format(_ONE)
    assert _hits(check, fixed) == []
    assert postgres_rows(postgres, fixed)


def test_a_variable_set_from_two_columns_is_found(check):
    (hit,) = _hits(check, f"DECLARE @personID int\nSET @personID = ({_TWO})")
    assert "where one value is taken" in hit.message


@pytest.mark.parametrize("sql", [
    # EXISTS takes any select list; a star's width is its table's
    f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND EXISTS ({_TWO} AND r.personID = e.personID)",
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.personID IN (SELECT * FROM #ids)",
    # a derived table or CTE returns as many columns as it likes
    f"SELECT x.personID FROM ({_TWO}) x JOIN Enrollment e ON e.personID = x.personID WHERE e.calendarID = 12",
    # one column from each arm of a UNION
    f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND e.personID IN ({_ONE} UNION {_ONE})",
])
def test_subqueries_that_may_return_many_columns_are_left_alone(check, sql):
    assert _hits(check, sql) == []

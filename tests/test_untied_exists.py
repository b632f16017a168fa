"""PR023: an EXISTS that names nothing of the outer query asks the same question for every row.
SQLite runs the query as written, which keeps every row or none, and with the condition the fix
names, which keeps the rows meant."""

import re

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

UNTIED = ("SELECT p.personID FROM Person p WHERE p.studentNumber IS NOT NULL "
          "AND NOT EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12)")


@pytest.fixture(scope="module")
def sqlite():
    return sqlite_with({
        "Person": ("personID INTEGER, studentNumber TEXT", [(1, "1001"), (2, "1002"), (3, "1003")]),
        "Enrollment": ("personID INTEGER, calendarID INTEGER", [(1, 12), (2, 13)]),
    })


def test_an_exists_with_nothing_of_the_outer_row_keeps_every_row_or_none(check, sqlite):
    (hit,) = found(check, UNTIED, "PR023")
    assert UNTIED[hit.span.start:hit.span.end] == "EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12)"
    assert hit.message == ("This EXISTS names nothing of the outer query (Person p): it asks the same question for every "
                           "row, so the WHERE keeps every row or none.")
    assert hit.severity == "warning"
    assert hit.objects == ("Person",)
    tie = re.search(r"such as (\S+ = \S+),", hit.remediation)[1]
    assert tie == "e.personID = p.personID"
    assert sqlite_rows(sqlite, UNTIED) == []  # calendar 12 has an enrollment: no one is listed
    assert sqlite_rows(sqlite, UNTIED.replace("WHERE e.calendarID", f"WHERE {tie} AND e.calendarID")) == [(2,), (3,)]


@pytest.mark.parametrize("sql, outcome", [
    ("DELETE FROM #t WHERE EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12)",
     "so the DELETE removes every row or none"),
    ("UPDATE e SET e.grade = '10' FROM Enrollment e WHERE e.calendarID = 3 AND EXISTS "
     "(SELECT 1 FROM Calendar c WHERE c.calendarID = 12)", "so the UPDATE changes every row or none"),
    ("SELECT p.personID, CASE WHEN EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12) THEN 'Y' END "
     "FROM Person p", "so it gives every row the same answer"),
    ("SELECT p.personID FROM Person p JOIN Enrollment e ON e.personID = p.personID AND EXISTS "
     "(SELECT 1 FROM Calendar c WHERE c.calendarID = 5) WHERE e.calendarID = 3", "so the ON keeps every pair of rows or none"),
    ("SELECT e.calendarID FROM Enrollment e WHERE e.calendarID = 3 GROUP BY e.calendarID HAVING NOT EXISTS "
     "(SELECT 1 FROM Calendar c WHERE c.calendarID = 5)", "so the HAVING keeps every group or none"),
    # what it reads through a derived table or a CTE, a recursive one too
    ("SELECT p.personID FROM Person p WHERE NOT EXISTS (SELECT 1 FROM (SELECT * FROM Enrollment) e "
     "WHERE e.calendarID = 12)", "so the WHERE keeps every row or none"),
    ("WITH r AS (SELECT calendarID FROM Calendar WHERE calendarID = 1 UNION ALL SELECT c.calendarID FROM Calendar c "
     "JOIN r ON c.calendarID = r.calendarID + 1) SELECT p.personID FROM Person p WHERE EXISTS (SELECT 1 FROM r)",
     "so the WHERE keeps every row or none"),
])
def test_what_follows_is_said_where_the_exists_stands(check, sql, outcome):
    (hit,) = found(check, sql, "PR023")
    assert outcome in hit.message


@pytest.mark.parametrize("sql", [
    "SELECT p.personID FROM Person p WHERE NOT EXISTS (SELECT 1 FROM Enrollment e WHERE e.personID = p.personID "
    "AND e.calendarID = 12)",
    # tied through a subquery inside it
    "SELECT p.personID FROM Person p WHERE EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12 AND EXISTS "
    "(SELECT 1 FROM Calendar c WHERE c.calendarID = e.calendarID AND c.schoolID = p.personID))",
    "IF EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12) SELECT 1",  # one answer is what is asked
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12) THEN 1 ELSE 0 END",
    # q is no table of the query: the column might be the outer row's
    "SELECT p.personID FROM Person p WHERE EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 12 AND q.personID = 5)",
    "SELECT p.personID FROM Person p WHERE EXISTS (SELECT 1 FROM (SELECT * FROM Enrollment WHERE q.personID = 5) e "
    "WHERE e.calendarID = 12)",
    "SELECT p.personID FROM Person p WHERE p.personID IN (SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12)",
    # the script's own table as a switch: fill #t once
    "CREATE TABLE #t (personID int)\nINSERT INTO #t (personID) SELECT e.personID FROM Enrollment e "
    "WHERE e.calendarID = 12 AND NOT EXISTS (SELECT 1 FROM #t)",
])
def test_a_tied_exists_or_one_asked_once_is_not_reported(check, sql):
    assert found(check, sql, "PR023") == []

"""CL026: a total grouped by people's names alone counts two people of one name as one. SQLite runs
the reported query and its fix over two students named Maria Garcia."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="CL026")

TARDIES = """SELECT i.lastName, i.firstName, COUNT(*) AS tardies
FROM Attendance a
JOIN Person p ON p.personID = a.personID
JOIN [Identity] i ON i.identityID = p.currentIdentityID
WHERE a.calendarID = 412 AND a.status = 'T'
GROUP BY {}"""
NAMESAKES = {
    "Attendance": ("personID int, calendarID int, status text", [(1, 412, "T"), (1, 412, "T"), (2, 412, "T")]),
    "Person": ("personID int, currentIdentityID int", [(1, 11), (2, 12)]),
    "[Identity]": ("identityID int, personID int, lastName text, firstName text",
                   [(11, 1, "Garcia", "Maria"), (12, 2, "Garcia", "Maria")]),
}


def test_two_people_of_one_name_are_one_group_until_the_person_is_grouped_too(check):
    bad = TARDIES.format("i.lastName, i.firstName")
    (hit,) = _hits(check, bad)
    assert hit.message == ("GROUP BY i.lastName, i.firstName makes one group of everyone who shares a name: two people "
                           "of one name are one group, and COUNT(*) is worked out over both people's rows.")
    assert hit.remediation == ("Group by the person too: GROUP BY i.personID, i.lastName, i.firstName. The SELECT list "
                               "need not show i.personID.")
    assert (hit.span.line, hit.span.column) == (6, 10)  # the GROUP BY's i.lastName
    database = sqlite_with(NAMESAKES)
    assert sqlite_rows(database, bad) == [("Garcia", "Maria", 3)]
    fixed = TARDIES.format("i.personID, i.lastName, i.firstName")
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed) == [("Garcia", "Maria", 1), ("Garcia", "Maria", 2)]


def test_the_fix_keeps_the_rest_of_the_group_and_names_a_view_s_person(check):
    sql = """SELECT s.lastName, s.firstName, s.grade, COUNT(*) AS marks
             FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
             WHERE s.endYear = 2027 GROUP BY s.grade, s.firstName, s.lastName"""
    (hit,) = _hits(check, sql)
    assert hit.remediation.startswith("Group by the person too: GROUP BY s.personID, s.grade, s.firstName, s.lastName.")


def test_a_temp_table_s_names_without_a_person_column_get_the_general_fix(check):
    sql = "SELECT t.lastName, t.firstName, SUM(t.amount) FROM #fees t GROUP BY t.lastName, t.firstName"
    (hit,) = _hits(check, sql)
    assert hit.remediation.startswith("Group by what tells the people apart too, their personID or student number")


@pytest.mark.parametrize("sql", [
    TARDIES.format("p.personID, i.lastName, i.firstName"),
    TARDIES.format("i.lastName, i.firstName, i.identityID"),
    TARDIES.format("i.lastName, i.firstName, i.birthdate"),  # two people of one name and one birthday: seldom
    TARDIES.replace("a.status = 'T'", "a.status = 'T' AND p.personID = @personID").format("i.lastName, i.firstName"),
    TARDIES.format("i.lastName"),  # families by last name: a name, not people, is the point
    TARDIES.replace("COUNT(*)", "i.lastName AS again").format("i.lastName, i.firstName"),  # no total: a list of names
    TARDIES.format("ROLLUP (i.lastName, i.firstName)"),
    "SELECT t.lastName, t.firstName, COUNT(*) FROM #fees t GROUP BY t.studentNumber, t.lastName, t.firstName",
    # the people who share a name are the question
    "SELECT i.lastName, i.firstName, COUNT(DISTINCT i.personID) FROM [Identity] i GROUP BY i.lastName, i.firstName "
    "HAVING COUNT(DISTINCT i.personID) > 1",
])
def test_a_group_that_tells_the_people_apart_or_does_not_total_them_is_left_alone(check, sql):
    assert _hits(check, sql) == []

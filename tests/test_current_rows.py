"""JN002 where the other table names the row meant: Identity keeps every name a person has had,
and Person's currentIdentityID (a foreign key to Identity) names the current one. Joined on
personID alone, a student who changed names is listed once for each name; SQLite shows it, and
one row per student with the join the finding offers."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

from advisor.catalog.load import load_bundled

_hits = partial(found, rule="JN002")

PEOPLE = {
    "Person": ("personID int, currentIdentityID int, studentNumber text", [(10, 101, "1001"), (11, 110, "1002")]),
    # student 10 changed last name in the year: two Identity rows, the later one current
    "[Identity]": ("identityID int, personID int, effectiveDate text, lastName text", [
        (100, 10, "2019-08-20", "Garcia"), (101, 10, "2026-01-05", "Garcia-Lopez"), (110, 11, "2020-08-20", "Nguyen")]),
}
ROSTER = """SELECT p.studentNumber, i.lastName
FROM Person p
JOIN [Identity] i ON i.personID = p.personID
WHERE p.studentNumber IN ('1001', '1002')
"""


def test_the_bundled_catalog_says_person_points_at_its_current_identity():
    (key,) = load_bundled().table("Person").foreign_keys
    assert (key.columns, key.references, key.referenced_columns) == (("currentIdentityID",), "Identity", ("identityID",))


def test_identity_joined_on_personid_alone_is_found_and_its_fix_lists_each_student_once(check):
    (hit,) = _hits(check, ROSTER)
    assert hit.message.startswith("Identity i is joined to Person p on personID only, but its rows are told apart by "
                                  "personID and effectiveDate")
    assert hit.remediation == ("Join the one row Person p points at by its key FK_Person_currentIdentity: ON "
                               "i.identityID = p.currentIdentityID, in place of the join on personID alone.")
    assert (hit.span.line, hit.span.column) == (3, 6)
    database = sqlite_with(PEOPLE)
    assert sqlite_rows(database, ROSTER) == [("1001", "Garcia"), ("1001", "Garcia-Lopez"), ("1002", "Nguyen")]
    fixed = ROSTER.replace("i.personID = p.personID", "i.identityID = p.currentIdentityID")
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed) == [("1001", "Garcia-Lopez"), ("1002", "Nguyen")]


def test_identity_joined_on_personid_alone_to_the_student_view_is_joined_to_the_row_the_view_reads(check):
    roster = ("SELECT s.studentNumber, i.lastName\nFROM student s\nJOIN [Identity] i ON i.personID = s.personID\n"
              "WHERE s.calendarID = 7\n")
    (hit,) = _hits(check, roster)
    assert hit.message.startswith("Identity i is joined to student s on personID only")
    assert hit.remediation == ("Join the Identity row student s reads: ON i.identityID = s.identityID, in place of the "
                               "join on personID alone.")
    # the student view, as Campus makes it: each enrollment with its person's current Identity row
    database = sqlite_with({**PEOPLE, "Enrollment": ("personID int, calendarID int", [(10, 7), (11, 7)])})
    database.execute("CREATE VIEW student AS SELECT p.personID, p.studentNumber, i.identityID, e.calendarID FROM Person p "
                     "JOIN [Identity] i ON i.identityID = p.currentIdentityID JOIN Enrollment e ON e.personID = p.personID")
    assert sqlite_rows(database, roster) == [("1001", "Garcia"), ("1001", "Garcia-Lopez"), ("1002", "Nguyen")]
    fixed = roster.replace("i.personID = s.personID", "i.identityID = s.identityID")
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed) == [("1001", "Garcia-Lopez"), ("1002", "Nguyen")]


@pytest.mark.parametrize("partner, alias", [("Enrollment", "e"), ("v_AdHocStudent", "e")])
def test_identity_joined_on_personid_alone_to_what_names_no_identity_row_is_joined_through_person(check, partner, alias):
    roster = (f"SELECT {alias}.personID, i.lastName\nFROM {partner} {alias}\nJOIN [Identity] i ON i.personID = "
              f"{alias}.personID\nWHERE {alias}.calendarID = 7\n")
    (hit,) = _hits(check, roster)
    assert hit.message.startswith(f"Identity i is joined to {partner} {alias} on personID only")
    through = (f"JOIN Person p ON p.personID = {alias}.personID JOIN [Identity] i ON i.identityID = p.currentIdentityID")
    assert hit.remediation == (f"Join it through Person, whose currentIdentityID names the one Identity row meant: "
                               f"{through}, in place of the join on personID alone.")
    if partner != "Enrollment":
        return
    database = sqlite_with({**PEOPLE, "Enrollment": ("personID int, calendarID int", [(10, 7), (11, 7)])})
    assert sqlite_rows(database, roster) == [(10, "Garcia"), (10, "Garcia-Lopez"), (11, "Nguyen")]
    fixed = roster.replace("JOIN [Identity] i ON i.personID = e.personID", through)
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed) == [(10, "Garcia-Lopez"), (11, "Nguyen")]


@pytest.mark.parametrize("sql", [
    # one row per enrollment is what a join of Person to Enrollment is for: Person names none of them
    "SELECT p.studentNumber, e.grade FROM Person p JOIN Enrollment e ON e.personID = p.personID WHERE e.endYear = 2027",
    # the current row and the person both
    "SELECT p.studentNumber, i.lastName FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID "
    "AND i.personID = p.personID",
    # a CTE that reads rows of the table itself: each student's other rows may be what the join is for
    "WITH inX AS (SELECT r.personID, r.rosterID FROM Roster r WHERE r.sectionID = 5) "
    "SELECT x.personID, r2.sectionID FROM inX x JOIN Roster r2 ON r2.personID = x.personID",
    "WITH named AS (SELECT i.identityID, i.personID FROM [Identity] i WHERE i.lastName = 'Li') "
    "SELECT n.personID, i2.firstName FROM named n JOIN [Identity] i2 ON i2.personID = n.personID",
    # every name a student has had, with what tells them apart: the history is the point
    ROSTER.replace("i.lastName", "i.lastName, i.effectiveDate"),
    ROSTER + "ORDER BY p.studentNumber, i.effectiveDate",
    "SELECT s.studentNumber, i.lastName FROM student s WITH (NOEXPAND) JOIN [Identity] i ON i.personID = s.personID "
    "WHERE s.calendarID = 88 ORDER BY i.effectiveDate DESC",
])
def test_a_join_to_the_row_meant_or_to_rows_no_one_names_is_left_alone(check, sql):
    assert _hits(check, sql) == []


PINNED_LATER = """SELECT e.personID, i.lastName
FROM Enrollment e
JOIN [Identity] i ON i.personID = e.personID
JOIN Person p ON p.currentIdentityID = i.identityID
WHERE e.calendarID = 7
"""


def test_identity_joined_on_personid_and_then_to_the_row_person_names_is_left_alone(check):
    # the join to Person keeps only the current one of each person's Identity rows: one row per student
    assert _hits(check, PINNED_LATER) == []
    assert _hits(check, PINNED_LATER.replace("WHERE", "WHERE i.identityID = 101 AND").replace(
        "JOIN Person p ON p.currentIdentityID = i.identityID\n", "")) == []
    database = sqlite_with({**PEOPLE, "Enrollment": ("personID int, calendarID int", [(10, 7), (11, 7)])})
    assert sqlite_rows(database, PINNED_LATER) == [(10, "Garcia-Lopez"), (11, "Nguyen")]
    # a LEFT JOIN to Person keeps every Identity row, whether Person names it or not
    kept = PINNED_LATER.replace("JOIN Person", "LEFT JOIN Person")
    (hit,) = _hits(check, kept)
    assert hit.message.startswith("Identity i is joined to Enrollment e on personID only")
    assert sqlite_rows(database, kept) == [(10, "Garcia"), (10, "Garcia-Lopez"), (11, "Nguyen")]

"""JN012: two tables with several rows for one row, joined to it and not to each other. SQLite
pairs them as SQL Server does: a student's sections beside their guardians come back as every
pairing, and the fix, the guardians gathered per student first, gives one row per section."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="JN012")

ROSTER = ("SELECT p.personID, r.sectionID, ct.email\n"
          "FROM Person p\n"
          "JOIN Roster r ON r.personID = p.personID\n"
          "JOIN RelatedPair rp ON rp.personID1 = p.personID AND rp.guardian = 1\n"
          "JOIN Contact ct ON ct.personID = rp.personID2\n"
          "WHERE p.personID = 1")
GATHERED = ("SELECT p.personID, r.sectionID, g.emails\n"
            "FROM Person p\n"
            "JOIN Roster r ON r.personID = p.personID\n"
            "LEFT JOIN (SELECT rp.personID1 AS personID, STRING_AGG(ct.email, '; ') AS emails\n"
            "           FROM RelatedPair rp JOIN Contact ct ON ct.personID = rp.personID2\n"
            "           WHERE rp.guardian = 1 GROUP BY rp.personID1) g ON g.personID = p.personID\n"
            "WHERE p.personID = 1")


def test_two_lists_of_one_student_come_back_as_every_pairing(check):
    (hit,) = _hits(check, ROSTER)
    assert hit.message == ("Roster r and RelatedPair rp each have several rows for each Person p row, and nothing joins "
                           "them to each other: the query returns each RelatedPair rp row once for every Roster r row of "
                           "the same Person p row, every pairing of the two.")
    assert hit.remediation.startswith("Return them apart: in two queries, or with one of them made a single row for "
                                      "each Person p row")
    assert (hit.span.line, hit.span.column) == (4, 6)
    assert hit.objects == ("Person", "Roster", "RelatedPair")
    district = sqlite_with({
        "Person": ("personID", [(1,)]),
        "Roster": ("personID, sectionID", [(1, 10), (1, 11), (1, 12)]),
        "RelatedPair": ("personID1, personID2, guardian", [(1, 50, 1), (1, 51, 1)]),
        "Contact": ("personID, email", [(50, "a@example.org"), (51, "b@example.org")]),
    })
    assert len(sqlite_rows(district, ROSTER)) == 3 * 2
    gathered = sqlite_rows(district, GATHERED)
    assert [section for _, section, _ in gathered] == [10, 11, 12]
    assert {emails for _, _, emails in gathered} == {"a@example.org; b@example.org"}
    assert _hits(check, GATHERED) == []


def test_a_list_joined_through_another_from_the_middle_is_a_chain_not_a_crossing(check):
    """The household member joins the student on personID and the household's addresses on
    householdID: a link between a person and a household, not one thing with two lists."""
    sql = ("SELECT s.studentNumber, hl.addressID FROM student s WITH (NOEXPAND)\n"
           "JOIN HouseholdMember hm ON hm.personID = s.personID\n"
           "JOIN HouseholdLocation hl ON hl.householdID = hm.householdID\n"
           "WHERE s.calendarID = 55")
    assert _hits(check, sql) == []


@pytest.mark.parametrize("sql", [
    # a condition compares the two: pairs of one student's enrollments, as meant
    "SELECT p.personID, e1.grade, e2.grade FROM Person p JOIN Enrollment e1 ON e1.personID = p.personID "
    "JOIN Enrollment e2 ON e2.personID = p.personID AND e2.enrollmentID <> e1.enrollmentID WHERE p.personID = 1",
    # one of them only filters: its columns are not returned
    ROSTER.replace("r.sectionID, ", ""),
    # one row each: the person's identity beside their roster
    "SELECT p.personID, i.lastName, r.sectionID FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID "
    "JOIN Roster r ON r.personID = p.personID WHERE p.personID = 1",
    # a grouped query's totals are JN004's
    "SELECT p.personID, COUNT(r.sectionID), MAX(ct.email) FROM Person p JOIN Roster r ON r.personID = p.personID "
    "JOIN RelatedPair rp ON rp.personID1 = p.personID JOIN Contact ct ON ct.personID = rp.personID2 "
    "WHERE p.personID = 1 GROUP BY p.personID",
    # a CTE's rows, read by another query
    "WITH x AS (" + ROSTER + ") SELECT COUNT(*) FROM x",
    # one row
    ROSTER.replace("SELECT ", "SELECT TOP 1 ", 1),
    # custom attributes pivoted: one row for each person and attribute, most often
    "SELECT p.personID, c1.value, c2.value FROM Person p\n"
    "LEFT JOIN CustomStudent c1 ON c1.personID = p.personID AND c1.attributeID = 1012\n"
    "LEFT JOIN CustomStudent c2 ON c2.personID = p.personID AND c2.attributeID = 1013 WHERE p.personID = 1",
])
def test_pairings_that_are_meant_or_not_returned_are_left_alone(check, sql):
    assert _hits(check, sql) == []

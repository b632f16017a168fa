"""SH027: ROW_NUMBER() picking one row in an order that two rows can share. PostgreSQL, like SQL
Server, numbers tied rows in the order it reads them: the same query over the same two rows,
stored in the other order, keeps the other one; ended with the key, it keeps the same row both
times."""

from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with

LATEST = ("SELECT x.personID, x.serviceType FROM (SELECT e.personID, e.serviceType, ROW_NUMBER() OVER (PARTITION BY "
          "e.personID ORDER BY e.startDate DESC{}) AS rn FROM {} e WHERE e.endYear = 2027) x WHERE x.rn = 1")


@pytest.fixture(scope="module")
def postgres():
    # one student's primary and special-education enrollments of the same day, stored in both orders
    columns = "(enrollmentID int, personID int, startDate date, serviceType text, endYear int)"
    with postgres_with(
        f"CREATE TABLE Enrollment {columns}", f"CREATE TABLE Reversed {columns}",
        "INSERT INTO Enrollment VALUES (1, 7, '2026-08-20', 'P', 2027), (2, 7, '2026-08-20', 'S', 2027)",
        "INSERT INTO Reversed VALUES (2, 7, '2026-08-20', 'S', 2027), (1, 7, '2026-08-20', 'P', 2027)",
    ) as connection:
        yield connection


_hits = partial(found, rule="SH027")


def test_a_pick_in_an_order_two_rows_share_is_found_and_depends_on_how_the_rows_are_read(check, postgres):
    sql = LATEST.format("", "Enrollment")
    (hit,) = _hits(check, sql)
    assert hit.severity == "warning" and hit.message == (
        "ROW_NUMBER() numbers the rows in the order of e.startDate, but two rows can have the same e.personID and "
        "e.startDate (Enrollment e can give several: Enrollment rows are told apart by enrollmentID): which of them is "
        "numbered 1 is not set, and can change from one run to the next, so x.rn = 1 keeps one of them at random.")
    assert hit.remediation.startswith("End the ORDER BY with what no two rows share: ORDER BY e.startDate DESC, "
                                      "e.enrollmentID;")
    assert postgres_rows(postgres, sql) == [(7, "P")]
    assert postgres_rows(postgres, LATEST.format("", "Reversed")) == [(7, "S")]
    keyed = LATEST.format(", e.enrollmentID", "{}")
    assert postgres_rows(postgres, keyed.format("Enrollment")) == postgres_rows(postgres, keyed.format("Reversed"))
    assert _hits(check, keyed.format("Enrollment")) == []


def test_an_indexed_view_is_ended_with_its_unique_index_and_a_view_by_its_tables_keys(check):
    (view,) = _hits(check, "SELECT x.personID FROM (SELECT s.personID, ROW_NUMBER() OVER (PARTITION BY s.personID "
                           "ORDER BY s.startDate DESC) AS rn FROM student s WITH (NOEXPAND)) x WHERE x.rn = 1")
    assert "ORDER BY s.startDate DESC, s.enrollmentID;" in view.remediation
    (contacts,) = _hits(check, "SELECT x.personID FROM (SELECT c.personID, ROW_NUMBER() OVER (PARTITION BY c.personID "
                               "ORDER BY c.contactSequence) AS rn FROM v_CensusContactSummary c) x WHERE x.rn <= 2")
    assert "(v_CensusContactSummary c can give several: RelatedPair rows are told apart by pairID)" in contacts.message
    assert "x.rn <= 2 keeps" in contacts.message


@pytest.mark.parametrize("sql", [
    # numbered for its own sake: nothing keeps some numbers only
    "SELECT e.personID, ROW_NUMBER() OVER (PARTITION BY e.personID ORDER BY e.startDate) AS n FROM Enrollment e",
    # the partition and the order hold a key
    LATEST.format(", e.enrollmentID", "Enrollment"),
    "SELECT x.name FROM (SELECT sc.name, ROW_NUMBER() OVER (ORDER BY sc.schoolID) AS rn FROM School sc) x WHERE x.rn = 1",
    # an order by something computed, and a table the catalog does not know
    "SELECT x.personID FROM (SELECT e.personID, ROW_NUMBER() OVER (PARTITION BY e.personID ORDER BY "
    "DATEDIFF(day, e.startDate, e.endDate)) AS rn FROM Enrollment e) x WHERE x.rn = 1",
    "SELECT x.personID FROM (SELECT p.personID, ROW_NUMBER() OVER (PARTITION BY p.personID ORDER BY p.startDate) "
    "AS rn FROM ProgramParticipation p) x WHERE x.rn = 1",
])
def test_numbering_that_picks_nothing_or_cannot_tie_is_left_alone(check, sql):
    assert _hits(check, sql) == []

"""SH027: ROW_NUMBER() or TOP picking one row in an order that two rows can share. PostgreSQL, like
SQL Server, numbers tied rows, and takes the first of them, in the order it reads them: the same
query over the same two rows, stored in the other order, keeps the other one; ended with the key,
it keeps the same row both times."""

from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with

PICKED = ("SELECT p.personID, (SELECT TOP 1 e.serviceType FROM {} e WHERE e.personID = p.personID AND e.endYear = 2027 "
          "ORDER BY e.startDate DESC{}) AS serviceType FROM Person p WHERE p.personID = 7")
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
        "CREATE TABLE Person (personID int)", "INSERT INTO Person VALUES (7)",
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


def test_top_1_in_a_subquery_in_an_order_two_rows_share_depends_on_how_the_rows_are_read(check, postgres):
    sql = PICKED.format("Enrollment", "")
    (hit,) = _hits(check, sql)
    assert hit.message == (
        "TOP 1 keeps the first row in the order of e.startDate, but two rows can have the same e.startDate (Enrollment e "
        "can give several: Enrollment rows are told apart by enrollmentID): which of them comes first is not set, and "
        "can change from one run to the next, so the row kept can be either.")
    assert hit.remediation.startswith("End the ORDER BY with what no two rows share: ORDER BY e.startDate DESC, "
                                      "e.enrollmentID;")
    assert postgres_rows(postgres, sql) == [(7, "P")]
    assert postgres_rows(postgres, PICKED.format("Reversed", "")) == [(7, "S")]
    keyed = PICKED.format("{}", ", e.enrollmentID")
    assert postgres_rows(postgres, keyed.format("Enrollment")) == postgres_rows(postgres, keyed.format("Reversed"))
    assert _hits(check, keyed.format("Enrollment")) == []


def test_an_order_that_ties_across_a_join_is_ended_with_each_table_s_key(check):
    """A person in two households, each with its addresses: the keys of both tables tell the rows apart."""
    sql = ("SELECT s.personID, ad.city FROM student s WITH (NOEXPAND) CROSS APPLY (SELECT TOP 1 a.city "
           "FROM HouseholdMember hm JOIN HouseholdLocation hl ON hl.householdID = hm.householdID "
           "JOIN Address a ON a.addressID = hl.addressID WHERE hm.personID = s.personID ORDER BY hl.startDate DESC) ad "
           "WHERE s.endYear = 2027")
    (hit,) = _hits(check, sql)
    assert "ORDER BY hl.startDate DESC, hm.memberID, hl.locationID;" in hit.remediation
    (numbered,) = _hits(check, "SELECT x.city FROM (SELECT a.city, ROW_NUMBER() OVER (PARTITION BY hm.personID ORDER BY "
                               "hl.startDate DESC) AS rn FROM HouseholdMember hm JOIN HouseholdLocation hl ON "
                               "hl.householdID = hm.householdID JOIN Address a ON a.addressID = hl.addressID) x WHERE x.rn = 1")
    assert "ORDER BY hl.startDate DESC, hm.memberID, hl.locationID;" in numbered.remediation


def test_a_variable_set_to_the_first_row_of_an_order_that_ties_is_found(check):
    """Two calendars of a school that start the same day: @calendarID is either."""
    sql = ("DECLARE @calendarID int = (SELECT TOP 1 c.calendarID FROM Calendar c WHERE c.schoolID = 7 AND c.endYear = 2027 "
           "ORDER BY c.startDate)\nSELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendarID")
    (hit,) = _hits(check, sql)
    assert "ORDER BY c.startDate, c.calendarID;" in hit.remediation


def test_a_select_that_sets_a_variable_to_the_first_row_of_an_order_that_ties_is_found(check):
    sql = ("DECLARE @calendarID int\nSELECT TOP 1 @calendarID = c.calendarID FROM Calendar c WHERE c.schoolID = 7 "
           "AND c.endYear = 2027 ORDER BY c.startDate")
    (hit,) = _hits(check, sql)
    assert "ORDER BY c.startDate, c.calendarID;" in hit.remediation


def test_top_n_says_the_rows_kept_at_the_cut_can_differ(check):
    (hit,) = _hits(check, "SELECT x.personID FROM (SELECT TOP 3 e.personID FROM Enrollment e WHERE e.endYear = 2027 "
                          "ORDER BY e.startDate) x")
    assert hit.message.startswith("TOP 3 keeps the first 3 rows in the order of e.startDate")
    assert hit.message.endswith("which of them come first is not set, and can change from one run to the next, so the "
                                "rows kept at the cut can differ.")


@pytest.mark.parametrize("offset, kept", [("0", "the first 3 rows"), ("20", "the 3 rows after the first 20")])
def test_offset_fetch_in_a_derived_table_says_the_rows_kept_at_the_cut_can_differ(check, offset, kept):
    (hit,) = _hits(check, "SELECT x.personID FROM (SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 "
                          f"ORDER BY e.startDate OFFSET {offset} ROWS FETCH NEXT 3 ROWS ONLY) x")
    assert hit.message.startswith(f"FETCH NEXT 3 ROWS keeps {kept} in the order of e.startDate")


@pytest.mark.parametrize("sql", [
    PICKED.format("Enrollment", ", e.enrollmentID"),  # ended with the key
    PICKED.format("Enrollment", "").replace("TOP 1", "TOP 1 WITH TIES"),  # every tied row is kept
    PICKED.format("Enrollment", "").replace("TOP 1", "TOP 50 PERCENT"),
    # the value returned is the one ordered by: tied rows give the same value
    PICKED.format("Enrollment", "").replace("TOP 1 e.serviceType", "TOP 1 e.startDate"),
    # EXISTS asks whether a row is found, not which
    "SELECT p.personID FROM Person p WHERE EXISTS (SELECT TOP 1 e.serviceType FROM Enrollment e "
    "WHERE e.personID = p.personID ORDER BY e.startDate)",
    # the statement's own TOP: the author reads the rows, not one picked for each of another's
    "SELECT TOP 10 e.personID, e.grade FROM Enrollment e WHERE e.endYear = 2027 ORDER BY e.startDate",
    # the conditions find one row
    "SELECT p.personID, (SELECT TOP 1 c.name FROM Calendar c WHERE c.calendarID = p.personID ORDER BY c.name) FROM Person p",
])
def test_a_top_that_cannot_tie_or_whose_pick_does_not_matter_is_left_alone(check, sql):
    assert _hits(check, sql) == []

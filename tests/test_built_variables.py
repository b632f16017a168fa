"""SH029: a variable built up over the rows a SELECT reads. What SQL Server does with it is not
defined, so no engine can show it; the fix is one expression over all the rows, which PostgreSQL
runs and which keeps every row, in order. SH031: a variable set from rows that can be several,
which keeps one of them (no other engine sets a variable from a SELECT)."""

import pytest
from checked import found
from engines import postgres_rows, postgres_with

LIST = "DECLARE @list varchar(max) = ''\n"


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, studentNumber text, lastName text, endYear int)",
        "INSERT INTO student VALUES (1, '1002', 'Baker', 2027), (2, '1001', 'Adams', 2027), (3, '1003', 'Cole', 2026)",
    ) as connection:
        yield connection


@pytest.mark.parametrize("assignment", [
    "@list = @list + s.studentNumber + ','",
    "@list += s.studentNumber + ','",  # the compound operator adds to it too
    "@list = COALESCE(@list + ',', '') + s.studentNumber",
])
def test_a_list_built_row_by_row_is_found_and_the_fix_keeps_every_row_in_order(check, postgres, assignment):
    sql = f"{LIST}SELECT {assignment} FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027 ORDER BY s.lastName\n"
    (hit,) = found(check, sql, "SH029")
    assert (hit.span.line, hit.span.column) == (2, 8)
    assert hit.message == ("@list is built up over the rows this SELECT reads: SQL Server does not promise to run the "
                           "assignment once for each row, nor in the ORDER BY's order, so the list can come back with "
                           "values missing (with ORDER BY, at times only the last row's).")
    assert hit.remediation.startswith("Build the list in one expression: SELECT @list = STRING_AGG(value, ',') WITHIN "
                                      "GROUP (ORDER BY ...)")
    fixed = ("SELECT STRING_AGG(s.studentNumber, ',') WITHIN GROUP (ORDER BY s.lastName) FROM student s "
             "WHERE s.endYear = 2027")
    assert postgres_rows(postgres, fixed) == [("1001,1002",)]


def test_a_running_total_is_found_and_its_fix_is_sum(check):
    sql = ("DECLARE @minutes int = 0\nSELECT @minutes = @minutes + a.presentMinutes FROM Attendance a "
           "WHERE a.calendarID = 5\n")
    (hit,) = found(check, sql, "SH029")
    assert hit.message.endswith("so the total can come back with rows missing.")
    assert hit.remediation == "Compute it in one expression: SELECT @minutes = SUM(...) FROM ..."


@pytest.mark.parametrize("sql", [
    "SELECT @list = STRING_AGG(s.studentNumber, ',') FROM student s WITH (NOEXPAND)",  # one expression
    "SELECT @list = s.studentNumber FROM student s WITH (NOEXPAND)",  # the last row's value: not built up
    "SELECT TOP 1 @list = @list + s.studentNumber FROM student s WITH (NOEXPAND) ORDER BY s.lastName",  # one row
    "SELECT @list = @list + MIN(s.studentNumber) FROM student s WITH (NOEXPAND)",  # an aggregate: one row
    "SELECT @list = @list + c.name FROM Calendar c WHERE c.calendarID = 5",  # a key: one row
    "SELECT @list = @list + sy.label FROM SchoolYear sy WHERE sy.active = 1",  # Campus keeps one active year
    # a key's row, and the one row of each table joined to it on all of its key
    "SELECT @list = @list + i.lastName FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID "
    "WHERE p.personID = 5",
    "SET @list = @list + 'x'",  # no rows
    "SELECT @list = @list + 'x'",
])
def test_one_value_or_one_row_is_left_alone(check, sql):
    assert found(check, LIST + sql + "\n", "SH029") == []


def test_a_table_joined_to_one_row_on_part_of_its_key_can_still_give_several(check):
    """A person has an Identity for each change of name: joined on personID, all of them."""
    sql = (LIST + "SELECT @list = @list + i.lastName FROM Person p JOIN [Identity] i ON i.personID = p.personID "
           "WHERE p.personID = 5\n")
    assert len(found(check, sql, "SH029")) == 1


def test_a_variable_set_from_rows_that_can_be_several_keeps_one_and_says_why(check):
    """SH031: SELECT @calendarID = c.calendarID over a year's calendars, one per school."""
    sql = ("DECLARE @calendarID int\nSELECT @calendarID = c.calendarID FROM Calendar c WHERE c.endYear = 2027\n"
           "SELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendarID\n")
    (hit,) = found(check, sql, "SH031")
    assert (hit.span.line, hit.span.column, hit.span.end_column) == (2, 8, 18)
    assert hit.message == ("This SELECT sets @calendarID from each row it reads, and it can read more than one: endYear "
                           "does not name one row of Calendar c, whose key is calendarID. @calendarID keeps one row's "
                           "value, the last the plan happens to read, without an error: the rest of the script runs for "
                           "that one row of many, and which one can change from one run to the next.")
    assert hit.remediation.startswith("Say which row: TOP 1 with an ORDER BY")


@pytest.mark.parametrize("sql", [
    "SELECT @id = c.calendarID FROM Calendar c WHERE c.calendarID = 5",  # a key: one row
    "SELECT TOP 1 @id = c.calendarID FROM Calendar c WHERE c.endYear = 2027 ORDER BY c.startDate DESC",
    "SELECT @id = MAX(c.calendarID) FROM Calendar c WHERE c.endYear = 2027",  # an aggregate: one row
    "SELECT @id = c.calendarID FROM Calendar c WHERE c.endYear = 2027 ORDER BY c.startDate",  # the last in order is meant
    "SELECT @id = @id + c.calendarID FROM Calendar c WHERE c.endYear = 2027",  # built up: SH029
    "SELECT @id = sy.endYear FROM SchoolYear sy WHERE sy.active = 1",  # Campus keeps one active year
    "SELECT @id = 5",  # no rows read
])
def test_a_variable_set_from_one_row_is_left_alone(check, sql):
    assert found(check, "DECLARE @id int = 0\n" + sql + "\n", "SH031") == []

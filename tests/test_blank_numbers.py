"""PR027: a number or bit column compared with a blank. SQL Server makes the blank 0, so
`a.excuseID = ''` finds the rows holding 0, and a row without an excuse holds NULL. SQLite keeps
the blank as text and finds no row either; IS NULL, the fix, finds the absences without one."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="PR027")

_UNEXCUSED = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 412 AND a.excuseID = ''"


def test_a_blank_for_a_missing_number_is_0_and_is_null_finds_the_rows_without_one(check):
    (hit,) = _hits(check, _UNEXCUSED)
    assert hit.message == (
        "'' is no number: SQL Server turns it into 0 to compare it with Attendance.excuseID, so in a.excuseID = '' it "
        "matches the rows holding 0, not those without a value, which hold NULL; no error says so.")
    assert hit.remediation == "Test for the missing value: a.excuseID IS NULL."
    assert (hit.severity, hit.span.column) == ("warning", _UNEXCUSED.index("''") + 1)
    attendance = sqlite_with({"Attendance": ("personID int, calendarID int, excuseID int", [(10, 412, None), (11, 412, 5)])})
    assert sqlite_rows(attendance, _UNEXCUSED) == []
    assert sqlite_rows(attendance, _UNEXCUSED.replace("= ''", "IS NULL")) == [(10,)]
    assert _hits(check, _UNEXCUSED.replace("= ''", "IS NULL")) == []


def test_a_blank_in_a_list_is_told_to_go_beside_it_with_or(check):
    (hit,) = _hits(check, _UNEXCUSED.replace("= ''", "IN ('', 5)"))
    assert hit.remediation == "Test for the missing value: a.excuseID IS NULL, beside the list's other values with OR."


def test_beside_the_column_s_is_null_the_blank_only_adds_rows_holding_0(check):
    (hit,) = _hits(check, _UNEXCUSED.replace("a.excuseID = ''", "(a.excuseID = '' OR a.excuseID IS NULL)"))
    assert hit.severity == "info"
    assert hit.message == ("'' is 0 to SQL Server beside Attendance.excuseID: the IS NULL beside it finds the rows "
                           "without a value, and a.excuseID = '' adds only the rows holding 0.")
    assert hit.remediation == "Drop a.excuseID = '': a.excuseID IS NULL finds the rows without a value."
    (other,) = _hits(check, _UNEXCUSED.replace("a.excuseID = ''", "(a.excuseID = '' OR a.personID IS NULL)"))
    assert other.severity == "warning"  # another column's IS NULL finds nothing this one lacks


@pytest.mark.parametrize("condition, reported", [
    ("rp.guardian = ''", True),  # a bit takes the blank as 0, false
    ("a.excuseID <> ''", False),  # every row with an excuse, as meant (none holds 0)
    ("ISNULL(a.excuseID, '') = ''", False),  # ISNULL(a.excuseID, 0) = 0: finds the rows without one
    ("e.grade = ''", False),  # text: a blank is a value it can hold
    ("tc.gpaValue = ''", False),  # a decimal refuses the blank: PR026's
])
def test_only_a_column_that_takes_the_blank_as_0_is_reported(check, condition, reported):
    sql = ("SELECT a.personID FROM Attendance a JOIN Enrollment e ON e.personID = a.personID AND e.calendarID = a.calendarID "
           "JOIN RelatedPair rp ON rp.personID1 = a.personID JOIN TranscriptCourse tc ON tc.personID = a.personID "
           f"WHERE a.calendarID = 412 AND {condition}")
    assert bool(_hits(check, sql)) is reported

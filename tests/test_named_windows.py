"""SQL Server 2022's WINDOW clause: an OVER that names a window is read as the window it names."""

import pytest

from advisor.frontend.parse import read_script
from tests.checked import found, rejected_at
from tests.engines import sqlite_rows, sqlite_with

ENROLLMENTS = {"Enrollment": ("personID int, grade text, startDate text, endYear int", [
    (1, "09", "2026-08-20", 2027), (1, "10", "2027-01-05", 2027), (1, "10", "2027-03-01", 2027),
    (2, "11", "2026-08-20", 2027), (2, "12", "2027-02-10", 2027), (3, "09", "2025-08-20", 2026)])}

NAMED = [
    # the WINDOW clause gives the ORDER BY ROW_NUMBER needs
    "SELECT e.personID, e.startDate, ROW_NUMBER() OVER w AS n FROM Enrollment e WHERE e.endYear = 2027 "
    "WINDOW w AS (PARTITION BY e.personID ORDER BY e.startDate DESC)",
    # an OVER adds an ORDER BY to a window that has none; another reads the window as it is
    "SELECT e.personID, e.startDate, ROW_NUMBER() OVER (w ORDER BY e.startDate) AS n, COUNT(*) OVER w AS k "
    "FROM Enrollment e WINDOW w AS (PARTITION BY e.personID)",
    # a window defined by way of another
    "SELECT e.personID, e.startDate, LAG(e.grade) OVER b AS prior FROM Enrollment e "
    "WINDOW a AS (PARTITION BY e.personID), b AS (a ORDER BY e.startDate)",
    # in a derived table, its own SELECT's WINDOW clause
    "SELECT x.personID, x.grade FROM (SELECT e.personID, e.grade, RANK() OVER (w) AS r FROM Enrollment e "
    "WINDOW w AS (PARTITION BY e.personID ORDER BY e.startDate DESC)) x WHERE x.r = 1",
]


@pytest.mark.parametrize("text", NAMED)
def test_a_named_window_is_read_as_written_out_and_returns_the_same_rows(text):
    [statement] = read_script(text).statements
    assert statement.understood, statement.error
    read = statement.tree.sql("tsql")
    assert "WINDOW" not in read  # each OVER holds its window's parts
    database = sqlite_with(ENROLLMENTS)
    assert sqlite_rows(database, read) == sqlite_rows(database, text)


@pytest.mark.parametrize(("text", "reason", "near"), [
    ("SELECT e.personID, ROW_NUMBER() OVER w AS n FROM Enrollment e", "OVER names the window w, which no WINDOW clause", "w"),
    ("SELECT x.personID FROM (SELECT e.personID, RANK() OVER w AS r FROM Enrollment e) x "
     "WINDOW w AS (ORDER BY x.personID)", "OVER names the window w, which no WINDOW clause", "w"),
    ("SELECT e.personID, ROW_NUMBER() OVER a AS n FROM Enrollment e WINDOW a AS (b ORDER BY e.startDate), b AS (a)",
     "the window a is defined by way of itself", "a"),
    ("SELECT e.personID, ROW_NUMBER() OVER w AS n FROM Enrollment e WINDOW w AS (PARTITION BY e.personID)",
     "ROW_NUMBER's OVER needs an ORDER BY, and neither it nor the window w", "w"),
])
def test_a_window_sql_server_cannot_find_or_order_is_rejected(text, reason, near):
    [statement] = read_script(text).statements
    error, at = rejected_at(statement, text)
    assert reason in error
    assert at.endswith(near)


def test_the_checks_see_the_window_a_name_stands_for(check):
    ties = ("SELECT x.personID FROM (SELECT e.personID, ROW_NUMBER() OVER w AS n FROM Enrollment e WHERE e.endYear = 2027 "
            "WINDOW w AS (PARTITION BY e.personID ORDER BY e.startDate DESC)) x WHERE x.n = 1")
    assert found(check, ties, "SH027")  # two enrollments can start on one day
    misspelt = ("SELECT e.personID, ROW_NUMBER() OVER w AS n FROM Enrollment e WHERE e.endYear = 2027\n"
                "WINDOW w AS (PARTITION BY e.personID ORDER BY e.startDat)")
    [unknown] = found(check, misspelt, "CL003")
    assert "startDat" in unknown.message and unknown.span.line == 2

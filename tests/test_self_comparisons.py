"""PR017: a column compared with itself. SQLite runs the query as written, whose NOT EXISTS gives
the same answer for every student, and the fix the finding writes, which looks up each one;
PostgreSQL, given a case-insensitive collation as Campus's is, keeps every row of a column
compared with its own UPPER."""

import re
import sqlite3
from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with, sqlite_rows

_hits = partial(found, rule="PR017")


@pytest.fixture(scope="module")
def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (personID, calendarID, endYear, grade)")
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?, ?, ?)", [(1, 12, 2026, "09"), (2, 12, 2026, "10")])
    connection.execute("CREATE TABLE Attendance (personID, calendarID)")
    connection.execute("INSERT INTO Attendance VALUES (1, 12)")
    return connection




def test_a_subquery_compared_with_itself_gives_one_answer_for_every_row_and_the_fix_looks_up_each(check, database):
    sql = ("SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND NOT EXISTS "
           "(SELECT 1 FROM Attendance a WHERE a.personID = a.personID AND a.calendarID = 12)")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("a.personID = a.personID compares a.personID with itself: true on every row where it is "
                                  "not NULL, so it limits nothing: the subquery is not tied to the row of the query around it")
    assert hit.remediation == "Compare with the column meant: a.personID = e.personID."
    assert (hit.span.column, hit.span.end_column) == (sql.index("a.personID =") + 1, sql.index(" AND a.calendarID"))
    assert sqlite_rows(database, sql) == []  # one student has attendance, so NOT EXISTS is false for both
    fixed = sql.replace("a.personID = a.personID", re.search(r": (.+)\.$", hit.remediation)[1])
    assert sqlite_rows(database, fixed) == [(2,)]  # the student with none
    assert _hits(check, fixed) == []


@pytest.mark.parametrize("sql, said, fix", [
    ("SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = c.calendarID WHERE c.endYear = 2026",
     "c.calendarID = c.calendarID compares c.calendarID with itself: true on every row where it is not NULL, so it "
     "limits nothing, and it joins Calendar c to nothing.", "Compare with the column meant: c.calendarID = e.calendarID."),
    ("SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND e.grade <> e.grade",
     "e.grade <> e.grade compares e.grade with itself: never true, so it keeps no row.",
     "Compare with the column meant, of another table, or remove the comparison."),
])
def test_a_join_or_a_filter_compared_with_itself_is_named_with_what_it_does(check, database, sql, said, fix):
    (hit,) = _hits(check, sql)
    assert (hit.message, hit.remediation) == (said, fix)


@pytest.mark.parametrize("sql", [
    "SELECT e.personID FROM Enrollment e WHERE EXISTS (SELECT 1 FROM Attendance a WHERE a.personID = e.personID)",
    # a table joined to itself: two rows compared, not one
    "SELECT e1.personID FROM Enrollment e1 JOIN Enrollment e2 ON e2.personID = e1.personID AND e2.calendarID <> e1.calendarID",
    "SELECT e.personID FROM Enrollment e WHERE e.grade = e.grade + 1",
])
def test_columns_compared_with_another_s_are_left_alone(check, sql):
    assert _hits(check, sql) == []


def test_a_column_compared_with_its_own_upper_finds_every_row_in_a_case_insensitive_collation(check):
    # names written in capitals, to be written properly: every row passes, and every name is rewritten
    update = ("UPDATE i SET i.lastName = UPPER(LEFT(i.lastName, 1)) + LOWER(SUBSTRING(i.lastName, 2, 50))\n"
              "FROM [Identity] i\nWHERE i.lastName = UPPER(i.lastName)\n")
    (hit,) = _hits(check, update)
    assert hit.message == ("i.lastName = UPPER(i.lastName) compares i.lastName with itself: Campus's databases compare "
                           "text without regard to case (a case-insensitive collation), so UPPER changes nothing the "
                           "comparison sees, and it is true on every row where it is not NULL, so it limits nothing.")
    fixed = "i.lastName COLLATE Latin1_General_CS_AS = UPPER(i.lastName)"
    assert hit.remediation == f"To tell apart the values UPPER changes, compare in a case-sensitive collation: {fixed}."
    assert _hits(check, update.replace("i.lastName = UPPER(i.lastName)", fixed)) == []
    # PostgreSQL, given a case-insensitive collation as Campus's is, keeps both names; in a
    # case-sensitive one (its "C" standing for the fix's), the one in capitals
    select = "SELECT i.personID FROM [Identity] i WHERE i.lastName = UPPER(i.lastName)"
    with postgres_with("CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
                       'CREATE TABLE "Identity" (personID int, lastName text COLLATE ci)',
                       "INSERT INTO \"Identity\" VALUES (1, 'SMITH'), (2, 'Garcia')") as database:
        assert sorted(postgres_rows(database, select)) == [(1,), (2,)]
        assert postgres_rows(database, select.replace("i.lastName =", 'i.lastName COLLATE "C" =')) == [(1,)]


@pytest.mark.parametrize("condition, said, fix", [
    ("ct.email <> LOWER(ct.email)", "Campus's databases compare text without regard to case (a case-insensitive "
     "collation), so LOWER changes nothing the comparison sees, and it is never true, so it keeps no row.",
     "To tell apart the values LOWER changes, compare in a case-sensitive collation: ct.email COLLATE "
     "Latin1_General_CS_AS <> LOWER(ct.email)."),
    ("ct.email <> RTRIM(ct.email)", "SQL Server compares text without its trailing spaces, so RTRIM changes nothing the "
     "comparison sees, and it is never true, so it keeps no row.",
     "To find the values that end in spaces, compare their lengths in bytes, which count the spaces: "
     "DATALENGTH(ct.email) <> DATALENGTH(RTRIM(ct.email))."),
    ("UPPER(RTRIM(ct.email)) = ct.email", "Campus's databases compare text without regard to case (a case-insensitive "
     "collation) and SQL Server compares text without its trailing spaces, so UPPER and RTRIM change nothing the "
     "comparison sees, and it is true on every row where it is not NULL, so it limits nothing.",
     "To tell apart the values UPPER changes, compare in a case-sensitive collation: ct.email COLLATE "
     "Latin1_General_CS_AS = UPPER(ct.email)."),
])
def test_what_case_and_trailing_spaces_change_nothing_of_is_said(check, condition, said, fix):
    (hit,) = _hits(check, f"SELECT ct.personID FROM Contact ct WHERE {condition}")
    assert hit.message.endswith(said) and hit.remediation == fix


@pytest.mark.parametrize("condition", [
    "ct.email <> LOWER(LTRIM(ct.email))",  # leading spaces are compared: LTRIM changes what is seen
    "ct.email COLLATE Latin1_General_CS_AS <> LOWER(ct.email)",
    "ct.email <> LOWER(ct.email2)",
])
def test_a_column_compared_with_what_changes_it_is_left_alone(check, condition):
    assert _hits(check, f"SELECT ct.personID FROM Contact ct WHERE {condition}") == []

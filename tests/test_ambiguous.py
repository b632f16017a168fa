"""CL014: a column written without its table that two of the query's tables have. PostgreSQL
refuses such a name as SQL Server does (error 209 there): each flagged statement is refused, each
one left alone runs, and the fix the finding writes runs."""

from dataclasses import replace
from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

from advisor.pipeline import Checker
from advisor.sources import Source


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, enrollmentID int, studentNumber text, calendarID int, endYear int)",
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, endYear int, startDate date)",
        "CREATE TABLE Calendar (calendarID int, schoolID int, endYear int, name text)",
        "CREATE TABLE School (schoolID int, name text)",
        "CREATE TABLE Attendance (personID int, calendarID int, date date)",
        "INSERT INTO student VALUES (1, 10, '101', 50, 2027)",
        "INSERT INTO Enrollment VALUES (10, 1, 50, 2027, '2026-08-20')",
        "INSERT INTO Calendar VALUES (50, 12, 2027, 'North 2026-27')",
        "INSERT INTO School VALUES (12, 'North High')",
        "INSERT INTO Attendance VALUES (1, 50, '2026-10-02')",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL014")

STUDENT_CALENDAR = "FROM student s JOIN Calendar c ON c.calendarID = s.calendarID"


def _refused_and_runs_qualified(check, postgres, sql: str, name: str, fixed: str) -> None:
    """PostgreSQL refuses the statement as SQL Server does; with its last `name` written as `fixed`,
    it runs, and sqladvise finds nothing."""
    with pytest.raises(psycopg.errors.AmbiguousColumn):
        postgres_rows(postgres, sql)
    at = sql.rindex(f" {name}") + 1
    qualified = sql[:at] + fixed + sql[at + len(name):]
    assert _hits(check, qualified) == [] and len(postgres_rows(postgres, qualified)) == 1


@pytest.mark.parametrize("sql, name, tables, fixed", [
    # the SELECT list, WHERE, GROUP BY
    ("SELECT personID, e.startDate FROM student s JOIN Enrollment e ON e.enrollmentID = s.enrollmentID",
     "personID", "both student s and Enrollment e", "s.personID"),
    (f"SELECT s.studentNumber {STUDENT_CALENDAR} WHERE endYear = 2027", "endYear", "both student s and Calendar c",
     "s.endYear"),
    (f"SELECT c.schoolID, COUNT(*) AS n {STUDENT_CALENDAR} WHERE s.endYear = 2027 GROUP BY c.schoolID, endYear",
     "endYear", "both student s and Calendar c", "c.endYear"),
    # an ON that sees both tables
    ("SELECT s.studentNumber FROM student s JOIN Calendar c ON c.calendarID = s.calendarID AND endYear = 2027",
     "endYear", "both student s and Calendar c", "c.endYear"),
    # a subquery's name that its own tables lack and two of the outer query's have
    (f"SELECT s.studentNumber {STUDENT_CALENDAR} WHERE EXISTS (SELECT 1 FROM Attendance a WHERE a.personID = "
     "s.personID AND endYear = 2027)", "endYear", "both student s and Calendar c", "s.endYear"),
])
def test_a_name_two_tables_have_is_found_and_refused(check, postgres, sql, name, tables, fixed):
    (hit,) = _hits(check, sql)
    assert hit.severity == "warning" and hit.message == (
        f"{name} is a column of {tables}, and it is written without its table: SQL Server cannot tell which is meant "
        "and refuses the statement (error 209, \"Ambiguous column name\"). sqladvise's bundled catalog is an "
        f"approximation: if only one of them has a column {name} in your database, this does not apply.")
    assert fixed in hit.remediation
    _refused_and_runs_qualified(check, postgres, sql, name, fixed)


@pytest.mark.parametrize("sql", [
    # one table has it
    f"SELECT studentNumber, name {STUDENT_CALENDAR} WHERE s.endYear = 2027",
    # ORDER BY of a name the SELECT list returns once
    f"SELECT s.studentNumber, c.name {STUDENT_CALENDAR} JOIN School sc ON sc.schoolID = c.schoolID ORDER BY name",
    # an ON sees only the tables joined before it: student comes after
    "SELECT s.studentNumber FROM School sc JOIN Calendar c ON c.schoolID = sc.schoolID AND endYear = 2027 "
    "JOIN student s ON s.calendarID = c.calendarID",
    # a subquery's own table has it: the outer query's are not looked at
    "SELECT s.studentNumber FROM student s JOIN Enrollment e ON e.enrollmentID = s.enrollmentID WHERE EXISTS "
    "(SELECT 1 FROM Calendar x WHERE x.calendarID = s.calendarID AND endYear = 2027)",
])
def test_a_name_one_table_has_where_it_is_read_is_left_alone(check, postgres, sql):
    assert _hits(check, sql) == []
    assert len(postgres_rows(postgres, sql)) == 1


def test_a_name_is_said_once_per_query_and_a_table_the_catalog_lacks_is_not_guessed(check):
    (hit,) = _hits(check, f"SELECT endYear, s.studentNumber {STUDENT_CALENDAR} WHERE endYear = 2027")
    assert hit.span.column == 8
    assert _hits(check, "SELECT personID FROM student s JOIN ProgramParticipation pp ON pp.personID = s.personID") == []


def test_with_a_district_s_catalog_it_is_an_error(checker):
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    report = Checker(district, checker.settings).check(Source("q.sql", (
        f"SELECT personID {STUDENT_CALENDAR} JOIN Enrollment e ON e.enrollmentID = s.enrollmentID\n").encode()))
    (hit,) = [f for f in report.findings if f.rule == "CL014"]
    assert hit.severity == "error" and "bundled" not in hit.message


def test_a_name_an_on_clause_sees_once_is_that_table_s_column_and_limits_what_it_should(check):
    sql = ("SELECT s.studentNumber, a.date FROM School sc JOIN Calendar c ON c.schoolID = sc.schoolID AND endYear = 2027 "
           "JOIN student s WITH (NOEXPAND) ON s.calendarID = c.calendarID JOIN Attendance a ON a.personID = s.personID "
           "AND a.calendarID = c.calendarID")
    report = check(sql + "\n")
    assert not {"CL014", "SC001"} & {f.rule for f in report.findings}  # Calendar's endYear: one school year
    assert "SC001" in {f.rule for f in check(sql.replace(" AND endYear = 2027", "") + "\n").findings}


def test_a_name_the_select_list_returns_once_is_that_item_only_alone_in_the_order_by(check, postgres):
    """ORDER BY name sorts by the item named name; in an expression, LEN(name), the name is a
    table's column again, and two tables have it."""
    sql = f"SELECT s.studentNumber, c.name {STUDENT_CALENDAR} JOIN School sc ON sc.schoolID = c.schoolID ORDER BY LEN(name)"
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("name is a column of both Calendar c and School sc")
    with pytest.raises(psycopg.errors.AmbiguousColumn):
        postgres_rows(postgres, sql)


@pytest.mark.parametrize("sql, name, items, fixed", [
    ("SELECT s.studentNumber AS id, s.personID AS id FROM student s ORDER BY id", "id",
     "s.studentNumber AS id and s.personID AS id", "s.studentNumber"),
    ("SELECT s.personID, s.enrollmentID AS personID FROM student s ORDER BY personID DESC", "personID",
     "s.personID and s.enrollmentID AS personID", "s.personID"),
    # two tables have it too: the SELECT list's two items are what ORDER BY finds first
    (f"SELECT s.studentNumber, c.name, sc.name {STUDENT_CALENDAR} JOIN School sc ON sc.schoolID = c.schoolID "
     "ORDER BY name", "name", "c.name and sc.name", "sc.name"),
])
def test_an_order_by_name_that_two_items_of_the_select_list_return_is_refused(check, postgres, sql, name, items, fixed):
    (hit,) = _hits(check, sql)
    assert hit.severity == "error" and hit.message == (
        f"ORDER BY {name}: the SELECT list returns two different items named {name} ({items}). SQL Server cannot tell "
        "which is meant and refuses the statement (error 209, \"Ambiguous column name\").")
    assert fixed in hit.remediation.rsplit("ORDER BY ", 1)[1].rstrip(".").split(" or ")
    _refused_and_runs_qualified(check, postgres, sql, name, fixed)


@pytest.mark.parametrize("sql", [
    "SELECT s.studentNumber AS id, s.personID AS id FROM student s ORDER BY s.personID",  # a table's column
    "SELECT s.studentNumber AS id, s.personID AS id FROM student s ORDER BY LEN(s.studentNumber)",
    # the same item twice: not said, as it is not certain that SQL Server refuses it (PostgreSQL does not)
    "SELECT s.personID AS id, s.personID AS id FROM student s ORDER BY id",
])
def test_an_order_by_that_is_not_a_name_returned_twice_is_left_alone(check, postgres, sql):
    assert _hits(check, sql) == []
    assert len(postgres_rows(postgres, sql)) == 1

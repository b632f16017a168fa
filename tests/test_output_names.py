"""CL021: a derived table, CTE or SELECT INTO with a column of no name, or two of one name. SQL
Server refuses each before it reads a row. PostgreSQL names what has no name and lets a derived
table repeat a name, so of these it refuses only the SELECT INTO that repeats one; the other
cases hold the finding to SQL Server's documented errors."""

from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="CL021")

_JOINED = "FROM Enrollment e JOIN Person p ON p.personID = e.personID WHERE e.calendarID = 12"
_COUNTED = "FROM Attendance a WHERE a.calendarID = 12 GROUP BY a.personID"


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int)",
        "CREATE TABLE Person (personID int, studentNumber text)",
        "INSERT INTO Enrollment VALUES (1, 10, 12)",
        "INSERT INTO Person VALUES (10, '1001')",
    ) as connection:
        yield connection


@pytest.mark.parametrize("sql, message", [
    (f"SELECT x.personID FROM (SELECT a.personID, COUNT(*) {_COUNTED}) x",
     "Column 2 of x, COUNT(*), has no name: SQL Server refuses the statement before it reads a row (error 8155, "
     "\"No column name was specified for column 2 of 'x'\")."),
    (f"WITH marks AS (SELECT a.personID, COUNT(*) {_COUNTED}) SELECT m.personID FROM marks m",
     "Column 2 of marks, COUNT(*), has no name"),
    (f"SELECT a.personID, COUNT(*) INTO #marks {_COUNTED}",
     "Column 2 of #marks, COUNT(*), has no name: SQL Server refuses the statement before it reads a row (error 1038, "),
    (f"WITH paired AS (SELECT e.personID, p.personID {_JOINED}) SELECT b.personID FROM paired b",
     "paired has two columns named personID: e.personID and p.personID both return personID. SQL Server refuses the "
     "statement before it reads a row (error 8156, \"The column 'personID' was specified multiple times for 'paired'\")."),
    (f"SELECT x.studentNumber FROM (SELECT e.*, p.* {_JOINED}) x",
     "x has two columns of each of the names personID and modifiedDate: e.* and p.* both return personID and "
     "modifiedDate"),
])
def test_a_column_of_no_name_or_of_a_name_given_twice_is_found(check, sql, message):
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(message)


def test_a_select_into_that_repeats_a_name_is_refused_and_one_name_each_runs(check, postgres):
    sql = f"SELECT e.personID, p.personID, p.studentNumber INTO #paired {_JOINED}"
    (hit,) = _hits(check, sql)
    assert "(error 2705, \"Column names in each table must be unique. Column name 'personID' in table '#paired'" in hit.message
    assert hit.remediation == "Return personID once, or give one of them a name of its own (... AS another name)."
    with pytest.raises(psycopg.errors.DuplicateColumn):
        postgres_rows(postgres, sql)
    fixed = sql.replace("p.personID, ", "")
    assert _hits(check, fixed) == []
    postgres.execute(sqlglot.transpile(fixed, read="tsql", write="postgres")[0])
    assert postgres_rows(postgres, "SELECT personID, studentNumber FROM paired") == [(10, "1001")]


@pytest.mark.parametrize("sql", [
    f"SELECT x.personID FROM (SELECT a.personID, COUNT(*) AS marks {_COUNTED}) x",
    # a column list names the columns
    f"WITH marks (personID, n) AS (SELECT a.personID, COUNT(*) {_COUNTED}) SELECT m.personID FROM marks m",
    f"SELECT x.personID FROM (SELECT a.personID, COUNT(*) {_COUNTED}) x (personID, n)",
    # the SELECT list of a plain query, and an INSERT's, need no names
    f"SELECT a.personID, COUNT(*) {_COUNTED}",
    f"INSERT INTO #marks (personID, n) SELECT a.personID, COUNT(*) {_COUNTED}",
    # a star over a table whose columns are not known
    f"SELECT x.personID FROM (SELECT t.*, p.personID {_JOINED.replace('Enrollment e', '#list t JOIN Enrollment e ON e.personID = t.personID')}) x",
    # the names of a UNION's first arm
    "SELECT x.personID FROM (SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 UNION ALL "
    "SELECT r.personID + 0 FROM Roster r WHERE r.trialID = 3) x",
    # a VALUES table named by its list, in FROM and after APPLY
    "SELECT g.label FROM (VALUES ('09', 'Freshman'), ('10', 'Sophomore')) AS g (grade, label)",
    "SELECT p.personID, v.n FROM Person p CROSS APPLY (VALUES (p.personID, 1), (p.personID + 1, 2)) v (id, n)",
])
def test_columns_each_named_once_are_left_alone(check, sql):
    assert _hits(check, sql) == []


_ENROLLED = "FROM Enrollment e WHERE e.calendarID = 12"


@pytest.mark.parametrize("sql, message, remediation", [
    (f"WITH active (personID, calendarID) AS (SELECT e.personID, e.calendarID, e.enrollmentID {_ENROLLED}) "
     "SELECT a.personID FROM active a",
     "active (personID, calendarID) names 2 columns, and its query returns 3: SQL Server refuses the statement "
     "before it reads a row (error 8158, \"'active' has more columns than were specified in the column list\").",
     "Give the list a name for each column, in order: active (personID, calendarID, enrollmentID); or return only "
     "the columns it names."),
    (f"SELECT x.personID FROM (SELECT e.personID {_ENROLLED}) x (personID, calendarID)",
     "x (personID, calendarID) names 2 columns, and its query returns 1: SQL Server refuses the statement before it "
     "reads a row (error 8159, \"'x' has fewer columns than were specified in the column list\").",
     "Drop calendarID from the list, or return a column for it."),
    ("SELECT v.grade FROM (VALUES ('09', 'Freshman')) AS v (grade)",
     "v (grade) names 1 column, and its rows have 2 values: SQL Server refuses the statement before it reads a row "
     "(error 8158, ", "Give the list a name for each column, in order: v (grade, column2); or return only the columns it "
     "names."),
    ("SELECT p.personID FROM Person p CROSS APPLY (VALUES (p.personID)) v (id, n)",
     "v (id, n) names 2 columns, and its rows have 1 value: SQL Server refuses the statement before it reads a row "
     "(error 8159, ", "Drop n from the list, or return a column for it."),
    # a recursive CTE's list counts its anchor's columns
    ("WITH weeks (n, weekStart) AS (SELECT 1 UNION ALL SELECT w.n + 1 FROM weeks w WHERE w.n < 10) SELECT w.n FROM weeks w",
     "weeks (n, weekStart) names 2 columns, and its query returns 1: ", "Drop weekStart from the list, or return a column for it."),
])
def test_a_column_list_of_another_length_than_the_query_is_found(check, postgres, sql, message, remediation):
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(message) and hit.remediation == remediation
    if "8159" in message and "weeks" not in sql:  # PostgreSQL renames the first columns, and refuses more names than columns
        with pytest.raises(psycopg.errors.InvalidColumnReference):
            postgres_rows(postgres, sql)


def test_a_fixed_column_list_runs(check, postgres):
    sql = (f"WITH active (personID, calendarID, enrollmentID) AS (SELECT e.personID, e.calendarID, e.enrollmentID "
           f"{_ENROLLED}) SELECT a.personID, a.enrollmentID FROM active a")
    assert _hits(check, sql) == []
    assert postgres_rows(postgres, sql) == [(10, 1)]


@pytest.mark.parametrize("sql, name", [
    ("SELECT e.personID, g.label FROM Enrollment e JOIN (VALUES ('09', 'Freshman'), ('10', 'Sophomore')) AS g ON "
     "g.grade = e.grade", "g"),
    ("SELECT p.personID, v.n FROM Person p CROSS APPLY (VALUES (p.personID, 1)) v", "v"),
])
def test_a_values_table_without_a_column_list_is_found(check, sql, name):
    """A VALUES table's columns take their names from its list: without one they have none."""
    (hit,) = _hits(check, sql)
    assert hit.message == (f"The columns of {name} have no names: a VALUES table takes them from a column list after its "
                           "name, and without one SQL Server refuses the statement before it reads a row (error 8155, "
                           f"\"No column name was specified for column 1 of '{name}'\").")
    assert hit.remediation == f"Name its 2 columns after its name, in order: AS {name} (column1, column2)."
    assert sql[hit.span.start : hit.span.end] == name


def test_a_column_list_that_names_a_column_twice_is_found(check):
    (hit,) = _hits(check, f"WITH active (personID, personID) AS (SELECT e.personID, e.enrollmentID {_ENROLLED}) "
                          "SELECT a.personID FROM active a")
    assert hit.message.startswith("active (personID, personID) names personID twice: SQL Server refuses the statement "
                                  "before it reads a row (error 8156, \"The column 'personID' was specified multiple "
                                  "times for 'active'\").")


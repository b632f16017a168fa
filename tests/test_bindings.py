"""CL009: a column written with an alias the query does not have where it is used; CL010: arms of
a UNION of different widths. PostgreSQL refuses these as SQL Server does: each flagged statement is
refused there, and each left alone runs."""

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, studentNumber text, calendarID int, endYear int)",
        "CREATE TABLE Calendar (calendarID int, schoolID int, endYear int)",
        "CREATE TABLE School (schoolID int, name text)",
        "CREATE TABLE Person (personID int, studentNumber text, staffNumber text, currentIdentityID int)",
        'CREATE TABLE "Identity" (identityID int, personID int, lastName text)',
        "CREATE TABLE Contact (personID int, email text)",
        "INSERT INTO student VALUES (1, '101', 50, 2027)",
        "INSERT INTO Calendar VALUES (50, 12, 2027)",
        "INSERT INTO School VALUES (12, 'North High')",
        "INSERT INTO Person VALUES (1, '101', NULL, 7)",
        "INSERT INTO \"Identity\" VALUES (7, 1, 'Ames')",
        "INSERT INTO Contact VALUES (1, 'a@example.org')",
    ) as connection:
        yield connection


_hits = found


FROM = "FROM student s JOIN Calendar c ON c.calendarID = s.calendarID JOIN School sc ON sc.schoolID = c.schoolID "


@pytest.mark.parametrize("sql, message, fix", [
    ("SELECT s.studentNumber " + FROM + "WHERE s.endYear = 2027 AND e.grade = '09'",
     "e.grade names e, which is no table or alias of this query", "Write the alias of the table that has grade: one of s, c and sc."),
    ("SELECT s.studentNumber " + FROM + "WHERE s.endYear = 2027 ORDER BY st.studentNumber",
     "st.studentNumber names st, which is no table or alias of this query",
     "Write the alias of the table that has studentNumber: one of s, c and sc."),
    ("SELECT s.studentNumber FROM student s JOIN Calendar c ON c.calendarID = s.calendarID AND sc.schoolID = c.schoolID "
     "JOIN School sc ON sc.schoolID = c.schoolID",
     "sc.schoolID is read in the ON clause of Calendar c, but School sc is joined after it: an ON clause can use only the "
     "tables joined before it", "Move the condition to the ON clause of School sc (or to the WHERE clause)."),
    # a comma starts a list of its own: the JOIN after it binds to student s alone
    ("SELECT s.studentNumber FROM Calendar c, student s JOIN School sc ON sc.schoolID = c.schoolID "
     "WHERE s.calendarID = c.calendarID",
     "c.schoolID is read in the ON clause of School sc, but Calendar c is listed before the comma in front of student s: "
     "the tables after a comma are joined on their own, and their ON clauses can use only those",
     "Join student s with JOIN ... ON rather than after a comma, or move the condition to the WHERE clause."),
])
def test_a_column_whose_alias_is_not_there_is_refused(check, postgres, sql, message, fix):
    (hit,) = _hits(check, sql, "CL009")
    assert hit.severity == "error" and hit.message.startswith(message)
    assert hit.message.endswith("SQL Server refuses the statement before it reads a row (error 4104, \"The multi-part "
                                "identifier ... could not be bound\").")
    assert hit.remediation == fix
    with pytest.raises((psycopg.errors.UndefinedTable, psycopg.errors.InvalidColumnReference)):
        postgres_rows(postgres, sql)


@pytest.mark.parametrize("sql", [
    "SELECT s.studentNumber, sc.name " + FROM + "WHERE s.endYear = 2027",
    # an enclosing query's alias, the table's own name, a parenthesized join
    "SELECT s.studentNumber FROM student s WHERE EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = s.calendarID)",
    "SELECT School.name FROM School",
    'SELECT i.lastName FROM Person p JOIN ("Identity" i JOIN Contact ct ON ct.personID = i.personID) '
    "ON i.identityID = p.currentIdentityID",
    # the group's ON sees every table inside it
    'SELECT ct.email FROM Person p JOIN ("Identity" i JOIN Contact ct ON ct.personID = i.personID) '
    "ON ct.personID = p.personID",
    # each list after a comma joins its own tables
    "SELECT sc.name FROM Calendar c, student s JOIN School sc ON sc.schoolID = s.calendarID / 4 WHERE s.calendarID = "
    "c.calendarID",
    "SELECT ct.email FROM student s JOIN Calendar c ON c.calendarID = s.calendarID, Person p JOIN Contact ct ON "
    "ct.personID = p.personID WHERE p.personID = s.personID",
])
def test_columns_whose_alias_is_there_are_left_alone(check, postgres, sql):
    report = check(sql.replace('"Identity"', "[Identity]") + "\n")
    assert [f for f in report.findings if f.rule in ("CL009", "JN001")] == []
    assert postgres_rows(postgres, sql)


def test_union_arms_of_different_widths_are_refused(check, postgres):
    sql = ("SELECT p.personID, p.studentNumber AS number FROM Person p WHERE p.studentNumber IS NOT NULL\n"
           "UNION ALL\nSELECT p.personID FROM Person p WHERE p.staffNumber IS NOT NULL")
    (hit,) = _hits(check, sql, "CL010")
    assert (hit.severity, hit.span.line) == ("error", 3)
    assert hit.message == ("This SELECT returns 1 column and the first one 2: every arm of a UNION must return as many, "
                           "and SQL Server refuses the statement before it reads a row (error 205).")
    with pytest.raises(psycopg.errors.SyntaxError):
        postgres_rows(postgres, sql)
    assert postgres_rows(postgres, sql.replace("SELECT p.personID FROM", "SELECT p.personID, p.staffNumber FROM"))


@pytest.mark.parametrize("sql", [
    "SELECT p.personID, p.studentNumber FROM Person p UNION SELECT p.personID, p.staffNumber FROM Person p",
    "SELECT p.* FROM Person p UNION SELECT p.personID, p.studentNumber, p.staffNumber, p.currentIdentityID FROM Person p",
])
def test_union_arms_of_one_width_or_with_a_star_are_left_alone(check, postgres, sql):
    assert _hits(check, sql, "CL010") == []
    postgres_rows(postgres, sql)

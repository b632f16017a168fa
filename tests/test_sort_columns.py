"""CL007: an ORDER BY item that a SELECT DISTINCT or a UNION does not return. PostgreSQL refuses
these as SQL Server does: each flagged statement is refused there, and each left alone runs."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, studentNumber text, lastName text, grade text, endYear int)",
        "CREATE TABLE Person (personID int, staffNumber text)",
        "INSERT INTO student VALUES (1, '101', 'Ames', '09', 2027), (2, '102', 'Baker', '10', 2027)",
        "INSERT INTO Person VALUES (3, 'T3')",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL007")


DISTINCT = "SELECT DISTINCT s.studentNumber, s.lastName AS last FROM student s WHERE s.endYear = 2027 ORDER BY "
UNION = ("SELECT s.personID, s.studentNumber AS number FROM student s WHERE s.endYear = 2027 "
         "UNION SELECT p.personID, p.staffNumber FROM Person p ORDER BY ")


@pytest.mark.parametrize("sql, message", [
    (DISTINCT + "s.grade", "s.grade is in the ORDER BY but not in its SELECT DISTINCT list: SQL Server refuses the "
     "statement before it reads a row (error 145, \"ORDER BY items must appear in the select list if SELECT DISTINCT "
     "is specified\")."),
    (DISTINCT + "2, UPPER(s.lastName), s.grade", "UPPER(s.lastName) and s.grade are in the ORDER BY but not in its "
     "SELECT DISTINCT list"),
    (UNION + "staffNumber", "staffNumber is in the ORDER BY but not in the first SELECT's list: SQL Server refuses the "
     "statement before it reads a row (error 104, \"ORDER BY items must appear in the select list if the statement "
     "contains a UNION, INTERSECT or EXCEPT operator\")."),
    (UNION.replace("UNION", "EXCEPT") + "lastName", "lastName is in the ORDER BY but not in the first SELECT's list"),
])
def test_a_sort_by_what_the_list_does_not_return_is_refused(check, postgres, sql, message):
    (hit,) = _hits(check, sql)
    assert hit.severity == "error" and hit.message.startswith(message)
    with pytest.raises((psycopg.errors.InvalidColumnReference, psycopg.errors.UndefinedColumn,
                        psycopg.errors.FeatureNotSupported)):
        postgres_rows(postgres, sql)


def test_the_distinct_fix_returns_what_it_sorts_by(check, postgres):
    (hit,) = _hits(check, DISTINCT + "s.grade")
    assert hit.remediation == ("Sort by columns the SELECT list returns, or add s.grade to it (which can make more rows "
                               "distinct: one for each value).")
    assert postgres_rows(postgres, DISTINCT.replace(" AS last", " AS last, s.grade") + "s.grade") == [("101", "Ames", "09"),
                                                                                           ("102", "Baker", "10")]


@pytest.mark.parametrize("sql", [
    DISTINCT + "last DESC, 1, s.studentNumber",
    DISTINCT + "studentNumber, s.lastName",
    "SELECT DISTINCT UPPER(s.lastName) FROM student s ORDER BY UPPER(s.lastName)",
    UNION + "number, 1",
    UNION + "personID DESC",
    # without DISTINCT, any column of the tables read
    "SELECT s.studentNumber FROM student s ORDER BY s.grade, UPPER(s.lastName)",
    # a subquery's own ORDER BY, with its TOP
    "SELECT x.personID FROM (SELECT DISTINCT TOP 5 s.personID, s.grade FROM student s ORDER BY s.grade) x",
])
def test_a_sort_by_what_the_list_returns_is_left_alone(check, postgres, sql):
    assert _hits(check, sql) == []
    assert postgres_rows(postgres, sql)

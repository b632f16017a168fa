"""PR014: a subquery that returns the outer query's own column. PostgreSQL looks an unqualified
name up in the outer query as SQL Server does: each flagged condition is run there and filters
nothing, and its column written with the table's alias is refused, as the fix says."""

from dataclasses import replace

import psycopg
import pytest
from engines import postgres_rows, postgres_with

from advisor.pipeline import Checker
from advisor.sources import Source

STUDENTS = "SELECT s.studentNumber FROM student s WHERE s.endYear = 2027 AND "


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, studentNumber text, endYear int)",
        "CREATE TABLE Calendar (calendarID int, schoolID int, endYear int)",
        "CREATE TABLE Enrollment (personID int, calendarID int)",
        "INSERT INTO student VALUES (1, '101', 2027), (2, '102', 2027), (3, '103', 2027)",
        "INSERT INTO Calendar VALUES (50, 12, 2027), (51, 14, 2027)",
        "INSERT INTO Enrollment VALUES (1, 50), (2, 51)",
    ) as connection:
        yield connection


def _hits(checker, sql: str) -> list:
    return [f for f in checker.check(Source("q.sql", (sql + "\n").encode())).findings if f.rule == "PR014"]


@pytest.mark.parametrize("condition, itself", [
    ("s.personID IN (SELECT personID FROM Calendar WHERE endYear = 2027 AND schoolID = 12)",
     " s.personID IN (...) is then true of every row (NOT IN false of every row) whenever Calendar has a row that matches."),
    ("personID = ANY (SELECT personID FROM Calendar c WHERE c.schoolID = 12)",
     " The comparison then compares s.personID with itself."),
    ("s.personID = (SELECT TOP 1 personID FROM Calendar c WHERE c.schoolID = 12)",
     " The comparison then compares s.personID with itself."),
])
def test_a_subquery_returning_the_outer_row_s_column_is_found_and_filters_nothing(check, postgres, condition, itself):
    sql = STUDENTS + condition
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "PR014"]
    table = "Calendar c" if " c " in condition else "Calendar"
    assert hit.severity == "warning" and hit.message == (
        f"personID is not a column of {table}, so SQL Server takes it from the outer query: the subquery returns "
        f"s.personID, the outer row's own value, not one of {table}'s.{itself} sqladvise's bundled catalog is an "
        f"approximation: if your {table} has a column personID, this does not apply.")
    alias = "c" if " c " in condition else "Calendar"
    assert hit.remediation.startswith(f"Name the column with its table's alias (SELECT {alias}.personID FROM {table}): ")
    assert sorted(postgres_rows(postgres, sql)) == [("101",), ("102",), ("103",)]  # every student
    with pytest.raises(psycopg.errors.UndefinedColumn):
        postgres_rows(postgres, sql.replace(" personID FROM", f" {alias}.personID FROM"))


def test_with_a_district_s_catalog_it_is_an_error(checker):
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    (hit,) = _hits(Checker(district, checker.settings), STUDENTS + "s.personID IN (SELECT personID FROM Calendar)")
    assert hit.severity == "error" and "bundled" not in hit.message


@pytest.mark.parametrize("condition", [
    # the subquery's own column, written with or without its alias
    "s.personID IN (SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.schoolID = 12)",
    "s.personID IN (SELECT personID FROM Enrollment WHERE calendarID = 50)",
    # another column of the outer row, qualified: meant, and not a name the subquery lacks by mistake
    "s.personID IN (SELECT s.personID FROM Calendar c WHERE c.schoolID = 12)",
    # a table sqladvise does not know may have the column
    "s.personID IN (SELECT personID FROM ProgramParticipation WHERE programID = 4)",
])
def test_a_subquery_returning_its_own_column_or_a_qualified_outer_one_is_left_alone(check, condition):
    assert [f for f in check(STUDENTS + condition + "\n").findings if f.rule == "PR014"] == []

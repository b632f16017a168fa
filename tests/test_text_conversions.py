"""CL016: a text column converted to a number or a date with CAST or CONVERT. PostgreSQL stops a
conversion of text that is not a number as SQL Server does (error 245 there): each flagged query
runs on rows of numbers and stops at the first 'KG'. TRY_CAST has no PostgreSQL equivalent that
sqlglot writes, so the fix is checked for what it is: left alone."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (personID int, endYear int, grade text)",
        "INSERT INTO Enrollment VALUES (1, 2027, '09'), (2, 2027, '10')",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL016")


@pytest.mark.parametrize("sql, written, target, error, fix", [
    ("SELECT e.personID, CAST(e.grade AS int) AS gradeLevel FROM Enrollment e WHERE e.endYear = 2027",
     "CAST(e.grade AS int)", "int", "error 245", "TRY_CAST(e.grade AS int)"),
    ("SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND CONVERT(int, e.grade) >= 9",
     "CONVERT(int, e.grade)", "int", "error 245", "TRY_CONVERT(int, e.grade)"),
    ("SELECT e.personID, CAST(e.grade AS decimal(4, 1)) AS g FROM Enrollment e WHERE e.endYear = 2027",
     "CAST(e.grade AS decimal(4, 1))", "decimal(4, 1)", "error 8114", "TRY_CAST(e.grade AS decimal(4, 1))"),
])
def test_text_converted_to_a_number_is_found_and_stops_at_the_first_kindergartner(check, postgres, sql, written,
                                                                                    target, error, fix):
    (hit,) = _hits(check, sql)
    assert hit.severity == "warning"
    assert hit.message.startswith(f"{written} converts Enrollment.grade (varchar(4)) "
                                  f"to {target}: the first grade that is not a number stops the query with {error}")
    assert hit.remediation.startswith(f"Convert with {fix}")
    assert len(postgres_rows(postgres, sql)) == 2
    with postgres.transaction(force_rollback=True):
        postgres.execute("INSERT INTO Enrollment VALUES (3, 2027, 'KG')")
        with pytest.raises(psycopg.errors.InvalidTextRepresentation), postgres.transaction():
            postgres_rows(postgres, sql)
    assert _hits(check, sql.replace(written, fix)) == []


def test_a_date_kept_as_text_is_found_and_the_fix_keeps_its_style(check):
    (cast,) = _hits(check, "SELECT cs.personID, CAST(cs.value AS date) AS d FROM CustomStudent cs WHERE cs.attributeID = 4")
    assert "the first value that is not a date stops the query with error 241" in cast.message
    (converted,) = _hits(check, "SELECT CONVERT(date, cs.value, 101) AS d FROM CustomStudent cs WHERE cs.attributeID = 4")
    assert converted.remediation.startswith("Convert with TRY_CONVERT(date, cs.value, 101) (SQL Server 2012 and later)")


@pytest.mark.parametrize("sql", [
    # a CASE branch that tests the column first: CASE evaluates in order
    "SELECT CASE e.grade WHEN 'KG' THEN 0 WHEN 'PK' THEN -1 ELSE CAST(e.grade AS int) END FROM Enrollment e",
    "SELECT CASE WHEN e.grade NOT LIKE '%[^0-9]%' THEN CAST(e.grade AS int) END FROM Enrollment e",
    # a number column, text made of a number, and text converted to text
    "SELECT CAST(e.personID AS decimal(12, 0)), CAST(e.endYear AS varchar(4)) FROM Enrollment e",
    "SELECT CAST(e.grade AS varchar(10)) FROM Enrollment e",
    # a column sqladvise does not know
    "SELECT CAST(x.code AS int) FROM ProgramParticipation x",
])
def test_conversions_that_cannot_fail_on_text_or_are_guarded_are_left_alone(check, sql):
    assert _hits(check, sql) == []


@pytest.mark.parametrize("expression, target", [("e.grade + 1", "int"), ("e.grade * 1.0", "decimal"), ("1 + e.grade", "int")])
def test_text_in_arithmetic_with_a_number_is_converted_too(check, expression, target):
    (hit,) = _hits(check, f"SELECT e.personID, {expression} AS g FROM Enrollment e WHERE e.endYear = 2027")
    assert hit.message.startswith(f"{expression} converts Enrollment.grade (varchar(4)) to {target} (arithmetic with a "
                                  "number reads the text as a number): the first grade that is not a number stops")
    assert hit.remediation.startswith(f"Convert with TRY_CAST(e.grade AS {target})")


def test_text_joined_to_text_and_numbers_added_to_numbers_are_left_alone(check):
    assert _hits(check, "SELECT 'Grade ' + e.grade + '1', e.endYear + 1, e.personID * 2 FROM Enrollment e") == []


@pytest.mark.parametrize("sql, written", [
    ("SELECT CASE WHEN ISNUMERIC(cs.value) = 1 THEN CAST(cs.value AS int) END FROM CustomStudent cs "
     "WHERE cs.attributeID = 4", "CAST(cs.value AS int)"),
    ("SELECT CASE WHEN ISNUMERIC(cs.value) = 0 THEN NULL ELSE CONVERT(decimal(5,2), cs.value) END FROM CustomStudent cs "
     "WHERE cs.attributeID = 4", "CONVERT(decimal(5,2), cs.value)"),
    ("SELECT IIF(ISNUMERIC(LTRIM(cs.value)) = 1, CAST(cs.value AS int), NULL) FROM CustomStudent cs "
     "WHERE cs.attributeID = 4", "CAST(cs.value AS int)"),
])
def test_a_branch_that_only_isnumeric_guards_can_still_stop(check, postgres, sql, written):
    (hit,) = _hits(check, sql)
    assert sql[hit.span.start:hit.span.end] == written
    assert "ISNUMERIC is true of text that " in hit.message
    assert "('$', '1,000', '1e5', '.', '-', and for a whole number '1.5')" in hit.message
    assert hit.remediation.endswith("in place of the ISNUMERIC test.")
    for value in ("$", "1,000", "1e5", ".", "-", "1.5"):  # what SQL Server's ISNUMERIC calls a number
        with pytest.raises(psycopg.errors.InvalidTextRepresentation), postgres.transaction():
            postgres.execute(f"SELECT CAST('{value}' AS int)")


@pytest.mark.parametrize("sql", [
    "SELECT CASE WHEN ISNUMERIC(cs.value) = 1 THEN CAST(cs.value AS money) END FROM CustomStudent cs",  # money takes them all
    "SELECT CASE WHEN ISNUMERIC(cs.value) = 1 AND cs.value NOT LIKE '%[^0-9]%' THEN CAST(cs.value AS int) END "
    "FROM CustomStudent cs",  # tested as digits too
])
def test_isnumeric_beside_a_test_of_the_digits_or_before_money_guards(check, sql):
    assert _hits(check, sql) == []

"""PR020: a list written as one string in IN (@list). PostgreSQL, like SQL Server, compares the
column with the whole string: a number column refuses it, a text column matches no row; the
values the finding writes out match the rows meant."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="PR020")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, grade varchar(4))",
        "INSERT INTO Enrollment VALUES (1, 10, 12, '09'), (2, 11, 14, '10'), (3, 12, 20, '11')",
    ) as connection:
        yield connection


@pytest.mark.parametrize("declared, column, values, kept", [
    ("DECLARE @list varchar(50) = '12,14,15'", "e.calendarID", "12, 14, 15", [(1,), (2,)]),
    ("DECLARE @list varchar(50) = '09,10'", "e.grade", "'09', '10'", [(1,), (2,)]),
    ("DECLARE @list varchar(50)\nSET @list = '09,10'", "e.grade", "'09', '10'", [(1,), (2,)]),
])
def test_a_list_in_one_string_is_found_and_its_values_match_the_rows_meant(check, postgres, declared, column, values,
                                                                          kept):
    query = f"SELECT e.enrollmentID FROM Enrollment e WHERE {column} IN ({{}}) ORDER BY e.enrollmentID"
    (hit,) = _hits(check, f"{declared}\n{query.format('@list')}")
    text = declared.split("'")[1]
    assert hit.message.startswith(f"@list holds '{text}', one string: IN compares {column} with each item of its own "
                                  f"list")
    assert f"or write the values: {column} IN ({values})." in hit.remediation
    assert f"{column} IN (SELECT value FROM STRING_SPLIT(@list, ','))" in hit.remediation
    as_written = query.format(f"'{text}'")
    if column == "e.calendarID":
        assert "(error 245, \"Conversion failed when converting the varchar value '12,14,15' to data type int\")" in hit.message
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            postgres_rows(postgres, as_written)
    else:
        assert "the condition keeps no row" in hit.message
        assert postgres_rows(postgres, as_written) == []
    assert postgres_rows(postgres, query.format(values)) == kept


def test_a_list_with_spaces_is_split_and_trimmed(check):
    (hit,) = _hits(check, "DECLARE @list varchar(50) = '09, 10'\nSELECT e.personID FROM Enrollment e WHERE e.grade IN (@list)")
    assert "e.grade IN (SELECT LTRIM(RTRIM(value)) FROM STRING_SPLIT(@list, ','))" in hit.remediation


@pytest.mark.parametrize("sql", [
    # one value, or a list split
    "DECLARE @list varchar(50) = '12'\nSELECT e.personID FROM Enrollment e WHERE e.calendarID IN (@list)",
    "DECLARE @list varchar(50) = '12,14'\nSELECT e.personID FROM Enrollment e "
    "WHERE e.calendarID IN (SELECT value FROM STRING_SPLIT(@list, ','))",
    # set elsewhere too: from a table, or by a procedure
    "DECLARE @list varchar(50) = '12,14'\nSELECT @list = c.name FROM Calendar c WHERE c.calendarID = 12\n"
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID IN (@list)",
    "DECLARE @list varchar(50) = '12,14'\nEXEC dbo.SchoolList @list OUTPUT\n"
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID IN (@list)",
])
def test_variables_that_hold_one_value_or_may_are_left_alone(check, sql):
    assert _hits(check, sql) == []

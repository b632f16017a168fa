"""CL017: text cut short without an error. PostgreSQL, like SQL Server, cuts a string converted
to a shorter varchar and says nothing: the tests run the value in the type SQL Server reads
(varchar with no length is varchar(1) in a DECLARE and varchar(30) in CAST), and in the type the
fix writes, which keeps all of it."""

import pytest
from checked import fixed_text_type, found
from engines import postgres_cast, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with() as connection:
        yield connection


def test_varchar_with_no_length_in_a_declare_holds_one_character(check, postgres):
    sql = "DECLARE @grade varchar = '10'\nSELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.grade = @grade\n"
    (hit,) = found(check, sql, "CL017")
    assert (hit.span.line, hit.span.column) == (1, 9)
    assert hit.message == ("@grade is declared varchar with no length, which a DECLARE takes as varchar(1): it holds one "
                           "character, so '10' is kept as '1', without an error.")
    assert postgres_cast(postgres, "'10'", "varchar(1)") == "1"
    assert postgres_cast(postgres, "'10'", fixed_text_type(hit.remediation)) == "10"


def test_a_string_longer_than_its_variable_loses_its_end(check, postgres):
    for assignment in ("SET @school = 'Lincoln High'", "SELECT @school = 'Lincoln High'"):
        (hit,) = found(check, f"DECLARE @school varchar(5)\n{assignment}\n", "CL017")
        assert hit.span.line == 2
        assert hit.message == "@school is varchar(5), and 'Lincoln High' is 12 characters: SQL Server keeps 'Linco' without an error."
        assert postgres_cast(postgres, "'Lincoln High'", "varchar(5)") == "Linco"
        assert postgres_cast(postgres, "'Lincoln High'", fixed_text_type(hit.remediation)) == "Lincoln High"


@pytest.mark.parametrize("synonym, base", [
    ("national character varying(5)", "nvarchar(5)"), ("national char varying(5)", "nvarchar(5)"),
    ("national character(5)", "nchar(5)"), ("national char(5)", "nchar(5)"),
])
def test_a_type_s_iso_name_is_read_as_the_type_sql_server_takes_it_for(check, postgres, synonym, base):
    (hit,) = found(check, f"DECLARE @school {synonym} = 'Lincoln High'\n", "CL017")
    assert hit.message == f"@school is {base}, and 'Lincoln High' is 12 characters: SQL Server keeps 'Linco' without an error."
    assert postgres_cast(postgres, "'Lincoln High'", synonym) == "Linco"


def test_a_column_longer_than_the_variable_it_is_put_in_loses_its_end(check, postgres):
    sql = "DECLARE @name varchar(20)\nSELECT @name = i.lastName FROM [Identity] i WHERE i.personID = 5\n"
    (hit,) = found(check, sql, "CL017")
    assert (hit.span.line, hit.span.column) == (2, 16)
    assert hit.message == ("@name is varchar(20), and i.lastName can be up to 50 characters: SQL Server keeps the first "
                           "20 of a longer value without an error.")
    name = "'Vandenberg-Castellanos'"
    assert postgres_cast(postgres, name, "varchar(20)") == "Vandenberg-Castellan"
    assert postgres_cast(postgres, name, fixed_text_type(hit.remediation)) == name.strip("'")


def test_a_subquery_s_column_longer_than_the_variable_is_found(check):
    sql = ("DECLARE @name varchar(20) = (SELECT TOP 1 i.lastName FROM [Identity] i WHERE i.personID = 5 "
           "ORDER BY i.identityID DESC)\n")
    (hit,) = found(check, sql, "CL017")
    assert hit.message == ("@name is varchar(20), and the subquery's i.lastName can be up to 50 characters: SQL Server "
                           "keeps the first 20 of a longer value without an error.")


def test_cast_to_varchar_with_no_length_cuts_a_longer_value_at_30(check, postgres):
    sql = ("SELECT CAST(s.lastName + ', ' + s.firstName AS varchar) AS name FROM student s WITH (NOEXPAND) "
           "WHERE s.endYear = 2027\n")
    (hit,) = found(check, sql, "CL017")
    assert hit.message == ("CAST to varchar with no length gives varchar(30): s.lastName + ', ' + s.firstName can be up "
                           "to 102 characters, and SQL Server cuts it at 30 characters without an error.")
    name = "'Vandenberg-Castellanos, Maria Guadalupe'"
    assert postgres_cast(postgres, name, "varchar(30)") == "Vandenberg-Castellanos, Maria "
    assert postgres_cast(postgres, name, fixed_text_type(hit.remediation)) == name.strip("'")


@pytest.mark.parametrize(("value", "longest"), [
    ("UPPER(i.lastName)", 50),
    ("LTRIM(RTRIM(i.lastName))", 50),
    ("CAST(i.lastName AS varchar(60))", 50),  # no longer than the column, however wide the type
    ("CONVERT(varchar(30), i.lastName)", 30),  # no longer than the type
    ("LEFT(i.lastName, 12)", 12),
    ("SUBSTRING(i.lastName, 2, 15) + '.'", 16),
])
def test_a_value_through_a_function_or_a_conversion_is_as_long_as_what_it_keeps(check, postgres, value, longest):
    sql = f"DECLARE @name varchar(10)\nSELECT @name = {value} FROM [Identity] i WHERE i.personID = 5\n"
    (hit,) = found(check, sql, "CL017")
    assert (hit.span.line, hit.span.column) == (2, 16)
    assert hit.message == (f"@name is varchar(10), and {value} can be up to {longest} characters: SQL Server keeps the "
                           "first 10 of a longer value without an error.")
    assert fixed_text_type(hit.remediation) == f"varchar({longest})"
    kept = "Vandenberg-Castellanos-Oyelaran-Whitfield-Montgomery"[:longest]
    assert postgres_cast(postgres, f"'{kept}'", "varchar(10)") == kept[:10]
    assert postgres_cast(postgres, f"'{kept}'", fixed_text_type(hit.remediation)) == kept


@pytest.mark.parametrize("sql", [
    "DECLARE @grade varchar(4) = '10'",
    "DECLARE @flag char = 'Y'",  # char(1), and one character
    "DECLARE @sql nvarchar(max) = N'SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.grade = ''10'''",
    "DECLARE @n int = 5\nSET @n = 10",
    "SELECT CONVERT(varchar, a.date, 101) FROM Attendance a WHERE a.calendarID = 5",  # a date fits in 30
    "SELECT CAST(e.grade AS varchar) FROM Enrollment e WHERE e.endYear = 2027",  # varchar(4)
    "SELECT CAST(p.studentNumber AS varchar(50)) FROM Person p",
    "DECLARE @d varchar(10)\nSELECT @d = CONVERT(varchar(12), i.birthdate, 101) FROM [Identity] i",  # 10 characters
    "DECLARE @n varchar(10)\nSELECT @n = LEFT(i.lastName, 5) + SUBSTRING(i.firstName, 1, 5) FROM [Identity] i",
    "DECLARE @x varchar(100)\nSELECT CAST(@x AS varchar) FROM School s",  # a variable's value: not followed
    "DECLARE @name varchar(50)\nSELECT @name = i.lastName FROM [Identity] i WHERE i.personID = 5",
    "DECLARE @note varchar(max)\nSELECT @note = a.comments + a.comments FROM Attendance a WHERE a.attendanceID = 5",
    "DECLARE @list varchar(100) = ''\nSELECT @list = @list + s.studentNumber + ',' FROM student s WITH (NOEXPAND)",
])
def test_text_that_fits_or_is_not_known_to_be_long_is_left_alone(check, sql):
    assert found(check, sql + "\n", "CL017") == []


def test_a_column_without_an_end_fits_a_max_variable_and_not_a_shorter_one(catalog):
    """A district's own nvarchar(max) column: a variable declared nvarchar(max) holds it all."""
    from dataclasses import replace

    from advisor.catalog.model import Column
    from advisor.pipeline import Checker
    from advisor.sources import Source

    table = catalog.table("Attendance")
    district = replace(catalog, tables={**catalog.tables, "attendance": replace(
        table, columns=(*table.columns, Column("note", "nvarchar(max)")))})

    def hits(declared: str) -> list:
        sql = f"DECLARE @note {declared}\nSELECT @note = a.note FROM Attendance a WHERE a.attendanceID = 5\n"
        return [f for f in Checker(district).check(Source("q.sql", sql.encode())).findings if f.rule == "CL017"]

    assert hits("nvarchar(max)") == []
    (cut,) = hits("nvarchar(4000)")
    assert cut.message == ("@note is nvarchar(4000), and a.note can be longer: SQL Server keeps the first 4000 of a longer "
                           "value without an error.")
    assert cut.remediation == "Declare @note as long as the longest value it holds: nvarchar(max)."


@pytest.mark.parametrize("first, second, sql_type", [
    ("e.grade", "'Unknown'", "varchar(4)"),
    ("e.serviceType", "'None'", "char(1)"),
    ("@code", "'Primary'", "char(1)"),
])
def test_isnull_cuts_its_second_value_to_its_first_value_s_type_and_coalesce_does_not(check, postgres, first, second,
                                                                                        sql_type):
    sql = (f"DECLARE @code char(1)\nSET @code = 'P'\n"
           f"SELECT e.personID, ISNULL({first}, {second}) AS x FROM Enrollment e WHERE e.endYear = 2027\n")
    (hit,) = found(check, sql, "CL017")
    kept = postgres_cast(postgres, second, sql_type)
    assert hit.message == (f"ISNULL gives the type of its first value, {first}'s {sql_type}: {second} is "
                           f"{len(second) - 2} characters, and SQL Server keeps '{kept.strip()}' without an error.")
    assert hit.remediation == f"Use COALESCE({first}, {second}), which takes the longer of the two types."
    assert (hit.span.line, hit.span.column) == (3, 20)
    assert postgres.execute(f"SELECT COALESCE(CAST(NULL AS {sql_type}), {second})").fetchone()[0] == second.strip("'")


def test_isnull_of_a_longer_column_says_how_long_it_can_be(check):
    (hit,) = found(check, "SELECT ISNULL(e.grade, e.endStatus) FROM Enrollment e WHERE e.endYear = 2027\n", "CL017")
    assert "e.endStatus can be up to 10 characters, and SQL Server keeps its first 4 without an error" in hit.message


@pytest.mark.parametrize("isnull", [
    "ISNULL(e.grade, 'KG')",  # fits
    "COALESCE(e.grade, 'Unknown')",  # the longer type
    "ISNULL(e.personID, 0)",  # not text
    "ISNULL(e.grade, @label)",  # a value of no known length
])
def test_isnull_of_a_value_that_fits_is_left_alone(check, isnull):
    assert found(check, f"SELECT {isnull} FROM Enrollment e WHERE e.endYear = 2027\n", "CL017") == []


@pytest.mark.parametrize("call, given, kept", [
    ("SUBSTRING(e.grade, 0, 2)", "1 character, not 2", "1"),
    ("SUBSTRING(e.grade, -1, 2)", "no characters, not 2", ""),
])
def test_a_substring_that_starts_before_the_first_character_gives_fewer(check, postgres, call, given, kept):
    """PostgreSQL counts a SUBSTRING's positions as SQL Server does, from 1, and gives those of the
    positions asked that exist."""
    (hit,) = found(check, f"SELECT {call} AS g FROM Enrollment e WHERE e.endYear = 2027\n", "CL017")
    assert hit.message.startswith(f"{call} starts before the first character") and hit.message.endswith(f"so {given}.")
    assert hit.remediation == "Start at 1: SUBSTRING(e.grade, 1, 2), or LEFT(e.grade, 2)."
    start = call.split(", ")[1]
    assert postgres.execute(f"SELECT SUBSTRING('10' FROM {start} FOR 2)").fetchone()[0] == kept
    assert postgres.execute("SELECT SUBSTRING('10' FROM 1 FOR 2), LEFT('10', 2)").fetchone() == ("10", "10")


@pytest.mark.parametrize("call", ["SUBSTRING(e.grade, 1, 2)", "SUBSTRING(e.grade, 2, 5)", "SUBSTRING(e.grade, @at, 2)",
                                  "SUBSTRING(e.grade, -@at, 2)"])
def test_a_substring_from_a_character_is_left_alone(check, call):
    assert found(check, f"SELECT {call} AS g FROM Enrollment e WHERE e.endYear = 2027\n", "CL017") == []

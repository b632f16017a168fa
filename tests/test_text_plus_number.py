"""CL023: text joined with + to a number, which SQL Server adds, making the text a number first.
PostgreSQL reads a label added to a number the same way ('Year: ' becomes an integer and stops
the query), and has no + for text at all: each query found is refused there, and the same values
joined with CONCAT, as the fix says, run."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="CL023")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Calendar (calendarID int, name varchar(30), endYear int, startDate timestamp)",
        "INSERT INTO Calendar VALUES (12, '26-27 High School', 2027, '2026-08-20')",
    ) as connection:
        yield connection


@pytest.mark.parametrize("value, joined, number, severity, why, number_type", [
    ("'School year ' + c.endYear", "CONCAT('School year ', c.endYear)", "c.endYear", "error",
     "'School year ' is not one: the query stops at its first row with error 245", "smallint"),
    ("c.name + ' ' + c.endYear", "CONCAT(c.name, ' ', c.endYear)", "c.endYear", "warning",
     "the first c.name that is not one stops the query with error 245", "smallint"),
    ("'Calendars: ' + COUNT(*)", "CONCAT('Calendars: ', COUNT(*))", "COUNT(*)", "error",
     "'Calendars: ' is not one: the query stops at its first row with error 245", "int"),
])
def test_text_joined_to_a_number_is_found_and_concat_joins_it(check, postgres, value, joined, number, severity, why,
                                                              number_type):
    sql = f"SELECT {value} AS label FROM Calendar c WHERE c.calendarID = 12"
    (hit,) = _hits(check, sql)
    assert hit.message == (f"{value} joins text to {number}, a number, with +: where either side is a number, + adds, so "
                           f"SQL Server makes the text a number first, and {why} (\"Conversion failed when converting "
                           f"the varchar value ... to data type {number_type}\").")
    assert hit.severity == severity and sql[hit.span.start : hit.span.end] == value
    assert hit.remediation == (f"Make the number text first, CAST({number} AS varchar(20)), or join with CONCAT(...), "
                               "which makes each value text (and a NULL an empty string).")
    with pytest.raises(psycopg.errors.Error):
        postgres_rows(postgres, sql)
    fixed = sql.replace(value, joined)
    assert _hits(check, fixed) == []
    assert postgres_rows(postgres, fixed)


@pytest.mark.parametrize("value", [
    "c.name + ' (' + CAST(c.endYear AS varchar(4)) + ')'",
    "CONCAT('School year ', c.endYear)",
    "c.endYear + 1",
    "'2' + c.endYear",  # text that is a number is added: a sum, not an error
    "' -2 ' + c.endYear",
    "c.name + ' ' + c.name",
    "c.startDate + 1",
    "c.startDate + ' '",  # blank text is 1900-01-01, day 0: a date, not an error
])
def test_text_joined_to_text_and_numbers_added_are_left_alone(check, value):
    assert _hits(check, f"SELECT {value} AS label FROM Calendar c WHERE c.calendarID = 12") == []


@pytest.mark.parametrize("value, joined, severity, why", [
    ("'Starts ' + c.startDate", "CONCAT('Starts ', c.startDate)", "error",
     "'Starts ' is not one: the query stops at its first row"),
    ("c.name + ' ' + c.startDate", "CONCAT(c.name, ' ', c.startDate)", "warning",
     "the first c.name that is not one stops the query"),
])
def test_text_joined_to_a_date_is_found_and_concat_joins_it(check, postgres, value, joined, severity, why):
    sql = f"SELECT {value} AS label FROM Calendar c WHERE c.calendarID = 12"
    (hit,) = _hits(check, sql)
    assert hit.severity == severity and hit.message == (
        f"{value} joins text to c.startDate, a date, with +: where either side is a date, + adds days, so SQL Server "
        f"makes the text a date first, and {why} with error 241 (\"Conversion failed when converting date and/or time "
        "from character string\").")
    assert hit.remediation.startswith("Make the date text first, CONVERT(varchar(10), c.startDate, 101), or join with CONCAT")
    with pytest.raises(psycopg.errors.Error):
        postgres_rows(postgres, sql)
    fixed = sql.replace(value, joined)
    assert _hits(check, fixed) == []
    assert postgres_rows(postgres, fixed)


@pytest.mark.parametrize("script, number, stops", [
    ("DECLARE @n int = 5\nSELECT 'Count: ' + @n AS label", "@n", "the statement stops"),
    ("DECLARE @n int = 5, @message varchar(40)\nSET @message = 'Count: ' + @n", "@n", "the statement stops"),
    ("UPDATE #t SET a = 1\nSELECT 'Rows: ' + @@ROWCOUNT AS label", "@@ROWCOUNT", "the statement stops"),
    ("DECLARE @n int = 5\nSELECT 'Count: ' + @n AS label FROM Calendar c", "@n", "the query stops at its first row"),
    ("UPDATE #t SET a = 1\nPRINT 'Rows: ' + @@ROWCOUNT", "@@ROWCOUNT", "the statement stops"),
    ("DECLARE @n int = 5\nPRINT 'Count: ' + @n", "@n", "the statement stops"),
    ("DECLARE @n int = 5\nUPDATE c SET c.name = 'Count: ' + @n FROM Calendar c", "@n", "the query stops at its first row"),
    ("DECLARE @n int = 5, @sql nvarchar(200)\nSET @sql = N'SELECT c.name FROM Calendar c WHERE c.endYear = ' + @n", "@n",
     "the statement stops"),  # Unicode text, as dynamic SQL is built
])
def test_text_joined_to_a_number_variable_is_found(check, postgres, script, number, stops):
    (hit,) = _hits(check, script)
    assert f"+ {number} joins text to {number}, a number, with +" in hit.message
    assert f"is not one: {stops} with error 245" in hit.message
    # PostgreSQL reads a label added to an integer variable as SQL Server does, and runs CONCAT
    _refused_and_concat_runs(postgres, "n int := 5", "'Count: ' + n", "CONCAT('Count: ', n)")


def test_a_text_variable_that_holds_a_label_joined_to_a_number_or_a_date_is_found(check):
    script = ("DECLARE @label varchar(20) = 'Year: ', @twelve varchar(5) = '12', @open varchar(9) = 'Open'\n"
              "SELECT @label + c.endYear AS a, @twelve + c.endYear AS b, @open + c.startDate AS c\n"
              "FROM Calendar c WHERE c.calendarID = 1\n")
    assert [(hit.span.column, hit.message.split(", and ")[1].split(" with error")[0]) for hit in _hits(check, script)] == [
        (8, "@label, which holds 'Year: ', is not one: the query stops at its first row"),
        (59, "@open, which holds 'Open', is not one: the query stops at its first row")]


def test_a_text_variable_set_more_than_once_is_not_judged_by_one_of_its_values(check):
    script = ("DECLARE @label varchar(20) = 'Year: '\nSET @label = '2026'\n"
              "SELECT @label + c.endYear AS a FROM Calendar c WHERE c.calendarID = 1\n")
    assert _hits(check, script) == []


@pytest.mark.parametrize("number_type, error", [
    ("smallint", 'error 245 ("Conversion failed when converting the varchar value ... to data type smallint")'),
    ("bigint", 'error 8114 ("Error converting data type varchar to bigint")'),
    ("decimal(5, 2)", 'error 8114 ("Error converting data type varchar to numeric")'),
    ("float", 'error 8114 ("Error converting data type varchar to float")'),
    ("money", 'error 235 ("Cannot convert a char value to money. The char value has incorrect syntax")'),
])
def test_the_error_quoted_is_the_one_the_number_s_type_gives(check, number_type, error):
    (hit,) = _hits(check, f"DECLARE @n {number_type} = 5\nPRINT 'Total: ' + @n")
    assert hit.message.endswith(f"'Total: ' is not one: the statement stops with {error}.")


def test_a_decimal_column_s_error_is_8114(check):
    (hit,) = _hits(check, "SELECT 'GPA: ' + t.gpaValue AS gpa FROM TranscriptCourse t WHERE t.personID = 5")
    assert 'with error 8114 ("Error converting data type varchar to numeric")' in hit.message


@pytest.mark.parametrize("script, stops", [
    ("SELECT 'Calendars: ' + (SELECT COUNT(*) FROM Calendar c WHERE c.endYear = 2027) AS label", "the statement stops"),
    ("DECLARE @message varchar(60)\nSET @message = 'Calendars: ' + (SELECT COUNT(*) AS n FROM Calendar c)",
     "the statement stops"),
    ("SELECT c.name + ' has ' + (SELECT COUNT(*) FROM Course k WHERE k.calendarID = c.calendarID) AS label "
     "FROM Calendar c", "the query stops at its first row"),
])
def test_text_joined_to_a_subquery_of_a_count_is_found(check, postgres, script, stops):
    """A count a subquery returns is an int, as a count in the query is: the label is made a number."""
    (hit,) = _hits(check, script)
    counted = hit.message.split(" joins text to ")[1].split(", a number")[0]
    assert counted.startswith("(SELECT COUNT(*)") and f"is not one: {stops} with error 245" in hit.message
    assert hit.remediation.startswith(f"Make the number text first, CAST({counted} AS varchar(20))")
    # PostgreSQL reads a label added to a count's subquery the same way, and runs CONCAT
    with pytest.raises(psycopg.errors.Error):
        postgres.execute("SELECT 'Calendars: ' + (SELECT COUNT(*) FROM Calendar)")
    postgres.rollback()
    assert postgres_rows(postgres, "SELECT CONCAT('Calendars: ', (SELECT COUNT(*) FROM Calendar)) AS label") == [
        ("Calendars: 1",)]


def test_a_subquery_of_anything_but_a_count_is_left_alone(check):
    assert _hits(check, "SELECT 'Calendar ' + (SELECT MAX(c.name) FROM Calendar c) AS label") == []


@pytest.mark.parametrize("script, value, sql_type", [
    ("DECLARE @asOf date = GETDATE()\nPRINT 'As of ' + @asOf", "'As of ' + @asOf", "date"),
    ("DECLARE @asOf date = GETDATE(), @label varchar(9) = 'As of'\nSELECT @label + @asOf AS heading", "@label + @asOf",
     "date"),
    # even text that is a date, or blank, which a datetime takes as day 0
    ("DECLARE @at datetime2(0) = SYSDATETIME(), @message varchar(40)\nSET @message = '' + @at", "'' + @at", "datetime2"),
    ("DECLARE @at datetimeoffset = SYSDATETIMEOFFSET()\nSELECT '2026-08-20' + @at AS a", "'2026-08-20' + @at",
     "datetimeoffset"),
])
def test_text_joined_to_a_date_that_does_not_add_is_rejected_before_it_runs(check, postgres, script, value, sql_type):
    (hit,) = _hits(check, script)
    assert hit.severity == "error" and hit.message == (
        f"{value} joins text to {value.split(' + ')[1]}, a {sql_type}, with +: + adds days only to a datetime or "
        "smalldatetime, so SQL Server rejects the statement before it runs with error 402 (\"The data types varchar and "
        f"{sql_type} are incompatible in the add operator\").")
    assert hit.remediation.startswith(f"Make the date text first, CONVERT(varchar(10), {value.split(' + ')[1]}, 101)")
    assert (hit.span.line, hit.span.column) == (2, script.splitlines()[1].index(value) + 1)
    # PostgreSQL has no + for text and a date either, and runs CONCAT
    _refused_and_concat_runs(postgres, "d date := CURRENT_DATE", "'As of ' + d", "CONCAT('As of ', d)")


def _refused_and_concat_runs(postgres, declared: str, joined: str, concat: str) -> None:
    """PostgreSQL refuses a DO block that sets text to `joined`, and runs it with `concat`."""
    failing = f"DO $$ DECLARE {declared}; message text; BEGIN message := {joined}; END $$"
    with pytest.raises(psycopg.errors.Error):
        postgres.execute(failing)
    postgres.rollback()
    postgres.execute(failing.replace(joined, concat))


@pytest.mark.parametrize("script, label", [
    ("SELECT '12.5' + c.endYear AS n FROM Calendar c WHERE c.calendarID = 12", "'12.5'"),  # a smallint takes digits alone
    ("DECLARE @n decimal(5, 2) = 1\nSELECT '1e3' + @n AS n", "'1e3'"),  # a decimal takes no exponent
])
def test_text_that_looks_like_a_number_but_not_one_of_its_type_is_found(check, script, label):
    (hit,) = _hits(check, script)
    assert f"{label} is not one" in hit.message


@pytest.mark.parametrize("script", [
    "DECLARE @n int = 5, @label varchar(9) = '7'\nSELECT '5' + @n AS a, @label + @n AS b",
    "DECLARE @at datetime = GETDATE(), @day date = GETDATE()\nSELECT @at + ' ' AS a, @day AS b, "
    "CONVERT(varchar(10), @day, 101) + ' ' AS c",
    "DECLARE @n int = 5\nSELECT 'Count: ' + CAST(@n AS varchar(10)) AS a, CONCAT('Count: ', @n) AS b",
    "DECLARE @name varchar(30) = 'x'\nSET @name = 'Dear ' + @name",
    "SELECT 'Version ' + @@VERSION AS v, 'Server ' + @@SERVERNAME AS s",
    "SELECT 'Count: ' + @undeclared AS a",
])
def test_text_joined_to_text_variables_and_undeclared_ones_is_left_alone(check, script):
    assert _hits(check, script) == []

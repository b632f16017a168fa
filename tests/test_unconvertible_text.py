"""PR026: text compared with, or given to, a number, a bit or a date that it cannot become stops the
statement. PostgreSQL, which also converts the text to the column's type, refuses each number and
date reported and takes each fix; a bit it reads more leniently than SQL Server ('Y' is true)."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="PR026")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Calendar (calendarID int, endYear smallint, name varchar(30))",
        "CREATE TABLE TranscriptCourse (personID int, gpaValue decimal(6, 3))",
        "CREATE TABLE Enrollment (personID int, calendarID int, startDate date, endDate date)",
        "INSERT INTO Calendar VALUES (12, 2026, 'High School 25-26')",
        "INSERT INTO TranscriptCourse VALUES (1, 3.5)",
        "INSERT INTO Enrollment VALUES (1, 12, '2025-08-20', NULL)",
    ) as connection:
        yield connection


@pytest.mark.parametrize("query, text, said, error, fix", [
    ("SELECT c.calendarID FROM Calendar c WHERE c.endYear = '2025-26'", "'2025-26'", "a whole number",
     "turns it into a smallint to compare it with Calendar.endYear: error 245 (\"Conversion failed when converting "
     "the varchar value '2025-26' to data type smallint\").", "c.endYear = 2026"),
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID IN ('12', 'all')", "'all'", "a whole number",
     "turns it into an int to compare it with Enrollment.calendarID: error 245", "e.calendarID IN (12)"),
    ("SELECT c.calendarID FROM Calendar c WHERE c.endYear BETWEEN '2020' AND '2026.0'", "'2026.0'", "a whole number",
     "error 245", "c.endYear BETWEEN 2020 AND 2026"),
    ("SELECT tc.personID FROM TranscriptCourse tc WHERE tc.gpaValue >= 'A'", "'A'", "a number",
     "turns it into a decimal to compare it with TranscriptCourse.gpaValue: error 8114 (\"Error converting data "
     "type varchar to numeric\").", "tc.gpaValue >= 3.5"),
    ("SELECT e.personID FROM Enrollment e WHERE 'none' < e.startDate", "'none'", "a date",
     "turns it into a smalldatetime to compare it with Enrollment.startDate: error 241", "'20250101' < e.startDate"),
    ("SELECT e.personID FROM Enrollment e WHERE ISNULL(e.endDate, 'open') > '20260101'", "'open'", "a date",
     "error 241", "(e.endDate IS NULL OR e.endDate > '20260101')"),
    # digits alone are a day only as 4 (a year), 6 (yymmdd) or 8 (yyyymmdd) of them
    ("SELECT e.personID FROM Enrollment e WHERE e.startDate >= '12345'", "'12345'", "a date", "error 241",
     "e.startDate >= '20250101'"),
    ("SELECT e.personID FROM Enrollment e WHERE e.startDate < '2026121'", "'2026121'", "a date", "error 241",
     "e.startDate < '20261201'"),
])
def test_text_a_column_cannot_become_is_an_error_where_it_is_written(check, postgres, query, text, said, error, fix):
    hits = _hits(check, query)
    assert [(hit.span.column, hit.severity) for hit in hits] == [(query.index(text) + 1, "error")]
    assert hits[0].message.startswith(f"{text} is not {said}. SQL Server stops the statement when it ")
    assert error in hits[0].message
    with pytest.raises(psycopg.errors.DataError):
        postgres_rows(postgres, query)
    fixed = query.replace(query[query.index(" WHERE ") + 7:], fix)
    assert not _hits(check, fixed)
    postgres_rows(postgres, fixed)


@pytest.mark.parametrize("condition", [
    "c.endYear = '2026'", "c.endYear = ' 2026 '", "c.endYear = '+2026'", "c.endYear <> ''",  # a blank is 0
    "c.calendarID IN ('12', '13')", "c.name = 'All'", "c.name = 12",
    "@grade = 'ALL'",  # a variable the file does not declare: its type is not known
    "c.endYear = TRY_CAST('x' AS int)", "TRY_CONVERT(int, 'x') IS NULL",
    "EXISTS (SELECT 1 FROM TranscriptCourse tc WHERE tc.gpaValue = '3.5' OR tc.gpaValue < '-.5')",
    "EXISTS (SELECT 1 FROM Enrollment e WHERE e.startDate >= '' AND e.endDate < 'July 1, 2026')",
    "EXISTS (SELECT 1 FROM Enrollment e WHERE e.startDate >= '2026-02-30')",  # a day that is not one: PR012's
    "EXISTS (SELECT 1 FROM Enrollment e WHERE e.startDate >= '2026' AND e.endDate < '270630')",  # a year, yymmdd
    "EXISTS (SELECT 1 FROM RelatedPair rp WHERE rp.guardian = 'TRUE' OR rp.guardian = ' 0')",
])
def test_text_that_becomes_a_value_of_the_type_is_left_alone(check, condition):
    assert not _hits(check, f"SELECT c.calendarID FROM Calendar c WHERE {condition}")


@pytest.mark.parametrize("query", [
    "SELECT rp.personID1 FROM RelatedPair rp WHERE rp.guardian = 'Y'",
    "SELECT rp.personID1, CASE WHEN rp.guardian = 'Y' THEN 'Guardian' END AS role FROM RelatedPair rp",
    "SELECT rp.personID1, IIF(rp.guardian = 'Y', 'Guardian', '') AS role FROM RelatedPair rp",
    "SELECT rp.personID1, CASE rp.guardian WHEN 'Y' THEN 'Guardian' WHEN 1 THEN 'also' END AS role FROM RelatedPair rp",
])
def test_a_bit_takes_one_zero_true_and_false_only(check, query):
    hits = _hits(check, query)
    assert [hit.message.split(". SQL Server")[0] for hit in hits] == ["'Y' is not a bit, which takes 1, 0, 'true' or 'false'"]
    assert "error 245 (\"Conversion failed when converting the varchar value 'Y' to data type bit\")" in hits[0].message
    assert hits[0].remediation == "Compare rp.guardian with 1 or 0 (1 for true), written without quotes."


def test_a_variable_set_or_compared_with_text_it_cannot_take_stops_the_script(check, postgres):
    script = ("DECLARE @schoolID int = 14, @year smallint = '2025-26', @start date = 'none', @label varchar(10) = 'x'\n"
              "SET @year = 'current'\n"
              "SELECT @start = 'TBD', @label = 'y'\n"
              "IF @schoolID = 'All' PRINT 'every school'\n"
              "WHILE @year < 'x' SET @year += 1\n"
              "SELECT c.calendarID FROM Calendar c WHERE (@schoolID = 'All' OR c.calendarID = @schoolID)\n"
              "SELECT CAST('N/A' AS int), TRY_CAST('N/A' AS int)\n")
    hits = _hits(check, script)
    assert [(hit.span.line, hit.message.split(" SQL Server stops the statement when it turns it into ")[1].split(":")[0])
            for hit in hits] == [
        (1, "a smallint to set @year"), (1, "a date to set @start"), (2, "a smallint to set @year"),
        (3, "a date to set @start"), (4, "an int to compare it with @schoolID"), (5, "a smallint to compare it with @year"),
        (6, "an int to compare it with @schoolID"), (7, "an int"),
    ]
    assert hits[0].remediation == ("Give @year a whole number, written without quotes; declare it with a text type "
                                   "(varchar) if it is to hold text that nothing compares with a number or a date.")
    assert "(@schoolID = 0 OR s.schoolID = @schoolID)" in hits[4].remediation
    assert "TRY_CAST" in hits[-1].remediation
    with pytest.raises(psycopg.errors.DataError):
        postgres_rows(postgres, "SELECT c.calendarID FROM Calendar c WHERE (14 = 'All' OR c.calendarID = 14)")


def test_a_report_s_integer_parameter_compared_with_all_stops_the_report(check):
    report = (
        '<Report xmlns="http://schemas.microsoft.com/sqlserver/reporting/2016/01/reportdefinition">'
        '<DataSets><DataSet Name="Schools"><Query><DataSourceName>Campus</DataSourceName><QueryParameters>'
        '<QueryParameter Name="@calendarID"><Value>=Parameters!calendarID.Value</Value></QueryParameter>'
        '</QueryParameters><CommandText>'
        "SELECT c.calendarID FROM Calendar c WHERE (@calendarID = 'All' OR c.calendarID = @calendarID)"
        '</CommandText></Query></DataSet></DataSets>'
        '<ReportParameters><ReportParameter Name="calendarID"><DataType>Integer</DataType></ReportParameter>'
        '</ReportParameters></Report>')
    hits = [f for f in check(report, "schools.rdl").findings if f.rule == "PR026"]
    assert [hit.message.split(": error")[0] for hit in hits] == [
        "'All' is not a whole number. SQL Server stops the statement when it turns it into an int to compare it with "
        "@calendarID"]


def test_a_declare_s_value_takes_its_own_type_when_another_batch_declares_the_name_again(check):
    script = "DECLARE @a date = 'none'\nSELECT @a\nGO\nDECLARE @a int = 5\nSET @a = 'All'\n"
    assert [(hit.span.line, hit.message.split(". SQL Server")[0]) for hit in _hits(check, script)] == [
        (1, "'none' is not a date"), (5, "'All' is not a whole number")]


def test_a_set_takes_the_type_its_own_batch_declares(check):
    script = "DECLARE @a int\nSET @a = 'All'\nGO\nDECLARE @a varchar(10)\nSET @a = 'All'\n"
    assert [hit.span.line for hit in _hits(check, script)] == [2]


def test_text_a_variable_holds_stops_the_query_that_compares_it_with_a_number_or_a_date(check, postgres):
    """SQL Server converts the text variable, not the column: what it holds must be a value of the
    column's type. PostgreSQL refuses the same text given to the same columns."""
    script = ("DECLARE @calendar varchar(10) = 'All', @start varchar(12) = 'none'\n"
              "SELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendar AND e.startDate >= @start\n")
    hits = _hits(check, script)
    query = script.splitlines()[1]
    assert [(hit.span.line, hit.span.column, hit.severity) for hit in hits] == [
        (2, query.index("@calendar") + 1, "error"), (2, query.index("@start") + 1, "error")]
    assert hits[0].message == (
        "@calendar, which holds 'All', is not a whole number. SQL Server stops the statement when it turns it into an "
        "int to compare it with Enrollment.calendarID: error 245 (\"Conversion failed when converting the varchar "
        "value 'All' to data type int\").")
    assert hits[1].message.startswith("@start, which holds 'none', is not a date. SQL Server stops the statement when "
                                      "it turns it into a smalldatetime to compare it with Enrollment.startDate: error 241")
    assert hits[1].remediation == ("Declare @start smalldatetime and give it a day written as 'yyyymmdd' ('20260820'). "
                                   "Where it stands for no date, give it NULL and test @start IS NULL.")
    for held in ("e.calendarID = 'All'", "e.startDate >= 'none'"):
        with pytest.raises(psycopg.errors.DataError):
            postgres_rows(postgres, f"SELECT e.personID FROM Enrollment e WHERE {held}")


def test_a_catch_all_or_does_not_promise_that_the_text_variable_is_never_converted(check, postgres):
    script = ("DECLARE @calendar varchar(10) = 'All'\n"
              "SELECT e.personID FROM Enrollment e WHERE (@calendar = 'All' OR e.calendarID = @calendar)\n")
    hits = _hits(check, script)
    query = script.splitlines()[1]
    assert [(hit.span.line, hit.span.column, hit.severity) for hit in hits] == [(2, query.rindex("@calendar") + 1, "warning")]
    assert hits[0].message.startswith("@calendar, which holds 'All', is not a whole number. SQL Server can stop the "
                                      "statement when it turns it into an int")
    assert hits[0].message.endswith("The OR beside it does not make SQL Server test the other side first.")
    assert hits[0].remediation.endswith("as Campus's toolbar gives 0 for all schools: (@calendar = 0 OR "
                                        "e.calendarID = @calendar).")
    fixed = script.replace("varchar(10) = 'All'", "int = 0").replace("= 'All'", "= 0")
    assert not _hits(check, fixed)
    assert postgres_rows(postgres, "SELECT e.personID FROM Enrollment e WHERE (0 = 0 OR e.calendarID = 0)") == [(1,)]


@pytest.mark.parametrize("declared, compared", [
    ("@calendar varchar(10) = '12'", "e.calendarID = @calendar"),  # text that is a number: converted once
    ("@calendar varchar(10) = 'All'\nSET @calendar = '12'", "e.calendarID = @calendar"),  # two values: not known
    ("@calendar varchar(10)", "e.calendarID = @calendar"),  # no value
    ("@name varchar(30) = 'All'", "c.name = @name"),  # text compared with text
    ("@calendar nvarchar(10) = N'All'", "e.calendarID = 5 AND @calendar = 'All'"),  # never meets a number
])
def test_a_text_variable_that_holds_a_value_of_the_type_or_meets_no_number_is_left_alone(check, declared, compared):
    script = (f"DECLARE {declared}\n"
              f"SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE {compared}\n")
    assert not _hits(check, script)


def test_a_text_variable_holds_its_string_cut_to_its_length(check):
    """DECLARE takes varchar with no length as varchar(1): 'All' is kept as 'A' (CL017 says so)."""
    script = "DECLARE @calendar varchar = 'All'\nSELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendar\n"
    (hit,) = _hits(check, script)
    assert hit.message.startswith("@calendar, which holds 'A', is not a whole number.")


def test_a_pattern_compared_with_a_date_is_no_day_and_its_fix_is_a_range(check, postgres):
    query = "SELECT e.personID FROM Enrollment e WHERE e.startDate = '2025%'"
    (hit,) = _hits(check, query)
    assert hit.message.startswith("'2025%' is not a date. SQL Server stops the statement when it turns it into a "
                                  "smalldatetime to compare it with Enrollment.startDate: error 241")
    assert hit.remediation.endswith("(e.startDate >= '20260101' AND e.startDate < '20270101' for the days of 2026).")
    with pytest.raises(psycopg.errors.DataError):
        postgres_rows(postgres, query)
    fixed = "SELECT e.personID FROM Enrollment e WHERE e.startDate >= '20250101' AND e.startDate < '20260101'"
    assert not _hits(check, fixed) and postgres_rows(postgres, fixed) == [(1,)]

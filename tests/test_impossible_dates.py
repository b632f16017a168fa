"""PR012: a date SQL Server cannot turn into a date stops the statement. Which texts name no day is
checked against PostgreSQL's own reading of dates, month first as a us_english login reads them:
each one flagged is one it refuses, each left alone and each fix one it reads."""

import json
import re
from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_with

from advisor.catalog.load import load
from advisor.pipeline import Checker
from advisor.sources import Source

_hits = partial(found, rule="PR012")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with("SET DateStyle = 'ISO, MDY'") as connection:
        yield connection


def _a_day(postgres, text: str) -> bool:
    try:
        postgres.execute("SELECT %s::date", (text,))
        return True
    except psycopg.errors.DataError:
        return False


@pytest.mark.parametrize("condition, said, fix", [
    ("a.date BETWEEN '2027-02-01' AND '2027-02-29'", "'2027-02-29' is not a day: 2027 is not a leap year, so February has 28 days.",
     "Write a day that exists: the last of February 2027 is '20270228'. To end a range with the month, compare < '20270301'"),
    ("a.date >= '13/01/2026'", "'13/01/2026' is not a day (read month first, as SQL Server reads it for a us_english login): "
     "there is no month 13.", "If you mean 13 January 2026, write '20260113'"),
    ("a.date = '2026-9-31'", "'2026-9-31' is not a day: September has 30 days.", "the last of September 2026 is '20260930'"),
    ("a.date IN ('2026-10-01', '20261301')", "'20261301' is not a day: there is no month 13.", "Write the day as 'yyyymmdd'"),
    ("a.date < '2/30/2026 8:00 AM'", "'2/30/2026 8:00 AM' is not a day: February has 28 days in 2026.", "'20260228'"),
    ("'04/31/26' < a.date", "'04/31/26' is not a day: April has 30 days.", "'20260430'"),
])
def test_a_day_that_does_not_exist_is_an_error_with_the_day_meant(check, postgres, condition, said, fix):
    (hit,) = _hits(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}")
    assert hit.severity == "error" and hit.message.startswith(said)
    assert "SQL Server stops the statement when it turns it into a smalldatetime to compare it with Attendance.date" in hit.message
    assert fix in hit.remediation
    flagged = hit.message.split("'")[1]
    assert not _a_day(postgres, flagged)
    assert all(_a_day(postgres, day) for day in hit.remediation.split("'")[1::2] if day[0].isdigit())


@pytest.mark.parametrize("condition", [
    "a.date = '2028-02-29'",  # a leap year
    "a.date BETWEEN '01/13/2026' AND '12/31/2026'",
    "a.date >= '20261231' AND a.date < '2027-01-01T00:00:00'",
    "a.status = '2026-02-30'",  # text compared with text
    "CONVERT(varchar(10), a.date, 120) LIKE '2026-02-3%'",
    "a.date = TRY_CAST('2026-02-30' AS date) OR a.date = TRY_CONVERT(date, '2026-02-30')",  # NULL, not an error
])
def test_days_that_exist_and_text_never_made_a_date_are_left_alone(check, postgres, condition):
    assert _hits(check, f"SELECT a.personID, '2026-02-30' AS note FROM Attendance a WHERE a.calendarID = 5 AND {condition}") == []
    for written in condition.split("'")[1::2]:
        if written[:1].isdigit() and "%" not in written and "TRY" not in condition and "status" not in condition:
            assert _a_day(postgres, written), written


def test_a_cast_or_convert_reads_the_day_in_its_style(check):
    sql = ("SELECT CAST('2026-02-30' AS date) AS a, CONVERT(datetime, '31/04/2026', 103) AS b, "
           "CONVERT(datetime, '31/03/2026', 103) AS c, CONVERT(date, '03/31/2026', 101) AS d")
    hits = _hits(check, sql)
    assert [hit.message.split(" is not a day")[0] for hit in hits] == ["'2026-02-30'", "'31/04/2026'"]
    assert hits[1].message.endswith("turns it into a datetime (error 241, \"Conversion failed when converting date "
                                    "and/or time from character string\").")


def test_a_script_that_sets_the_date_format_is_judged_only_where_the_order_cannot_change(check):
    """Under SET DATEFORMAT dmy, '13/01/2026' is 13 January; yyyymmdd reads the same in every order."""
    sql = ("SET DATEFORMAT dmy\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date >= '13/01/2026' "
           "AND a.date < '20261301'")
    assert [hit.message.split(" is ")[0] for hit in _hits(check, sql)] == ["'20261301'"]


def test_a_day_past_a_smalldatetime_is_an_error_where_the_district_s_catalog_says_the_column_is_one(check, tmp_path):
    """The bundled catalog's types are a guess (Campus's dates may be datetime): it says nothing."""
    sql = "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND ISNULL(e.endDate, '2099-12-31') >= GETDATE()"
    assert _hits(check, sql) == []
    found = {}
    for type_ in ("smalldatetime", "datetime"):
        district = tmp_path / f"{type_}.json"
        district.write_text(json.dumps({"format": "sqladvise-catalog", "version": 1, "tables": [
            {"name": "Enrollment", "rows": 300_000, "primary_key": ["enrollmentID"],
             "columns": [{"name": "enrollmentID", "type": "int"}, {"name": "personID", "type": "int"},
                         {"name": "calendarID", "type": "int"}, {"name": "endDate", "type": type_}]}]}))
        catalog, _ = load(district)
        found[type_] = [f for f in Checker(catalog).check(Source("q.sql", (sql + "\n").encode())).findings if f.rule == "PR012"]
    (exact,) = found["smalldatetime"]
    assert exact.severity == "error" and exact.message == (
        "'2099-12-31' is after 6 June 2079, the last day a smalldatetime holds. SQL Server stops the statement when it "
        "turns it into a smalldatetime to compare it with Enrollment.endDate (error 242, an out-of-range value).")
    assert "(e.endDate IS NULL OR e.endDate >= ...)" in exact.remediation
    assert found["datetime"] == []


def test_a_cast_to_a_smalldatetime_says_its_own_type(check):
    (hit,) = _hits(check, "SELECT CAST('1899-12-31' AS smalldatetime) AS d")
    assert hit.severity == "error" and hit.message.startswith("'1899-12-31' is before 1 January 1900, the first day a smalldatetime holds.")


def test_a_date_variable_set_to_a_day_that_does_not_exist_stops_the_script(check):
    """Its type is the script's own: a day past a smalldatetime is said with the bundled catalog too."""
    sql = ("DECLARE @start date = '2026-08-15', @end smalldatetime = '2027-02-29', @note varchar(10) = '2026-02-30'\n"
           "SET @start = '2026-13-01'\nSET @note = '2026-02-31'\nDECLARE @far smalldatetime = '2099-12-31'\n"
           "EXEC('SELECT CAST(''2026-02-30'' AS date) AS d')")
    hits = _hits(check, sql)
    assert [(hit.span.line, hit.message.split(" SQL Server stops")[1]) for hit in hits] == [
        (1, " the statement when it turns it into a smalldatetime to set @end (error 241, \"Conversion failed when "
            "converting date and/or time from character string\")."),
        (2, " the statement when it turns it into a date to set @start (error 241, \"Conversion failed when converting "
            "date and/or time from character string\")."),
        (4, " the statement when it turns it into a smalldatetime to set @far (error 242, an out-of-range value)."),
        (5, " the statement when it turns it into a date (error 241, \"Conversion failed when converting date and/or "
            "time from character string\")."),
    ]
    assert hits[3].message.startswith("'2026-02-30' is not a day")  # as SQL Server runs the EXEC's string


def test_a_day_that_does_not_exist_compared_with_a_date_variable_or_in_a_select_list_is_an_error(check):
    sql = ("DECLARE @start date = '2026-08-15'\n"
           "SELECT @start = '2026-02-30'\n"
           "IF @start < '2027-02-29' PRINT 'before'\n"
           "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date >= @start AND @start <> '09/31/2026'\n"
           "SELECT a.personID, CASE WHEN a.date < '2026-06-31' THEN 'spring' END FROM Attendance a WHERE a.calendarID = 5\n"
           "SELECT CASE a.date WHEN '2026-02-30' THEN 1 END FROM Attendance a WHERE a.calendarID = 5\n")
    assert [(hit.span.line, hit.message.split(" SQL Server stops the statement when it turns it into ")[1].split(" (")[0])
            for hit in _hits(check, sql)] == [
        (2, "a date to set @start"), (3, "a date to compare it with @start"), (4, "a date to compare it with @start"),
        (5, "a smalldatetime to compare it with Attendance.date"), (6, "a smalldatetime to compare it with Attendance.date")]


def test_a_day_that_does_not_exist_held_by_a_text_variable_is_an_error_where_a_date_column_meets_it(check):
    sql = ("DECLARE @end varchar(10) = '2026-06-31'\n"
           "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date < @end\n")
    hits = _hits(check, sql)
    assert [(hit.span.line, hit.span.column) for hit in hits] == [(2, sql.splitlines()[1].index("@end") + 1)]
    assert hits[0].message.startswith("@end, which holds '2026-06-31', is not a day")
    assert "turns it into a smalldatetime to compare it with Attendance.date" in hits[0].message


@pytest.mark.parametrize("call, said", [
    ("DATEFROMPARTS(2026, 13, 1)", "is not a day: there is no month 13"),
    ("DATEFROMPARTS(2026, 2, 30)", "is not a day: February has 28 days in 2026"),
    ("DATETIMEFROMPARTS(2027, 2, 29, 8, 0, 0, 0)", "is not a day: 2027 is not a leap year, so February has 28 days"),
    # parts not written out cannot make a day of those that are: PostgreSQL is given a leap year and December
    ("DATEFROMPARTS(@year, 13, 1)", "is not a day: there is no month 13"),
    ("DATEFROMPARTS(@year, 6, 31)", "is not a day: June has 30 days"),
    ("DATEFROMPARTS(YEAR(GETDATE()), 2, 30)", "is not a day: February has at most 29 days"),
    ("DATEFROMPARTS(@year, @month, 32)", "is not a day: no month has 32 days"),
    ("DATETIMEFROMPARTS(@year, 1, 1, 8, 60, 0, 0)", "is not a time: there is no minute 60, the last is 59"),
])
def test_a_date_made_from_parts_that_name_no_day_is_an_error(check, postgres, call, said):
    (hit,) = _hits(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date >= {call}")
    made = "datetime" if call.startswith("DATETIME") else "date"
    assert hit.message.startswith(f"{call} {said}. SQL Server stops the statement when it makes the {made} (error 289")
    parts = re.sub(r"@year|YEAR\(GETDATE\(\)\)", "2028", call).replace("@month", "12")
    parts = re.sub(r"^\w+\(|\)$", "", parts).split(", ")
    made_in_postgres = f"make_date({', '.join(parts[:3])})" + (f" + make_time({', '.join(parts[3:6])})" if parts[3:] else "")
    with pytest.raises(psycopg.errors.DatetimeFieldOverflow):
        postgres.execute(f"SELECT {made_in_postgres}")


def test_a_time_made_from_parts_at_hour_24_is_an_error(check):
    """PostgreSQL reads 24:00 as the next day's midnight; SQL Server's hours run from 0 to 23."""
    (hit,) = _hits(check, "SELECT DATETIMEFROMPARTS(@year, 1, 1, 24, 0, 0, 0) AS d")
    assert hit.message.startswith("DATETIMEFROMPARTS(@year, 1, 1, 24, 0, 0, 0) is not a time: there is no hour 24, the last "
                                  "is 23. SQL Server stops the statement when it makes the datetime (error 289")
    assert hit.remediation.startswith("Give it a time that exists: an hour from 0 to 23")


@pytest.mark.parametrize("call", ["DATEFROMPARTS(2028, 2, 29)", "DATEFROMPARTS(@year, 2, 29)", "DATEFROMPARTS(2026, 12, 31)",
                                  "DATEFROMPARTS(20260, 2, 30)", "DATEFROMPARTS(@year, 6, 30)", "DATEFROMPARTS(2026, @month, 31)",
                                  "DATEFROMPARTS(@year, @month, @day)", "DATETIMEFROMPARTS(@year, 12, 31, 23, 59, 59, 997)"])
def test_a_date_made_from_parts_of_a_day_or_of_variables_is_left_alone(check, call):
    assert _hits(check, f"SELECT {call} AS d") == []

"""PR019: a date column compared with a number written out. SQL Server takes a number for a
datetime or smalldatetime as days after 1 January 1900; PostgreSQL counts the same days in its
date arithmetic, which checks the day each finding names, and runs each fix on the rows meant."""

import re
from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="PR019")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Attendance (attendanceID int, personID int, calendarID int, date timestamp(0))",
        "INSERT INTO Attendance VALUES (1, 10, 12, '2025-07-31'), (2, 10, 12, '2025-08-01'), (3, 11, 12, '2026-01-05')",
    ) as connection:
        yield connection


_DAYS = "SELECT a.attendanceID FROM Attendance a WHERE a.calendarID = 12 AND {}"


@pytest.mark.parametrize("condition, fixed, error, kept", [
    # a date as yyyymmdd: past smalldatetime's last day
    ("a.date >= 20250801", "a.date >= '20250801'", "error 8115", [(2,), (3,)]),
    ("a.date BETWEEN '20250801' AND 20251231", "a.date BETWEEN '20250801' AND '20251231'", "error 8115", [(2,)]),
    ("a.date IN (20250801)", "a.date IN ('20250801')", "error 8115", [(2,)]),
    # a date type takes no number
    ("CAST(a.date AS date) = 20250801", "CAST(a.date AS date) = '20250801'", "error 206", [(2,)]),
])
def test_a_date_written_as_a_number_is_refused_and_as_text_keeps_its_day(check, postgres, condition, fixed, error, kept):
    (hit,) = _hits(check, _DAYS.format(condition))
    assert hit.message.startswith("2025") and error in hit.message
    written = re.search(r"Write the date as text, .*: '(\d{8})' for", hit.remediation).group(1)
    assert written in fixed
    assert _hits(check, _DAYS.format(fixed)) == []
    assert postgres_rows(postgres, _DAYS.format(fixed) + " ORDER BY a.attendanceID") == kept


def test_a_year_is_a_day_in_1905_and_the_fix_keeps_the_year(check, postgres):
    (hit,) = _hits(check, _DAYS.format("a.date >= 2025"))
    day = postgres.execute("SELECT DATE '1900-01-01' + 2025").fetchone()[0]
    assert f"as 2025 days after 1 January 1900, {day.day} {day:%B %Y}, so a.date >= 2025 compares with that day" in hit.message
    fixed = hit.remediation.split("written as text: ")[1].removesuffix(".")
    assert fixed == "a.date >= '20250101' AND a.date < '20260101'"
    assert postgres_rows(postgres, _DAYS.format(fixed) + " ORDER BY a.attendanceID") == [(1,), (2,)]
    # as written, every row since 1905 passes
    assert postgres_rows(postgres, _DAYS.format(f"a.date >= DATE '{day}'") + " ORDER BY a.attendanceID") == [(1,), (2,), (3,)]


def test_a_blank_for_a_missing_date_is_1_january_1900_and_is_null_finds_the_row_without_one(check, postgres):
    sql = "SELECT e.attendanceID FROM Attendance e WHERE e.calendarID = 12 AND e.date = ''"
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("'' is no date: SQL Server turns it into 1 January 1900 to compare it with "
                                  "Attendance.date, so in e.date = '' it matches the rows dated that day")
    assert hit.remediation == "Test for the missing date: e.date IS NULL."
    postgres.execute("INSERT INTO Attendance VALUES (4, 13, 12, NULL)")
    try:
        assert postgres_rows(postgres, sql.replace("= ''", "IS NULL")) == [(4,)]
    finally:
        postgres.execute("DELETE FROM Attendance WHERE attendanceID = 4")
    (listed,) = _hits(check, sql.replace("= ''", "IN ('', '20250801')"))
    assert listed.remediation.endswith("IS NULL, beside the list's other values with OR.")
    (beside,) = _hits(check, sql.replace("e.date = ''", "(e.date = '' OR e.date IS NULL)"))
    assert (beside.severity, beside.message) == ("info", "'' is 1 January 1900 to SQL Server beside Attendance.date: the IS "
                                                 "NULL beside it finds the rows without a date, and e.date = '' adds only "
                                                 "the rows dated that day.")


@pytest.mark.parametrize("condition", [
    "a.date >= '20250801'",
    "a.date > 0",  # 1 January 1900: a day, if an odd one
    "a.date <> ''",  # every row with a date: what is meant
    "a.calendarID = 20250801",  # not a date
    "DATEPART(year, a.date) = 2025",  # a number compared with a number
])
def test_numbers_that_are_not_dates_or_days_of_no_year_are_left_alone(check, condition):
    assert _hits(check, _DAYS.format(condition)) == []


def test_a_number_variable_the_script_sets_once_is_that_number(check, postgres):
    script = ("DECLARE @since int = 20250801, @year smallint = 2025, @label varchar(8) = '20250801'\n"
              + _DAYS.format("a.date >= @since") + "\n" + _DAYS.format("@year <= a.date") + "\n"
              + _DAYS.format("a.date >= @label") + "\n")  # text: read as the day it spells
    hits = _hits(check, script)
    assert [(hit.span.line, hit.message.split(":")[0]) for hit in hits] == [
        (2, "@since, which holds 20250801, is a number, not a date"), (3, "@year, which holds 2025, is a number, not a date")]
    lines = script.splitlines()  # each at the variable's use
    assert [hit.span.column for hit in hits] == [lines[1].index("@since") + 1, lines[2].index("@year") + 1]
    assert "error 8115" in hits[0].message
    assert hits[0].remediation == "Declare @since as a date and give it the day as text: '20250801' for 1 August 2025."
    fixed = hits[1].remediation.split("compare with its days: ")[1].removesuffix(".")
    assert fixed == "a.date >= DATEFROMPARTS(@year, 1, 1) AND a.date < DATEFROMPARTS(@year + 1, 1, 1)"
    in_postgres = fixed.replace("DATEFROMPARTS", "make_date").replace("@year", "2025")  # sqlglot does not write make_date
    assert postgres.execute(_DAYS.format(in_postgres) + " ORDER BY a.attendanceID").fetchall() == [(1,), (2,)]


def test_a_date_variable_declared_with_a_number_holds_a_day_of_1905_or_stops_the_script(check, postgres):
    script = ("DECLARE @since datetime = 2025, @until smalldatetime = 20260630, @on date = 20250801, @zero datetime = 0, "
              "@unset date\n")
    hits = _hits(check, script)
    assert [(hit.span.column, hit.message.split(": ")[0]) for hit in hits] == [
        (script.index("2025,") + 1, "2025 is a number, not a date"),
        (script.index("20260630") + 1, "20260630 is a number, not a date"),
        (script.index("20250801") + 1, "20250801 is a number, not a date, and @on is a date, which takes no number")]
    day = postgres.execute("SELECT DATE '1900-01-01' + 2025").fetchone()[0]
    assert f"as 2025 days after 1 January 1900, {day.day} {day:%B %Y}, so @since holds that day, not a day of 2025" \
        in hits[0].message
    assert "error 8115" in hits[1].message and "error 206" in hits[2].message
    assert [hit.remediation for hit in hits] == [
        "Give @since the day as text: '20250101' for 1 January 2025.",
        "Give @until the day as text: '20260630' for 30 June 2026.",
        "Give @on the day as text: '20250801' for 1 August 2025."]


def test_a_date_variable_set_to_a_number_or_to_a_variable_holding_one_is_told_so(check, postgres):
    script = ("DECLARE @year smallint = 2026, @label varchar(4) = '2026', @since datetime, @on date, @until smalldatetime\n"
              "SET @since = @year\n"
              "SET @on = @year\n"
              "SELECT @until = 20260630\n"
              "DECLARE @start datetime = @year\n"
              "SET @since = @label\n"  # text: SQL Server reads '2026' as 1 January 2026
              "SELECT @on = MAX(a.date) FROM Attendance a WHERE a.calendarID = 12\n")
    hits = _hits(check, script)
    assert [(hit.span.line, hit.span.column, hit.message.split(": ")[0]) for hit in hits] == [
        (2, 14, "@year, which holds 2026, is a number, not a date"),
        (3, 11, "@year, which holds 2026, is a number, not a date, and @on is a date, which takes no number"),
        (4, 17, "20260630 is a number, not a date"),
        (5, 27, "@year, which holds 2026, is a number, not a date")]
    day = postgres.execute("SELECT DATE '1900-01-01' + 2026").fetchone()[0]
    assert f"as 2026 days after 1 January 1900, {day.day} {day:%B %Y}, so @since holds that day" in hits[0].message
    assert '"Operand type clash: smallint is incompatible with date"' in hits[1].message
    assert "error 8115" in hits[2].message
    assert [hit.remediation for hit in hits] == [
        "Give @since the first day of the year: DATEFROMPARTS(@year, 1, 1).",
        "Give @on the first day of the year: DATEFROMPARTS(@year, 1, 1).",
        "Give @until the day as text: '20260630' for 30 June 2026.",
        "Give @start the first day of the year: DATEFROMPARTS(@year, 1, 1)."]


def test_a_set_takes_the_type_its_own_batch_declares(check):
    """A batch's variables end at its GO: the same name declared again in the next batch is another variable."""
    script = "DECLARE @a date\nSET @a = 20260820\nGO\nDECLARE @a int\nSET @a = 20260820\n"
    assert [hit.span.line for hit in _hits(check, script)] == [2]
    assert _hits(check, "DECLARE @a int\nSET @a = 1\nGO\nDECLARE @a date\nSET @a = '20260820'\n") == []


def test_a_variable_whose_declare_stops_holds_no_value_to_compare(check):
    """A number past its variable's type stops the DECLARE (CL027 says so): no comparison is judged by it."""
    script = "DECLARE @year smallint = 20250801\n" + _DAYS.format("a.date >= @year") + "\n"
    assert _hits(check, script) == []
    assert [f.rule for f in check(script).findings if f.rule == "CL027"] == ["CL027"]

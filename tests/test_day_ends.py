"""PR013: a range that ends on a day, on a column that holds times. PostgreSQL reads a day
without a time as its midnight, as SQL Server does: the range as written leaves out the rows
from later on its last day, and the fix keeps them and nothing after.

PR015: a day's last moment that the column's type rounds up to the next midnight. PostgreSQL does
not round a compared string to the column's precision as SQL Server does, so the tests run what
SQL Server makes of the bound (the next midnight) and the fix, over Campus's days at midnight."""

import re

import pytest
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE GradingScore (personID int, calendarID int, modifiedDate timestamp)",
        "INSERT INTO GradingScore VALUES (1, 5, '2026-08-01 07:30'), (2, 5, '2026-08-31 00:00'), "
        "(3, 5, '2026-08-31 14:05'), (4, 5, '2026-09-01 00:00'), (5, 5, '2026-09-15 09:00')",
        "CREATE TABLE Attendance (personID int, calendarID int, date timestamp, modifiedDate timestamp)",
        "INSERT INTO Attendance VALUES (1, 5, '2026-08-20', '2026-08-20'), (2, 5, '2026-12-18', '2026-12-18 15:00'), "
        "(3, 5, '2026-12-19', '2026-12-19'), (4, 5, '2026-12-20', '2026-12-20 08:00')",
    ) as connection:
        yield connection


def _rows(postgres, tsql: str) -> list:
    return sorted(postgres_rows(postgres, tsql))


@pytest.mark.parametrize("condition", [
    "gs.modifiedDate BETWEEN '2026-08-01' AND '2026-08-31'",
    "gs.modifiedDate BETWEEN '2026-08-01' AND '08/31/2026'",
    "gs.modifiedDate <= '20260831'",
    "'2026-08-31' >= gs.modifiedDate",
])
def test_a_range_ending_on_a_day_leaves_out_the_rest_of_it_and_the_fix_keeps_it(check, postgres, condition):
    sql = f"SELECT gs.personID FROM GradingScore gs WHERE gs.calendarID = 5 AND {condition}"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "PR013"]
    assert hit.message.startswith(f"{condition} ends at midnight at the start of 31 August 2026: GradingScore.modifiedDate "
                                  "is a datetime, which holds times")
    fixed = sql.replace(condition, re.match(r"End the range before the next day: (.+), which keeps all of 31 August\.$",
                                            hit.remediation)[1])
    assert _rows(postgres, sql)[-1] == (2,)  # 31 August at midnight, and nothing later that day
    assert _rows(postgres, fixed)[-2:] == [(2,), (3,)]


@pytest.mark.parametrize("condition", ["gs.modifiedDate BETWEEN @start AND @end", "gs.modifiedDate <= @end"])
@pytest.mark.parametrize("declared, last, kept", [
    ("@start date, @end date", "@end's day (@end is a date)", "that day"),  # an SSRS report's: set when it runs
    ("@start date = '2026-08-01', @end date = '2026-08-31'", "31 August 2026 (@end holds '2026-08-31')", "31 August"),
    ("@start datetime = '2026-08-01', @end datetime = '20260831'", "31 August 2026 (@end holds '20260831')", "31 August"),
])
def test_a_range_ending_on_a_date_variable_leaves_out_the_rest_of_its_day_and_the_fix_keeps_it(check, postgres, condition,
                                                                                              declared, last, kept):
    """A variable declared date, or one that holds a day and no time, is midnight at the start of its day."""
    sql = f"SELECT gs.personID FROM GradingScore gs WHERE gs.calendarID = 5 AND {condition}"
    script = f"DECLARE {declared}\n{sql}\n"
    (hit,) = [f for f in check(script).findings if f.rule == "PR013"]
    assert hit.message.startswith(f"{condition} ends at midnight at the start of {last}: "
                                  "GradingScore.modifiedDate is a datetime, which holds times")
    fixed = sql.replace(condition, re.match(rf"End the range before the next day: (.+), which keeps all of {kept}\.$",
                                            hit.remediation)[1])
    valued = {"@start": "CAST('2026-08-01' AS DATE)", "@end": "CAST('2026-08-31' AS DATE)"}
    for name, value in valued.items():
        sql, fixed = sql.replace(name, value), fixed.replace(name, value)
    assert _rows(postgres, sql)[-1] == (2,)  # 31 August at midnight, and nothing later that day
    assert _rows(postgres, fixed)[-2:] == [(2,), (3,)]


def test_a_variable_that_holds_times_or_ends_a_range_of_days_is_left_alone(check):
    script = ("DECLARE @until datetime = GETDATE(), @end date = '2026-08-31', @noon datetime = '2026-08-31 12:00'\n"
              "SELECT gs.personID FROM GradingScore gs WHERE gs.calendarID = 5 AND gs.modifiedDate <= @until\n"
              "SELECT gs.personID FROM GradingScore gs WHERE gs.calendarID = 5 AND gs.modifiedDate <= @noon\n"
              "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date <= @end\n")
    assert [f for f in check(script).findings if f.rule == "PR013"] == []


@pytest.mark.parametrize("condition", [
    "a.date BETWEEN '2026-08-01' AND '2026-08-31'",  # smalldatetime at midnight: Campus's days
    "a.modifiedDate BETWEEN '2026-08-01' AND '2026-08-31 23:59:59'",  # a time written: the author chose the end
    "a.modifiedDate NOT BETWEEN '2026-08-01' AND '2026-08-31'",
    "a.modifiedDate >= '2026-08-31'",  # the start of a range, not its end
])
def test_days_kept_whole_or_ends_with_their_time_are_left_alone(check, condition):
    sql = f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}\n"
    assert not [f for f in check(sql).findings if f.rule == "PR013"]


@pytest.mark.parametrize(("condition", "type_", "effect", "sql_server_reads"), [
    ("a.date BETWEEN '2026-08-20' AND '2026-12-18 23:59:59.999'", "smalldatetime", "takes in",
     "a.date BETWEEN '2026-08-20' AND '2026-12-19'"),
    ("a.date <= '12/18/2026 23:59:30'", "smalldatetime", "takes in", "a.date <= '2026-12-19'"),
    ("'2026-12-18T23:59:59.999' >= a.modifiedDate", "datetime", "takes in", "'2026-12-19' >= a.modifiedDate"),
    ("a.date > '20261218 23:59:59'", "smalldatetime", "leaves out", "a.date > '2026-12-19'"),
    ("a.modifiedDate > '2026-12-18 23:59:59.999'", "datetime", "leaves out", "a.modifiedDate > '2026-12-19'"),
])
def test_a_last_moment_rounded_to_the_next_midnight_moves_the_range_by_a_day_and_the_fix_does_not(
        check, postgres, condition, type_, effect, sql_server_reads):
    sql = f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "PR015"]
    last_moment = re.findall(r"'[^']+'", condition)[-1]
    assert hit.message.startswith(f"{last_moment} is 00:00 on 19 December 2026 to SQL Server: Attendance.")
    assert f" is a {type_}, which " in hit.message
    whole_day = ": all of that day, in a column that holds days without times" if type_ == "smalldatetime" else ""
    assert hit.message.endswith(f"{condition} {effect} the rows of 00:00 on 19 December{whole_day}.")
    fix = re.match(r"(?:End the range before the next day|Start at the next day): (.+?), which keeps all", hit.remediation)[1]
    rounded = [row for (row,) in _rows(postgres, sql.replace(condition, sql_server_reads))]
    fixed = [row for (row,) in _rows(postgres, sql.replace(condition, fix))]
    assert (3 in rounded) == (effect == "takes in")  # SQL Server's reading: 19 December's midnight in or out
    assert fixed == ([1, 2] if effect == "takes in" else [3, 4])  # the fix: up to 18 December, or from 19 December


@pytest.mark.parametrize("condition", [
    "a.modifiedDate <= '2026-12-18 23:59:59.997'",  # a datetime's last moment of the day
    "a.modifiedDate <= '2026-12-18 23:59:59.998'",  # rounded down to .997
    "a.date <= '2026-12-18 23:59:29'",  # a smalldatetime rounds it down to 23:59
    "a.date < '2026-12-18 23:59:59.999'",  # below the next midnight: the whole day, as meant
    "a.date >= '2026-12-18 23:59:59.999'",  # from the next midnight: the next day, as meant
    "a.modifiedDate <= '2026-12-18 23:59:59.9999'",  # not a datetime: SQL Server refuses it, it does not round it
    "a.date NOT BETWEEN '2026-08-20' AND '2026-12-18 23:59:59.999'",
    "a.comments <= '2026-12-18 23:59:59.999'",  # text, compared as text
])
def test_last_moments_the_type_keeps_or_that_mean_the_next_day_are_left_alone(check, condition):
    sql = f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}\n"
    assert not [f for f in check(sql).findings if f.rule == "PR015"]


@pytest.mark.parametrize(("declared", "condition", "effect"), [
    ("datetime = '2026-12-18 23:59:59.999'", "a.date <= @end", "takes in"),
    ("smalldatetime = '12/18/2026 23:59:30'", "a.date BETWEEN '2026-08-20' AND @end", "takes in"),
    ("datetime2(0) = '2026-12-18 23:59:59.5'", "a.date > @end", "leaves out"),
    ("datetime2(2) = '2026-12-18 23:59:59.995'", "@end >= a.date", "takes in"),
    ("datetimeoffset(1) = '2026-12-18 23:59:59.96'", "a.date <= @end", "takes in"),
])
def test_a_variable_set_to_a_last_moment_its_type_rounds_holds_the_next_midnight(check, postgres, declared, condition, effect):
    """DECLARE @end datetime = '... 23:59:59.999': the variable holds the next day's midnight before
    any column sees it. The fix sets it to that day and ends the range before it."""
    sql = f"DECLARE @end {declared}\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "PR015"]
    kind = declared.split(" = ")[0]
    assert hit.message.startswith("@end holds 00:00 on 19 December 2026, not the last moment of 18 December it is set to "
                                  f"({declared.split(' = ')[1]}): it is declared {kind}, which ")
    assert hit.message.endswith(f"so {condition} {effect} the rows of 00:00 on 19 December: all of that day, in a column "
                                "that holds days without times.")
    assert hit.remediation.startswith("Set @end to the next day, '20261219'. ")
    fix = re.search(r"(?:End the range before the next day|Start at the next day): (.+?), which keeps all", hit.remediation)[1]
    query = sql.split("\n")[1]
    rounded = [row for (row,) in _rows(postgres, query.replace(condition, condition.replace("@end", "'2026-12-19'")))]
    fixed = [row for (row,) in _rows(postgres, query.replace(condition, fix.replace("@end", "'20261219'")))]
    assert (3 in rounded) == (effect == "takes in")
    assert fixed == ([1, 2] if effect == "takes in" else [3, 4])


@pytest.mark.parametrize(("declared", "value", "condition"), [
    ("varchar(30) = '2026-12-18 23:59:59.999'", "'2026-12-18 23:59:59.999'", "a.date <= @end"),
    ("nvarchar(30)\nSET @end = N'2026-12-18 23:59:59'", "N'2026-12-18 23:59:59'", "a.date BETWEEN '2026-08-20' AND @end"),
])
def test_a_text_variable_that_holds_a_last_moment_is_rounded_by_the_column_s_type(check, declared, value, condition):
    """The string is converted to the column's smalldatetime, as it would be written out."""
    sql = f"DECLARE @end {declared}\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}\n"
    (hit,) = [f for f in check(sql).findings if f.rule == "PR015"]
    assert hit.message.startswith(f"@end holds {value}, which is 00:00 on 19 December 2026 to SQL Server: Attendance.date "
                                  "is a smalldatetime, which keeps whole minutes")
    assert hit.message.endswith(f"so {condition} takes in the rows of 00:00 on 19 December: all of that day, in a column "
                                "that holds days without times.")
    assert hit.remediation.startswith("Set @end to the next day, '20261219'. End the range before the next day: ")


@pytest.mark.parametrize(("declared", "condition"), [
    ("datetime2(3) = '2026-12-18 23:59:59.999'", "a.date <= @end"),  # three decimals kept
    ("datetime2 = '2026-12-18 23:59:59.9999999'", "a.date <= @end"),  # seven kept
    ("datetime2(2) = '2026-12-18 23:59:59.994'", "a.date <= @end"),  # rounded down to .99
    ("datetime = '2026-12-18 23:59:59.9999'", "a.date <= @end"),  # not a datetime: SQL Server refuses it
    ("date = '2026-12-18 23:59:59.999'", "a.date <= @end"),  # a date keeps the day
    ("datetime = '2026-12-18 23:59:59.999'", "a.date < @end"),  # before the next midnight: the whole day, as meant
    ("datetime = '2026-12-18 23:59:59.999'\nSET @end = GETDATE()", "a.date <= @end"),  # set to something else too
])
def test_variables_that_keep_their_last_moment_or_do_not_end_a_range_are_left_alone(check, declared, condition):
    sql = f"DECLARE @end {declared}\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}\n"
    assert not [f for f in check(sql).findings if f.rule == "PR015"]

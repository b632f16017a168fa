"""CL027: a number too large for the whole-number or decimal type it is given. PostgreSQL's
numeric(p, s) and smallint hold what SQL Server's do, and refuse a number past them as SQL Server
does: the tests run the number in the type the query gives it, and in the type the fix writes."""

import psycopg
import pytest
from checked import found
from engines import postgres_cast, postgres_with

PERCENT = "100.0 * SUM(CASE WHEN a.excuseID IS NULL THEN 1 ELSE 0 END) / COUNT(*)"
FROM = "FROM Attendance a WHERE a.calendarID = 12 GROUP BY a.personID"


@pytest.fixture(scope="module")
def postgres():
    with postgres_with() as connection:
        yield connection


def _refused(postgres, value: str, sql_type: str) -> bool:
    try:
        postgres_cast(postgres, value, sql_type)
    except psycopg.errors.NumericValueOutOfRange:
        return True
    return False


@pytest.mark.parametrize("sql, pointed, value, sql_type, fixed", [
    ("DECLARE @rate decimal(4, 2) = 100.0", "100.0", "100.0", "decimal(4, 2)", "decimal(5, 2)"),
    ("DECLARE @days smallint\nSET @days = 40000", "40000", "40000", "smallint", "int"),
    ("SELECT CAST(-150 AS numeric(3, 1)) AS x", "CAST(-150 AS numeric(3, 1))", "-150", "numeric(3, 1)", "numeric(4, 1)"),
    ("SELECT CONVERT(smallint, 32768.5) AS x", "CONVERT(smallint, 32768.5)", "32768.5", "smallint", "int"),
    ("DECLARE @id integer = -2147483649", "-2147483649", "-2147483649", "integer", "bigint"),
    ("SELECT CAST(1000 AS dec(5, 2)) AS x", "CAST(1000 AS dec(5, 2))", "1000", "dec(5, 2)", "dec(6, 2)"),
])
def test_a_constant_past_its_type_is_an_error(check, postgres, sql, pointed, value, sql_type, fixed):
    (hit,) = found(check, sql, "CL027")
    assert hit.severity == "error" and hit.message.startswith(f"{value} does not fit {sql_type}, which holds ")
    assert fixed in hit.remediation
    assert (sql + "\n")[hit.span.start:hit.span.end] == pointed
    assert _refused(postgres, value, sql_type) and not _refused(postgres, value, fixed)


def test_a_whole_number_type_is_given_the_value_cut_to_its_whole_part(check):
    assert not found(check, "DECLARE @n tinyint = 255.9\nSELECT CAST(-0.5 AS tinyint) AS x", "CL027")
    (hit,) = found(check, "DECLARE @n tinyint = 300", "CL027")
    assert hit.message.startswith("300 does not fit tinyint, which holds 0 to 255: SQL Server stops the statement")


@pytest.mark.parametrize("sql", [
    "DECLARE @rate decimal(4, 2) = 99.99",
    "SELECT CAST(100 AS decimal(3, 0)) AS x, CAST(12.5 AS numeric(4)) AS y, CAST(-99 AS decimal(2)) AS z",
    # a float constant (error 232, not this one), and what TRY_CAST and TRY_CONVERT give NULL for
    "SELECT CAST(1e3 AS tinyint) AS x, TRY_CAST(300 AS tinyint) AS y, TRY_CONVERT(decimal(4, 2), 100.0) AS z",
])
def test_a_constant_that_fits_or_gives_null_is_left_alone(check, sql):
    assert not found(check, sql, "CL027")


def test_a_percentage_in_a_decimal_below_100_stops_at_the_first_whole_row(check, postgres):
    sql = f"SELECT a.personID, CAST({PERCENT} AS decimal(4, 2)) AS pct {FROM}"
    (hit,) = found(check, sql, "CL027")
    assert hit.severity == "warning"
    assert hit.message.startswith(f"{PERCENT} is a percentage, and decimal(4, 2) holds only numbers below 100: at the "
                                  "first row where it reaches 100, SQL Server stops the statement with error 8115")
    assert hit.remediation == "Give it three digits before the point, decimal(5, 2)."
    assert _refused(postgres, "100.0 * 180 / 180", "numeric(4, 2)")
    assert postgres_cast(postgres, "100.0 * 180 / 180", "numeric(5, 2)") == 100


@pytest.mark.parametrize("sql, fixed", [
    ("SELECT CAST(ROUND(COUNT(*) * 100.0 / 180, 2) AS numeric(5, 3)) AS pct FROM Attendance a WHERE a.calendarID = 12",
     "numeric(6, 3)"),
    ("DECLARE @present int = 170, @days int = 180, @pct decimal(3, 1)\nSET @pct = @present / (@days * 1.0) * 100", "decimal(4, 1)"),
    ("SELECT CAST(100.0 - 100.0 * COUNT(*) / 180 AS decimal(4, 2)) AS absent FROM Attendance a WHERE a.calendarID = 12",
     "decimal(5, 2)"),
])
def test_a_percentage_is_read_however_it_is_written(check, sql, fixed):
    (hit,) = found(check, sql, "CL027")
    assert hit.remediation.endswith(f"{fixed}.")


@pytest.mark.parametrize("expression", [
    f"CAST({PERCENT} AS decimal(5, 2))",
    f"CONVERT(decimal(4, 1), {PERCENT})",
    "CAST(SUM(a.periodID) * 100 AS decimal(4, 2))",  # no ratio
    "CAST(SUM(a.periodID) / 7.0 AS decimal(4, 2))",  # no 100
    "CAST(SUM(a.periodID) / (100.0 * COUNT(*)) AS decimal(4, 2))",  # 100 divides
    "CAST(50 - 100.0 * SUM(a.periodID) / COUNT(*) AS decimal(4, 2))",  # not what is left of 100
])
def test_what_is_no_percentage_or_holds_100_is_left_alone(check, expression):
    assert not found(check, f"SELECT a.personID, {expression} AS x {FROM}", "CL027")

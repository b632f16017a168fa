"""SH020: a whole number divided by a whole number where a fraction is wanted. SQLite divides
whole numbers as SQL Server does, so each flagged item is run there as written (whole numbers,
the fraction lost) and as the fix writes it (the fraction kept)."""

import sqlite3

import pytest
import sqlglot

STUDENTS = [(1, 2), (2, 7), (3, 0)]  # personID, absences out of ASSUMED_DAYS
ASSUMED_DAYS = 8


def _database() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (personID, calendarID, grade)")
    connection.execute("CREATE TABLE Attendance (attendanceID, personID, calendarID, status)")
    rows = [(person, 5, "09") for person, _ in STUDENTS]
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?, ?)", rows)
    absences = [(person, 5, "A" if day < absent else "P") for person, absent in STUDENTS for day in range(ASSUMED_DAYS)]
    connection.executemany("INSERT INTO Attendance VALUES (?, ?, ?, ?)", [(at, *row) for at, row in enumerate(absences)])
    return connection


def _values(connection: sqlite3.Connection, item: str) -> list:
    sql = ("SELECT " + item + " FROM Enrollment e JOIN Attendance a ON a.personID = e.personID AND a.calendarID = "
           "e.calendarID WHERE e.calendarID = 5 GROUP BY e.personID ORDER BY e.personID")
    return [row[0] for row in connection.execute(sqlglot.transpile(sql, read="tsql", write="sqlite")[0])]


def _hits(check, item: str) -> list:
    sql = (f"DECLARE @days int = {ASSUMED_DAYS}\nSELECT e.personID, {item}\nFROM Enrollment e JOIN Attendance a "
           "ON a.personID = e.personID AND a.calendarID = e.calendarID\nWHERE e.calendarID = 5 GROUP BY e.personID\n")
    return [f for f in check(sql).findings if f.rule == "SH020"]


@pytest.mark.parametrize("value, alias, division, consequence", [
    ("SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) / COUNT(*) * 100", "pct",
     "SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) / COUNT(*)",
     "so it is 0 for every share under one, and multiplied by 100 it can only be 0, 100 or a multiple of it."),
    ("CAST(SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) / @days AS decimal(5, 2))", "share",
     "SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) / @days",
     "and the CAST around it comes after the fraction is already lost."),
    ("COUNT(a.attendanceID) / 3", "avg_per_day", "COUNT(a.attendanceID) / 3", "so avg_per_day is rounded down to a whole number."),
    ("COUNT(a.attendanceID) / (e.calendarID - 2)", "perDayRate", "COUNT(a.attendanceID) / (e.calendarID - 2)",
     "so perDayRate is rounded down to a whole number."),
])
def test_a_fraction_lost_to_whole_number_division_is_found_and_the_fix_keeps_it(check, value, alias, division, consequence):
    (hit,) = _hits(check, f"{value} AS {alias}")
    assert hit.message == (f"{division} divides a whole number by a whole number: SQL Server keeps only the whole part "
                           f"(3 / 4 is 0), {consequence}")
    assert hit.remediation == f"Divide with decimals: 1.0 * {division}, where 1.0 * makes the numerator a decimal before the division."
    connection = _database()
    written = _values(connection, value.replace("@days", str(ASSUMED_DAYS)))
    fixed = _values(connection, value.replace(division, f"1.0 * {division}").replace("@days", str(ASSUMED_DAYS)))
    assert all(float(number) == int(number) for number in written)  # whole numbers: the fraction lost
    assert any(float(number) != int(number) for number in fixed) and written != fixed


@pytest.mark.parametrize("item", [
    "DATEDIFF(minute, MIN(e.grade), GETDATE()) / 60 AS hours",  # a whole quotient, nothing asks for more
    "COUNT(*) * 100 / @days AS pct",  # a whole percentage, scaled first on purpose
    "1.0 * COUNT(*) / @days * 100 AS pct",
    "CAST(COUNT(*) AS decimal(9, 2)) / @days AS rate",
    "COUNT(*) / 8.0 * 100 AS pct",
    "SUM(a.status) / COUNT(*) AS rate",  # status is text: not a whole number
    "COUNT(*) / @days AS separatedDays",  # 'rate' inside a word is not a rate
])
def test_a_division_that_keeps_its_fraction_or_means_a_whole_quotient_is_left_alone(check, item):
    assert _hits(check, item) == []


@pytest.mark.parametrize("average, fixed", [
    ("AVG(DATEDIFF(day, e.startDate, e.endDate))", "AVG(1.0 * DATEDIFF(day, e.startDate, e.endDate))"),
    ("AVG(e.endYear - 2000)", "AVG(1.0 * e.endYear - 2000)"),
])
def test_an_average_of_whole_numbers_is_found_with_the_average_of_decimals(check, average, fixed):
    """SQL Server gives AVG of an int the int type (its documented return types); SQLite and
    PostgreSQL keep the fraction, so only the finding is checked here."""
    sql = f"SELECT e.calendarID, {average} AS days FROM Enrollment e WHERE e.calendarID = 5 GROUP BY e.calendarID\n"
    (hit,) = [f for f in check(sql).findings if f.rule == "SH020"]
    assert hit.message == (f"{average} averages whole numbers, and SQL Server gives their average as a whole number, the "
                           "fraction dropped (AVG of 3 and 4 is 3).")
    assert hit.remediation == f"Average decimals: {fixed}, where 1.0 * makes each value a decimal first."


@pytest.mark.parametrize("average", ["AVG(1.0 * e.endYear)", "AVG(CAST(e.endYear AS decimal(9, 2)))", "AVG(gs.[percent])"])
def test_an_average_of_decimals_is_left_alone(check, average):
    sql = (f"SELECT e.calendarID, {average} AS x FROM Enrollment e JOIN GradingScore gs ON gs.personID = e.personID "
           "AND gs.calendarID = e.calendarID WHERE e.calendarID = 5 GROUP BY e.calendarID\n")
    assert not [f for f in check(sql).findings if f.rule == "SH020"]

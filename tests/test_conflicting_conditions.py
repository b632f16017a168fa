"""PR021: conditions on one column that cancel out. Each pair said never true together returns no
rows in SQLite; each OR said to filter nothing but NULLs returns the rows `IS NOT NULL` returns,
and the fix written for it returns fewer; conditions that leave some rows, or whose values are not
known before the query runs, are left alone."""

import re
import sqlite3
from functools import partial

import pytest
import sqlglot
from checked import found

ENROLLMENT = [  # enrollmentID, personID, calendarID, grade, endYear, startDate, endDate
    (1, 100, 10, "09", 2027, "2026-08-20", None), (2, 101, 10, "10", 2027, "2026-09-02", "2027-01-15"),
    (3, 102, 11, None, 2027, "2026-08-01", None), (4, 103, 11, "11", 2026, "2025-08-19", "2026-06-01"),
    (5, 104, 12, "", 2027, "2026-10-05", None), (6, 105, 12, "12", 2027, None, None),
]
CALENDAR = [(10, 2027, "High"), (11, 2026, "High"), (12, 2027, "Middle")]  # calendarID, endYear, name

_hits = partial(found, rule="PR021")


@pytest.fixture(scope="module")
def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (enrollmentID, personID, calendarID, grade, endYear, startDate, endDate)")
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?, ?, ?, ?, ?, ?)", ENROLLMENT)
    connection.execute("CREATE TABLE Calendar (calendarID, endYear, name)")
    connection.executemany("INSERT INTO Calendar VALUES (?, ?, ?)", CALENDAR)
    return connection


def _rows(connection, tsql: str) -> list[tuple]:
    return sorted(connection.execute(sqlglot.transpile(tsql, read="tsql", write="sqlite")[0]).fetchall(), key=repr)


@pytest.mark.parametrize("first, second", [
    ("e.grade = '09'", "e.grade = '10'"),
    ("e.grade = '09'", "e.grade = '9'"),  # a text column: two texts
    ("e.endYear = 2027", "e.endYear = 2026"),
    ("e.grade IN ('09', '10')", "e.grade = '11'"),
    ("e.grade IN ('09', '10')", "e.grade NOT IN ('10', '09')"),
    ("e.grade = '09'", "e.grade <> '09'"),
    ("e.startDate > '2026-09-01'", "e.startDate < '2026-08-01'"),
    ("e.startDate > '2026-08-01'", "e.startDate <= '2026-08-01'"),
    ("e.endYear BETWEEN 2020 AND 2026", "e.endYear = 2027"),
    ("2027 = e.endYear", "e.endYear < 2027"),
    ("e.endDate IS NULL", "e.endDate > '2026-01-01'"),
    ("e.endDate IS NULL", "e.endDate IS NOT NULL"),
    ("e.endDate IS NULL", "e.endDate < e.startDate"),  # compared with a column: true only of a value
    ("e.grade = '09'", "e.grade LIKE '1%'"),
    ("e.grade LIKE '0%'", "e.grade IS NULL"),
    ("e.grade = '10'", "e.grade NOT LIKE '1_'"),
    ("e.grade LIKE '1%'", "e.grade NOT LIKE '1%'"),
    ("e.grade LIKE '0%'", "e.grade LIKE '1%'"),  # two starts
    ("e.grade LIKE '%0'", "e.grade LIKE '%1'"),  # two ends
    ("e.grade LIKE '09'", "e.grade LIKE '0'"),  # no wildcard: the whole text
    ("NOT e.endYear > 2026", "e.endYear = 2027"),
])
def test_and_ed_conditions_no_value_meets_return_no_rows(check, database, first, second):
    sql = f"SELECT e.personID FROM Enrollment e WHERE e.personID > 0 AND {first} AND {second}"
    (hit,) = _hits(check, sql)
    column = second.split()[0]
    assert hit.message == (f"{first} and {second} cannot both be true: no row's {column} meets both, so this SELECT "
                           "returns no rows.")
    assert (hit.span.column, hit.span.end_column) == (sql.index(second) + 1, sql.index(second) + len(second))
    assert _rows(database, sql) == []
    assert _rows(database, f"SELECT e.personID FROM Enrollment e WHERE e.personID > 0 AND {first}") != []


@pytest.mark.parametrize("second, ranged", [("e.endDate < e.startDate", False), ("e.startDate < '2026-08-01'", True)])
def test_the_fix_speaks_of_a_range_only_where_two_ends_cross(check, second, ranged):
    first = "e.endDate IS NULL" if not ranged else "e.startDate > '2026-09-01'"
    (hit,) = _hits(check, f"SELECT e.personID FROM Enrollment e WHERE {first} AND {second}")
    assert hit.remediation.startswith(f"If the rows meant are those that meet either, write OR, in parentheses: ({first} "
                                      f"OR {second})")
    assert ("if a range was meant" in hit.remediation) == ranged


def test_two_like_patterns_where_either_will_do_are_joined_with_or(check, database):
    first, second = "e.grade LIKE '0%'", "e.grade LIKE '1%'"
    (hit,) = _hits(check, f"SELECT e.personID FROM Enrollment e WHERE {first} AND {second}")
    fixed = f"({first} OR {second})"
    assert hit.remediation == f"If the rows meant are those that meet either, write OR, in parentheses: {fixed}."
    assert _rows(database, f"SELECT e.personID FROM Enrollment e WHERE {fixed}") == [(100,), (101,), (103,), (105,)]


def test_two_values_where_either_will_do_are_written_as_one_in_list(check, database):
    sql = "SELECT e.personID FROM Enrollment e WHERE e.grade = '09' AND e.grade = '10'"
    (hit,) = _hits(check, sql)
    fixed = re.search(r"write (e\.grade IN \(.+?\))\.$", hit.remediation)[1]
    assert fixed == "e.grade IN ('09', '10')"
    assert _rows(database, sql.replace("e.grade = '09' AND e.grade = '10'", fixed)) == [(100,), (101,)]


def test_a_year_in_an_inner_join_and_another_in_the_where_cancel_out(check, database):
    sql = ("SELECT e.personID, c.name FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID AND c.endYear = 2027\n"
           "WHERE c.endYear = 2026")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("c.endYear = 2027 and c.endYear = 2026 cannot both be true")
    assert hit.span.line == 2
    assert _rows(database, sql) == []


def test_a_left_join_whose_on_cancels_out_finds_no_row(check, database):
    sql = ("SELECT e.personID, c.name FROM Enrollment e LEFT JOIN Calendar c ON c.calendarID = e.calendarID "
           "AND c.endYear = 2027 AND c.endYear = 2026")
    (hit,) = _hits(check, sql)
    assert hit.message.endswith("so the LEFT JOIN finds no row of Calendar c: its columns are NULL on every row.")
    assert {name for _, name in _rows(database, sql)} == {None}


@pytest.mark.parametrize("sql, consequence", [
    ("SELECT e.personID FROM Enrollment e WHERE EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = e.calendarID "
     "AND c.endYear = 2027 AND c.endYear = 2026)", "so this subquery finds no rows."),
    ("UPDATE e SET e.grade = '10' FROM Enrollment e WHERE e.endYear = 2027 AND e.endYear = 2028", "so the UPDATE changes no rows."),
    ("DELETE FROM Enrollment WHERE endYear = 2027 AND endYear = 2028", "so the DELETE removes no rows."),
    ("SELECT e.personID FROM Enrollment e WHERE (e.grade = '09' AND e.grade = '10') OR e.endYear = 2026",
     "so this branch of the OR is never true."),
])
def test_what_follows_is_said_for_where_the_conditions_stand(check, sql, consequence):
    (hit,) = _hits(check, sql)
    assert hit.message.endswith(consequence)


@pytest.mark.parametrize("first, second, fixed", [
    ("e.grade <> '09'", "e.grade <> '10'", "e.grade NOT IN ('09', '10')"),
    ("e.grade NOT IN ('09', '10')", "e.grade NOT IN ('11')", "e.grade NOT IN ('09', '10', '11')"),
    ("e.startDate >= '2026-08-20'", "e.startDate <= '2026-09-02'", "e.startDate >= '2026-08-20' AND e.startDate <= '2026-09-02'"),
    ("e.startDate > '2026-08-20'", "e.startDate < '2026-09-02'", "e.startDate > '2026-08-20' AND e.startDate < '2026-09-02'"),
    ("e.startDate >= '2026-08-20'", "e.startDate < '2026-08-20'", "e.startDate >= '2026-08-20' AND e.startDate < '2026-08-20'"),
])
def test_or_ed_conditions_every_value_meets_filter_only_nulls(check, database, first, second, fixed):
    sql = f"SELECT e.personID FROM Enrollment e WHERE ({first} OR {second})"
    (hit,) = _hits(check, sql)
    column = first.split()[0]
    assert hit.message.startswith(f"{first} OR {second} is true wherever {column} is not NULL (")
    assert hit.message.endswith(f"it leaves out only the rows where {column} is NULL.")
    assert _rows(database, sql) == _rows(database, f"SELECT e.personID FROM Enrollment e WHERE {column} IS NOT NULL")
    assert fixed in hit.remediation
    assert len(_rows(database, f"SELECT e.personID FROM Enrollment e WHERE {fixed}")) < len(_rows(database, sql))


def test_an_or_with_other_branches_is_said_to_keep_at_most_the_null_rows_out(check):
    (hit,) = _hits(check, "SELECT e.personID FROM Enrollment e WHERE e.grade <> '09' OR e.grade <> '10' OR e.personID = 5")
    assert hit.message.endswith("the OR they are part of leaves out at most the rows where e.grade is NULL.")


def test_a_comparison_or_ed_with_is_not_null_adds_nothing(check, database):
    sql = "SELECT e.personID FROM Enrollment e WHERE e.grade IS NOT NULL OR e.grade <> ''"
    (hit,) = _hits(check, sql)
    assert hit.message == ("e.grade IS NOT NULL OR e.grade <> '' is true wherever e.grade is not NULL: e.grade <> '' adds "
                           "nothing, for it is true only where e.grade has a value, where IS NOT NULL is true already.")
    assert _rows(database, sql) == _rows(database, "SELECT e.personID FROM Enrollment e WHERE e.grade IS NOT NULL")
    assert hit.remediation.startswith("Write e.grade <> '' alone")
    assert (104,) not in _rows(database, "SELECT e.personID FROM Enrollment e WHERE e.grade <> ''")


def test_a_case_when_every_grade_meets_takes_it_on_every_row_with_a_grade(check, database):
    sql = ("SELECT e.personID, CASE WHEN e.grade <> '09' OR e.grade <> '10' THEN 'upper' ELSE 'lower' END AS band "
           "FROM Enrollment e")
    (hit,) = _hits(check, sql)
    assert hit.message.endswith("CASE takes this WHEN on every row where e.grade has a value, and what follows it only where "
                                "it is NULL.")
    assert {band for _, band in _rows(database, sql)} == {"upper", "lower"}
    assert [person for person, band in _rows(database, sql) if band == "lower"] == [102]  # the one with no grade
    fixed = sql.replace("e.grade <> '09' OR e.grade <> '10'", re.search(r"write (.+)\.$", hit.remediation)[1])
    assert [person for person, band in _rows(database, fixed) if band == "lower"] == [100, 101, 102]


@pytest.mark.parametrize("sql, consequence", [
    ("SELECT CASE WHEN e.grade = '09' AND e.grade = '10' THEN 'both' ELSE 'one' END FROM Enrollment e",
     "so CASE never takes this WHEN's THEN."),
    ("SELECT IIF(e.endDate IS NULL AND e.endDate > '2026-01-01', 'open', 'closed') FROM Enrollment e",
     "so IIF always gives its last value."),
])
def test_a_case_when_or_iif_no_row_meets_never_takes_its_value(check, database, sql, consequence):
    (hit,) = _hits(check, sql)
    assert hit.message.endswith(consequence)
    assert {value for value, in _rows(database, sql)} == {"one" if "CASE" in sql else "closed"}


@pytest.mark.parametrize("sql", [
    "SELECT e.personID FROM Enrollment e WHERE e.grade <> '09' AND e.grade = '10'",
    "SELECT e.personID FROM Enrollment e WHERE e.grade = 'KG' AND e.grade = 'kg '",  # Campus's collation: the same text
    "SELECT e.personID FROM Enrollment e WHERE e.grade = 9 AND e.grade = '09'",  # converted: both may hold
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = '5' AND e.calendarID = '05'",  # one number to an int column
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID <> '5' OR e.calendarID <> '05'",
    "SELECT e.personID FROM Enrollment e WHERE e.grade >= '09' AND e.grade < '13'",
    "SELECT e.personID FROM Enrollment e WHERE e.grade > '9' AND e.grade < '10'",  # text ranges follow the collation
    "SELECT e.personID FROM Enrollment e WHERE e.startDate >= '2026-08-01' AND e.startDate <= '2026-08-01'",
    "SELECT e.personID FROM Enrollment e WHERE e.startDate >= '2026-08-01' AND e.startDate < '08/02/2026'",
    "SELECT e.personID FROM Enrollment e WHERE e.endYear = @year AND e.endYear = 2027",
    "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.endYear = 2027.0",
    "SELECT a.personID FROM Enrollment a JOIN Enrollment b ON b.personID = a.personID WHERE a.endYear = 2027 AND b.endYear = 2026",
    # the anti-join: the WHERE keeps the rows the LEFT JOIN found nothing for
    "SELECT e.personID FROM Enrollment e LEFT JOIN Calendar c ON c.calendarID = e.calendarID AND c.endYear = 2027 "
    "WHERE c.endYear IS NULL",
    "SELECT e.personID FROM Enrollment e WHERE NOT (e.grade <> '09' OR e.grade <> '10')",
    "SELECT e.personID FROM Enrollment e WHERE e.grade NOT IN ('09', '10') OR e.grade NOT IN ('10', '11')",
    "SELECT e.personID FROM Enrollment e WHERE e.startDate > '2026-08-01' OR e.startDate < '2026-08-01'",
    "SELECT e.personID FROM Enrollment e WHERE e.endDate IS NULL OR e.endDate > GETDATE()",
    "SELECT e.personID FROM Enrollment e WHERE e.endDate IS NULL OR e.endDate >= e.startDate",
    "SELECT e.personID FROM Enrollment e WHERE e.grade IN ('09', '10') AND e.grade LIKE '1%'",
    "SELECT e.personID FROM Enrollment e WHERE e.grade = 'kg' AND e.grade LIKE 'K_'",  # case is ignored
    "SELECT e.personID FROM Enrollment e WHERE e.grade = 'KG ' AND e.grade LIKE 'KG'",  # and the value's trailing spaces
    "SELECT e.personID FROM Enrollment e WHERE e.grade IN ('09', '10') AND e.grade NOT LIKE '1%'",
    "SELECT e.personID FROM Enrollment e WHERE e.grade LIKE '1%' AND e.grade NOT LIKE '10'",
    "SELECT e.personID FROM Enrollment e WHERE e.grade LIKE '1%' AND e.grade LIKE '10%'",  # one start begins the other
    "SELECT e.personID FROM Enrollment e WHERE e.grade LIKE '1%' AND e.grade LIKE '%0'",  # a start and an end: '10'
    "SELECT e.personID FROM Enrollment e WHERE e.grade LIKE 'kg' AND e.grade LIKE 'K%'",  # case is ignored
    "SELECT e.personID FROM Enrollment e WHERE e.grade LIKE '_1' AND e.grade LIKE '1_'",  # '11'
    "SELECT e.personID FROM Enrollment e WHERE e.endDate IS NULL AND ISNULL(e.endDate, e.startDate) >= e.startDate",
    # the anti-join's ON compares the column the WHERE finds NULL: apart, as ever
    "SELECT e.personID FROM Enrollment e LEFT JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.calendarID IS NULL",
    "SELECT e.personID FROM Enrollment e WHERE e.endYear BETWEEN 2027 AND 2020",  # PR011's: one condition
    "SELECT CASE WHEN e.grade IN ('09', '10') AND e.endYear = 2027 THEN 1 WHEN e.grade = '11' OR e.grade = '12' THEN 2 END "
    "FROM Enrollment e",
])
def test_conditions_that_leave_some_rows_or_are_unknown_are_left_alone(check, sql):
    assert _hits(check, sql) == []


def test_the_values_that_variables_hold_are_the_values_compared(check, database):
    script = ("DECLARE @start date = '2026-08-20', @end date = '2026-06-30', @grade varchar(2) = '09'\n"
              "SELECT e.personID FROM Enrollment e WHERE e.startDate >= @start AND e.startDate <= @end\n"
              "SELECT e.personID FROM Enrollment e WHERE e.grade = @grade AND e.grade = '10'\n")
    hits = _hits(check, script)
    assert [hit.span.line for hit in hits] == [2, 3]
    assert hits[0].message.startswith("e.startDate >= @start and e.startDate <= @end cannot both be true (@start holds "
                                      "'2026-08-20', @end holds '2026-06-30'): no row's e.startDate meets both")
    assert hits[0].remediation.startswith("If a range was meant, give @start and @end the ends meant")
    assert hits[1].remediation.endswith("write e.grade IN (@grade, '10').")
    assert _rows(database, "SELECT e.personID FROM Enrollment e WHERE e.startDate >= '2026-08-20' "
                           "AND e.startDate <= '2026-06-30'") == []
    assert not _hits(check, script.replace("'2026-06-30'", "'2027-06-30'").replace("@grade AND", "@grade OR"))


def test_a_variable_that_may_hold_another_value_is_not_read_as_its_first(check):
    script = ("DECLARE @start date = '2026-08-20', @end date = '2026-06-30'\n"
              "IF MONTH(GETDATE()) < 7 SET @end = '2027-06-30'\n"
              "SELECT e.personID FROM Enrollment e WHERE e.startDate >= @start AND e.startDate <= @end\n")
    assert not _hits(check, script)


def test_a_variable_holds_its_value_as_its_type_does(check):
    """12.7 given to an int is 12; '12' given to a smallint is 12."""
    script = ("DECLARE @calendar int = 12.7, @year smallint = '2026'\n"
              "SELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendar AND e.calendarID = 12\n"
              "SELECT e.personID FROM Enrollment e WHERE e.endYear = @year AND e.endYear = 2027\n")
    assert [hit.message.split(": ")[0] for hit in _hits(check, script)] == [
        "e.endYear = @year and e.endYear = 2027 cannot both be true (@year holds 2026)"]

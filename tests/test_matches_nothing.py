"""PR011: conditions that match nothing whatever the data holds. Each condition said to be never
true returns no rows in SQLite, which compares with NULL and reads BETWEEN as SQL Server does,
and the condition the fix writes returns the rows meant; a column equal to this moment is run in
PostgreSQL, whose dates and times compare with the moment as SQL Server's do."""

import re
import sqlite3
from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_rows

from bench.risk.cluster import cluster

ENROLLMENT = [  # enrollmentID, personID, grade, endYear, endDate
    (1, 100, "09", 2026, None), (2, 101, "10", 2026, "2026-01-15"), (3, 102, None, 2026, None), (4, 103, "11", 2025, "2025-06-01"),
]


@pytest.fixture(scope="module")
def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (enrollmentID, personID, grade, endYear, endDate)")
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?, ?, ?, ?)", ENROLLMENT)
    return connection


def _rows(connection, tsql: str) -> list[tuple]:
    return sorted(connection.execute(sqlglot.transpile(tsql, read="tsql", write="sqlite")[0]).fetchall(), key=repr)


_hits = partial(found, rule="PR011")


def _fixed(sql: str, hit) -> str:
    """The query with the flagged condition replaced by the one the fix writes."""
    written = re.match(r"(.+?) is never true|The NULL in (.+?) matches", hit.message)
    condition = written[1] or written[2]
    fix = re.search(r"(?:Write|round:|list:) (.+?)(?:\.$| already| to keep)", hit.remediation)[1]
    assert condition in sql
    return sql.replace(condition, fix)


@pytest.mark.parametrize("condition", [
    "e.endDate = NULL", "e.endDate <> NULL", "NULL != e.endDate", "e.grade NOT IN ('09', NULL)", "e.grade NOT IN (NULL)",
    "e.grade IN (NULL)", "e.endYear BETWEEN 2026 AND 2025", "e.endDate BETWEEN '2026-06-30' AND '20250701'",
    "e.grade BETWEEN '10' AND '09'", "e.endDate=null", "e.grade not in ('09',null)", "e.endYear between 2026 and 2025",
])
def test_a_condition_said_never_true_returns_no_rows_and_its_fix_returns_some(check, database, condition):
    sql = f"SELECT e.personID FROM Enrollment e WHERE e.personID > 0 AND {condition}"
    (hit,) = _hits(check, sql)
    assert hit.message.endswith("The WHERE clause is AND-ed with it, so this SELECT returns no rows.")
    assert _rows(database, sql) == []
    assert _rows(database, _fixed(sql, hit)) != []
    assert (hit.span.line, hit.span.column, hit.span.end_column) == (1, sql.index(condition) + 1, sql.index(condition) + len(condition))


def test_null_in_an_in_list_misses_the_null_rows_and_the_fix_keeps_them(check, database):
    sql = "SELECT e.personID FROM Enrollment e WHERE e.grade IN ('09', NULL)"
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("The NULL in e.grade IN ('09', NULL) matches no row") and "returns no rows" not in hit.message
    assert hit.remediation.startswith("Write (e.grade IN ('09') OR e.grade IS NULL)")
    assert _rows(database, sql) == [(100,)]
    assert _rows(database, _fixed(sql, hit)) == [(100,), (102,)]


@pytest.mark.parametrize("sql, consequence", [
    ("SELECT CASE WHEN e.endDate = NULL THEN 'active' END FROM Enrollment e", "CASE never takes this WHEN's THEN."),
    ("SELECT IIF(e.grade <> NULL, e.grade, '?') FROM Enrollment e", "IIF always gives its last value."),
    ("SELECT e.personID, c.name FROM Enrollment e LEFT JOIN Calendar c ON c.calendarID = e.calendarID AND c.summerSchool = NULL",
     "so the LEFT JOIN finds no row of Calendar c: its columns are NULL on every row."),
    ("SELECT e.grade FROM Enrollment e GROUP BY e.grade HAVING MAX(e.endDate) = NULL", "this SELECT returns no groups."),
    ("DECLARE @d date\nIF @d = NULL\n    SET @d = GETDATE()", "IF never runs the statement under it."),
    ("DECLARE @d date\nWHILE @d <> NULL AND 1 = 1\n    SET @d = NULL", "The loop never runs."),
])
def test_what_a_never_true_condition_does_is_said_where_it_is(check, sql, consequence):
    (hit,) = _hits(check, sql)
    assert hit.message.endswith(consequence)


def test_not_between_with_its_bounds_reversed_keeps_every_row_and_the_fix_keeps_those_outside(check, database):
    sql = "SELECT e.personID FROM Enrollment e WHERE e.endYear NOT BETWEEN 2026 AND 2025"
    (hit,) = _hits(check, sql)
    assert hit.message == ("e.endYear NOT BETWEEN 2026 AND 2025 is true of every value but NULL: BETWEEN takes the smaller "
                           "bound first, so the BETWEEN inside matches no value, and NOT keeps them all.")
    fixed = sql.replace("NOT BETWEEN 2026 AND 2025", "NOT BETWEEN 2025 AND 2026")
    assert hit.remediation == "Put the bounds the other way round: e.endYear NOT BETWEEN 2025 AND 2026."
    assert _rows(database, sql) == _rows(database, "SELECT e.personID FROM Enrollment e") and _rows(database, fixed) == []


def test_a_variable_compared_with_null_is_placed_on_its_own_words(check):
    (hit,) = _hits(check, "DECLARE @d date\nIF @d  =  NULL\n    PRINT 'none'")
    assert (hit.span.line, hit.span.column, hit.span.end_column) == (2, 4, 14)
    assert hit.message.startswith("@d  =  NULL is never true") and hit.remediation == "Write @d IS NULL."


def test_a_case_when_null_never_matches_and_the_case_the_fix_writes_does(check, database):
    sql = ("SELECT e.enrollmentID, CASE e.endDate WHEN '2026-01-15' THEN 'mid-year' WHEN NULL THEN 'active' ELSE 'left' "
           "END AS status FROM Enrollment e")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("CASE e.endDate WHEN NULL never matches, not even where e.endDate is NULL")
    assert sql[hit.span.start : hit.span.end] == "WHEN NULL"
    assert "CASE WHEN e.endDate IS NULL THEN" in hit.remediation
    assert [status for _, status in _rows(database, sql)] == ["left", "mid-year", "left", "left"]  # none 'active'
    fixed = sql.replace("CASE e.endDate WHEN '2026-01-15'", "CASE WHEN e.endDate = '2026-01-15'").replace(
        "WHEN NULL", "WHEN e.endDate IS NULL")
    assert _hits(check, fixed) == []
    assert [status for _, status in _rows(database, fixed)] == ["active", "mid-year", "active", "left"]


@pytest.mark.parametrize("sql", [
    "SELECT e.personID FROM Enrollment e WHERE e.endDate IS NULL",
    "SELECT CASE WHEN e.endDate IS NULL THEN 'active' END, CASE e.grade WHEN '09' THEN 1 ELSE NULL END FROM Enrollment e",
    "SET ANSI_NULLS OFF\nSELECT CASE e.endDate WHEN NULL THEN 'active' END FROM Enrollment e",
    "SELECT e.personID FROM Enrollment e WHERE e.endYear BETWEEN 2025 AND 2026",
    "SELECT e.personID FROM Enrollment e WHERE e.endYear BETWEEN 2026 AND 2026",
    "SELECT e.personID FROM Enrollment e WHERE e.grade BETWEEN '9' AND '10'",  # after '10' as text, before it as numbers
    "SELECT e.personID FROM Enrollment e WHERE e.endDate BETWEEN '2026-06-30' AND 2025",
    "UPDATE e SET e.endDate = NULL FROM Enrollment e WHERE e.personID = 5",
    "DECLARE @d date = NULL\nSET @d = NULL\nSELECT @d = NULL",
    "SET ANSI_NULLS OFF\nSELECT e.personID FROM Enrollment e WHERE e.endDate = NULL",
])
def test_what_only_looks_like_it_is_not_flagged(check, sql):
    assert _hits(check, sql) == []


@pytest.mark.parametrize("condition, never, where", [
    ("e.serviceType = 'Primary'", True, "The WHERE clause is AND-ed with it, so this SELECT returns no rows."),
    ("e.serviceType IN ('P', 'Secondary')", False, None),
    ("CASE WHEN e.serviceType = 'Secondary' THEN 1 ELSE 0 END = 1", True, None),  # part of the WHERE: not all of it
])
def test_a_value_longer_than_the_text_column_holds_matches_nothing(check, condition, never, where):
    sql = f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND {condition}"
    (hit,) = _hits(check, sql)
    assert ("is never true: " in hit.message) is never
    assert ("Enrollment.serviceType is char(1) in sqladvise's bundled catalog, an approximation of Campus, and holds at "
            "most 1 character, fewer than") in hit.message
    assert hit.message.endswith(where or "has.")
    assert hit.remediation.startswith("Compare e.serviceType with a value it holds.")
    # PostgreSQL keeps char(1) to one character: 'Primary' cannot be stored, and nothing equals it
    with cluster() as local, psycopg.connect(local, autocommit=True) as postgres:
        postgres.execute("CREATE TABLE Enrollment (personID int, calendarID int, serviceType char(1))")
        postgres.execute("INSERT INTO Enrollment VALUES (1, 4, 'P'), (2, 4, 'S')")
        with pytest.raises(psycopg.errors.StringDataRightTruncation):
            postgres.execute("INSERT INTO Enrollment VALUES (3, 4, 'Primary')")
        assert postgres_rows(postgres, "SELECT e.personID FROM Enrollment e WHERE e.serviceType = 'Primary'") == []


_LENGTHS = [  # each condition on Person.stateID, a varchar(15), with the length it compares where it is never true
    ("LEN(p.stateID) > 15", "LEN(p.stateID)"),
    ("16 <= LEN(p.stateID)", "LEN(p.stateID)"),
    ("LEN(RTRIM(p.stateID)) = 16", "LEN(RTRIM(p.stateID))"),
    ("LEN(p.stateID) >= 15", None),
    ("LEN(p.stateID) > 14", None),
    ("LEN(p.stateID) < 20", None),  # true of every row, which is not this rule's
    ("NOT LEN(p.stateID) > 15", None),
]


@pytest.mark.parametrize("condition, length", _LENGTHS)
def test_a_length_longer_than_the_text_column_holds_matches_nothing(check, condition, length):
    hits = _hits(check, f"SELECT p.personID FROM Person p WHERE {condition}")
    assert len(hits) == (length is not None)
    if length is not None:
        assert hits[0].message == (f"{condition} is never true: Person.stateID is varchar(15) in sqladvise's bundled catalog, "
                                   "an approximation of Campus, and holds at most 15 characters. The WHERE clause is "
                                   "AND-ed with it, so this SELECT returns no rows.")
        assert hits[0].remediation.startswith(f"Compare {length} with a length the column can hold, 15 at most.")


def test_the_lengths_flagged_are_those_a_database_finds_no_row_for():
    with cluster() as local, psycopg.connect(local, autocommit=True) as postgres:
        postgres.execute("CREATE TABLE Person (personID int, stateID varchar(15))")
        postgres.execute("INSERT INTO Person VALUES (1, '123456789012345'), (2, '12345678901234 ')")
        for condition, length in _LENGTHS:
            rows = postgres_rows(postgres, f"SELECT p.personID FROM Person p WHERE {condition}")
            assert (rows == []) is (length is not None), condition


def test_a_temp_tables_declared_length_bounds_what_len_finds(check):
    (hit,) = _hits(check, "CREATE TABLE #k (personID int, code varchar(5))\nSELECT k.personID FROM #k k WHERE LEN(k.code) > 5")
    assert hit.message.startswith("LEN(k.code) > 5 is never true: #k.code is varchar(5) and holds at most 5 characters.")
    assert hit.remediation == "Compare LEN(k.code) with a length the column can hold, 5 at most."


def test_a_length_from_a_districts_own_catalog_is_not_called_an_approximation(tmp_path):
    from conftest import ROOT, sqladvise

    (tmp_path / "q.sql").write_text("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND e.serviceType = 'Primary'\n")
    exported = ROOT / "schema_fixtures" / "tests" / "export_example.json"
    (hit,) = [f for f in sqladvise("check", "--format", "json", "--catalog", str(exported), "q.sql", cwd=tmp_path).json()
              ["files"][0]["findings"] if f["rule"] == "PR011"]
    assert hit["message"].startswith("e.serviceType = 'Primary' is never true: Enrollment.serviceType is char(1) and holds")
    assert "catalog" not in hit["remediation"]


def test_a_case_when_that_compares_a_value_longer_than_the_column_is_never_taken(check):
    (hit,) = _hits(check, "SELECT CASE WHEN e.serviceType = 'Secondary' THEN 1 ELSE 0 END AS s FROM Enrollment e")
    assert hit.message.endswith("fewer than 'Secondary' has. CASE never takes this WHEN's THEN.")


@pytest.mark.parametrize("made, read", [
    ("CREATE TABLE #kids (personID int PRIMARY KEY, serviceType char(1), gradeName varchar(30))", "#kids"),
    ("DECLARE @kids TABLE (personID int, serviceType CHAR(1))", "@kids"),
])
def test_a_temp_tables_declared_length_holds_as_a_catalog_columns_does(check, made, read):
    (hit,) = _hits(check, f"{made}\nSELECT k.personID FROM {read} k WHERE k.serviceType IN ('P', 'Primary')\n")
    assert hit.message == (f"'Primary' in k.serviceType IN ('P', 'Primary') can match no row: {read}.serviceType is char(1) "
                           "and holds at most 1 character, fewer than 'Primary' has.")
    assert hit.remediation == "Compare k.serviceType with a value it holds."
    assert _hits(check, f"{made.replace('char(1)', 'char(7)').replace('CHAR(1)', 'char(7)')}\n"
                        f"SELECT k.personID FROM {read} k WHERE k.serviceType IN ('P', 'Primary')\n") == []


def test_a_value_that_fits_once_its_trailing_spaces_are_dropped_and_a_negated_list_are_left_alone(check):
    for condition in ("e.serviceType = 'P   '", "e.serviceType NOT IN ('Primary')", "e.grade = '09'",
                      "e.serviceType <> 'Primary'"):
        assert _hits(check, f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND {condition}") == []


def test_null_comparisons_before_ansi_nulls_off_are_still_flagged(check):
    sql = ("SELECT e.personID FROM Enrollment e WHERE e.endDate = NULL\nGO\nSET ANSI_NULLS OFF\nGO\n"
           "SELECT e.personID FROM Enrollment e WHERE e.endDate = NULL AND e.endYear BETWEEN 2026 AND 2025")
    assert [(hit.span.line, hit.message.split(" is ")[0]) for hit in _hits(check, sql)] == [
        (1, "e.endDate = NULL"), (5, "e.endYear BETWEEN 2026 AND 2025")]


@pytest.mark.parametrize("column, written", [("a.date", "a.date = GETDATE()"), ("a.modifiedDate", "SYSDATETIME() = a.modifiedDate")])
def test_a_column_equal_to_this_moment_matches_nothing_and_the_day_s_range_finds_today_s_rows(check, column, written):
    """In PostgreSQL as in SQL Server, today's date and a time written this morning both differ
    from this moment; the range the fix writes finds them."""
    sql = f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {written}"
    (hit,) = _hits(check, sql)
    moment = written.split(" = ")[0] if written.startswith("SYS") else written.split(" = ")[1]
    assert hit.message.startswith(f"{written} is never true in practice: {moment} is this moment, to a fraction of a second")
    fixed = sql.replace(written, re.match(r"Write (.+) for today's rows", hit.remediation)[1])
    with cluster() as local, psycopg.connect(local, autocommit=True) as postgres:
        postgres.execute("CREATE TABLE Attendance (personID int, calendarID int, date date, modifiedDate timestamp)")
        postgres.execute("INSERT INTO Attendance VALUES (1, 5, CURRENT_DATE, CURRENT_DATE + TIME '00:00:01'), "
                         "(2, 5, CURRENT_DATE - 1, CURRENT_DATE - 1 + TIME '08:00')")

        def rows(tsql: str) -> list:
            return postgres_rows(postgres, tsql)
        assert rows(sql) == [] and rows(fixed) == [(1,)]


@pytest.mark.parametrize("condition", [
    "e.endDate >= GETDATE()",
    "GETDATE() < e.endDate",
    "GETDATE() BETWEEN e.startDate AND e.endDate",
])
def test_a_person_s_record_ending_after_now_leaves_out_the_open_ones_and_the_fix_keeps_them(check, condition):
    """Person 1's enrollment has no end date: it is open, and only the fix finds it."""
    sql = f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND {condition}"
    (hit,) = _hits(check, sql)
    assert hit.severity == "warning" and hit.message == (
        f"{condition} leaves out the rows whose e.endDate is NULL, which in Enrollment are the ones still open: a "
        "comparison with NULL is never true.")
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (personID, calendarID, startDate, endDate)")
    connection.executemany("INSERT INTO Enrollment VALUES (?, 5, ?, ?)",
                           [(1, "2026-08-15", None), (2, "2026-08-15", "2099-06-01"), (3, "2026-08-15", "2026-09-30")])
    fixed = sql.replace(condition, re.match(r"Write (.+) to keep the open ones\.$", hit.remediation)[1])
    assert _rows(connection, sql) == [(2,)] and _rows(connection, fixed) == [(1,), (2,)]


@pytest.mark.parametrize("sql", [
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND (e.endDate IS NULL OR e.endDate >= GETDATE())",
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND e.endDate >= '2026-10-01'",  # withdrawn since a day
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND e.endDate < GETDATE()",  # ended: the open ones are not meant
    "SELECT c.calendarID FROM Calendar c WHERE c.startDate <= GETDATE() AND c.endDate >= GETDATE()",  # not a person's record
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND NOT (e.endDate >= GETDATE())",  # ended: not the open ones
    "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 5 AND CASE WHEN e.endDate >= GETDATE() THEN 1 ELSE 0 END = 0",
])
def test_conditions_that_keep_the_open_records_or_do_not_mean_them_are_left_alone(check, sql):
    assert _hits(check, sql) == []


@pytest.mark.parametrize("declared, condition, value", [
    ("int", "e.endYear = @v", "2026"),
    ("int", "e.endYear <> @v", "2025"),
    ("smallint", "e.endYear >= @v", "2026"),
    ("varchar(2)", "e.grade LIKE @v", "'1%'"),
    ("varchar(2)", "e.grade IN (@v)", "'09'"),
    ("varchar(2)", "@v IN ('09', '10')", "'09'"),
    ("varchar(2)", "e.grade NOT IN ('11', @v)", "'10'"),
    ("int", "e.endYear BETWEEN @v AND 2030", "2026"),
])
def test_a_variable_declared_with_no_value_and_never_set_matches_nothing(check, database, declared, condition, value):
    """DECLARE @year int, its SET deleted: the variable is NULL wherever it is read. SQLite, given
    NULL for it, returns no rows; given a value, as the fix says, it returns some."""
    sql = f"DECLARE @v {declared}\nSELECT e.personID FROM Enrollment e WHERE e.personID > 0 AND {condition}"
    (hit,) = _hits(check, sql)
    assert hit.message == (f"{condition} is never true: @v is declared on line 1 with no value, and nothing in the file "
                           "sets it, so it is NULL, and a comparison with NULL gives unknown, not true, whatever the other "
                           "side holds (SQL Server's ANSI_NULLS rule, on unless a script turns it off). The WHERE clause is "
                           "AND-ed with it, so this SELECT returns no rows.")
    assert hit.remediation == (f"Give @v its value where it is declared (DECLARE @v {declared} = ...), or SET it before "
                               "this statement reads it.")
    assert (hit.span.line, hit.span.column) == (2, sql.split("\n")[1].index(condition) + 1)
    query = sql.split("\n")[1]
    assert _rows(database, query.replace("@v", "NULL")) == []
    assert _rows(database, query.replace("@v", value)) != []


def test_a_negated_comparison_with_a_variable_never_set_is_never_true_either(check, database):
    """NOT (x = NULL) is NOT unknown, which is unknown: the WHERE still returns nothing."""
    sql = "DECLARE @v int\nSELECT e.personID FROM Enrollment e WHERE e.personID > 0 AND NOT (e.endYear = @v)"
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("NOT (e.endYear = @v) is never true: @v is declared on line 1 with no value")
    assert hit.message.endswith("The WHERE clause is AND-ed with it, so this SELECT returns no rows.")
    query = sql.split("\n")[1]
    assert _rows(database, query.replace("@v", "NULL")) == []
    assert _rows(database, query.replace("@v", "2025")) != []


def test_an_if_on_a_variable_never_set_never_runs(check):
    (hit,) = _hits(check, "DECLARE @debug bit\nIF @debug = 1\n    PRINT 'rows read'\n")
    assert hit.message.startswith("@debug = 1 is never true: @debug is declared on line 1 with no value")
    assert hit.message.endswith("IF never runs the statement under it.")


@pytest.mark.parametrize("script", [
    "DECLARE @v int\nSET @v = 2026\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    "DECLARE @v int = 2026\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    "DECLARE @v int\nSELECT @v = MAX(e.endYear) FROM Enrollment e\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    "DECLARE @v int\nEXEC dbo.CurrentYear @year = @v OUTPUT\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    "DECLARE @v int\nDECLARE c CURSOR FOR SELECT e.endYear FROM Enrollment e\nOPEN c\nFETCH NEXT FROM c INTO @v\n"
    "SELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    "DECLARE @v int\nEXEC sp_executesql N'SELECT @v = MAX(e.endYear) FROM Enrollment e', N'@v int OUTPUT', @v = @v OUTPUT\n"
    "SELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    # NULL meant as "any": the catch-all, a default in its place
    "DECLARE @v int\nSELECT e.personID FROM Enrollment e WHERE (@v IS NULL OR e.endYear = @v)",
    "DECLARE @v int\nSELECT e.personID FROM Enrollment e WHERE e.endYear = ISNULL(@v, 2026)",
    # still true of some rows
    "DECLARE @v varchar(2)\nSELECT e.personID FROM Enrollment e WHERE e.grade IN (@v, '09')",
    "DECLARE @v int\nSELECT e.personID FROM Enrollment e WHERE e.endYear NOT BETWEEN @v AND 2025",
    "DECLARE @v int\nSELECT e.personID FROM Enrollment e WHERE NOT (e.endYear BETWEEN @v AND 2025)",
    # = NULL may be true with ANSI_NULLS off
    "SET ANSI_NULLS OFF\nDECLARE @v int\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
    # in the next batch, the variable is not declared at all (SH023)
    "DECLARE @v int\nGO\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @v",
])
def test_a_variable_that_may_be_set_or_is_meant_null_is_left_alone(check, script):
    assert not [hit for hit in _hits(check, script) if "no value" in hit.message]


def test_a_comparison_with_null_is_found_after_text_whose_capitals_are_longer(check):
    # str.upper() makes SS of ß: the words PR011 looks for first must be found where they are
    sql = "-- Schüler der Straße: " + "ß" * 30 + "\nSELECT e.personID FROM Enrollment e WHERE e.endDate = NULL"
    (hit,) = _hits(check, sql)
    assert sql[hit.span.start : hit.span.end] == "e.endDate = NULL"


def test_a_between_of_variables_that_hold_its_ends_the_wrong_way_round_matches_nothing(check, database):
    """The script's header sets the range; a year changed in one end and not the other crosses it."""
    script = ("DECLARE @from smallint = 2027, @to smallint = 2026\n"
              "SELECT e.personID FROM Enrollment e WHERE e.endYear BETWEEN @from AND @to\n"
              "SELECT e.personID FROM Enrollment e WHERE e.endYear NOT BETWEEN @from AND @to\n")
    hits = _hits(check, script)
    assert [hit.span.line for hit in hits] == [2, 3]
    assert hits[0].message.startswith("e.endYear BETWEEN @from AND @to is never true (@from holds 2027, @to holds 2026): "
                                      "BETWEEN takes the smaller bound first")
    assert hits[1].message.startswith("e.endYear NOT BETWEEN @from AND @to is true of every value but NULL (@from holds "
                                      "2027, @to holds 2026)")
    assert hits[0].remediation == hits[1].remediation == (
        "If a range was meant, give @from and @to the ends meant: as the script sets them, the range ends before it "
        "starts (a year changed in one and not the other is the usual cause).")
    assert _rows(database, "SELECT e.personID FROM Enrollment e WHERE e.endYear BETWEEN 2027 AND 2026") == []
    fixed = script.replace("@from smallint = 2027", "@from smallint = 2025")
    assert not _hits(check, fixed)
    assert not _hits(check, script.replace("\nSELECT", "\nSET @to = 2028\nSELECT", 1))  # set twice: not one value

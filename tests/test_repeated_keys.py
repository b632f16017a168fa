"""SH036: a key the rows of a temp table can repeat: an INSERT into a table made with one, or a
unique index or key added after a SELECT INTO. PostgreSQL refuses the repeated key as SQL Server
does (errors 2627 and 1505 there), the day the data holds a student enrolled twice, and runs
each fix the finding offers."""

from dataclasses import replace
from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_with

from advisor.catalog.load import load_bundled
from advisor.catalog.model import Column, Table
from advisor.pipeline import Checker
from advisor.sources import Source

_hits = partial(found, rule="SH036")

_KIDS = "CREATE TABLE #kids (personID int PRIMARY KEY, grade varchar(4))\n"
_FILL = "INSERT INTO #kids (personID, grade)\nSELECT e.personID, e.grade FROM Enrollment e WHERE e.endYear = 2026\n"


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Person (personID int PRIMARY KEY)",
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, endYear int, grade text)",
        "INSERT INTO Person VALUES (10), (11)",
        # student 10 moved to another school in the year: two enrollments in 2026
        "INSERT INTO Enrollment VALUES (1, 10, 412, 2026, '09'), (2, 10, 415, 2026, '09'), (3, 11, 412, 2026, '10')",
    ) as connection:
        yield connection


def _run(connection, *statements: str) -> list[tuple]:
    """The statements in PostgreSQL, in a transaction left undone; the rows of #kids."""
    with connection.transaction(force_rollback=True):
        for statement in statements:
            connection.execute(sqlglot.transpile(statement, read="tsql", write="postgres")[0])
        return connection.execute("SELECT personID, grade FROM kids ORDER BY personID").fetchall()


def test_a_key_the_rows_can_repeat_is_found_refused_and_a_row_per_key_runs(check, postgres):
    (hit,) = _hits(check, _KIDS + _FILL)
    assert hit.message == (
        "#kids is made on line 1 with PRIMARY KEY (personID), and Enrollment e has several rows for one e.personID: the "
        "first time two of the rows this INSERT gives share a personID, SQL Server stops it with error 2627 (\"Violation "
        "of PRIMARY KEY constraint ... Cannot insert duplicate key in object '#kids'\") and inserts none of them.")
    assert (hit.span.line, hit.span.column) == (2, 13)
    assert hit.remediation.startswith("Give #kids one row per personID: GROUP BY e.personID (with MAX() or MIN() of the "
                                      "other columns), or keep the latest with ROW_NUMBER() OVER (PARTITION BY "
                                      "e.personID ORDER BY ... DESC) = 1")
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, _KIDS, _FILL)
    grouped = _FILL.replace("e.grade FROM", "MAX(e.grade) FROM") + "GROUP BY e.personID\n"
    assert _hits(check, _KIDS + grouped) == []
    assert _run(postgres, _KIDS, grouped) == [(10, "09"), (11, "10")]


def test_a_row_repeated_by_a_join_is_found(check, postgres):
    fill = ("INSERT INTO #kids (personID)\nSELECT p.personID FROM Person p JOIN Enrollment e ON e.personID = p.personID "
            "WHERE e.endYear = 2026\n")
    (hit,) = _hits(check, _KIDS + fill)
    assert "and each Person p row is repeated for each of its Enrollment e rows:" in hit.message
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, _KIDS, fill)
    exists = ("INSERT INTO #kids (personID)\nSELECT p.personID FROM Person p WHERE EXISTS (SELECT 1 FROM Enrollment e "
              "WHERE e.personID = p.personID AND e.endYear = 2026)\n")
    assert _hits(check, _KIDS + exists) == []
    assert _run(postgres, _KIDS, exists) == [(10, None), (11, None)]


@pytest.mark.parametrize("made, fill, found_it", [
    # the key on the table, a UNIQUE one, a table variable's
    ("CREATE TABLE #kids (personID int, grade varchar(4), PRIMARY KEY (personID))", _FILL, True),
    ("CREATE TABLE #kids (personID int, grade varchar(4), CONSTRAINT UQ_kids UNIQUE (personID))", _FILL, True),
    ("DECLARE @kids TABLE (personID int PRIMARY KEY, grade varchar(4))", _FILL.replace("#kids", "@kids"), True),
    # no column list: the columns in the order they are made
    (_KIDS, _FILL.replace(" (personID, grade)", ""), True),
    # the student view: one row per enrollment
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT s.personID, s.grade FROM student s WITH (NOEXPAND) "
            "WHERE s.endYear = 2026", True),
    # one calendar: one enrollment per student, fixed directly or through the join
    (_KIDS, _FILL.replace("e.endYear = 2026", "e.calendarID = 412"), False),
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT e.personID, e.grade FROM Enrollment e JOIN Calendar c "
            "ON c.calendarID = e.calendarID WHERE c.calendarID = 412", False),
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT s.personID, s.grade FROM student s WITH (NOEXPAND) "
            "WHERE s.calendarID = 412", False),
    # a key the rows carry whole, and rows made one per key
    ("CREATE TABLE #kids (personID int, calendarID int, PRIMARY KEY (personID, calendarID))",
     "INSERT INTO #kids SELECT e.personID, e.calendarID FROM Enrollment e WHERE e.endYear = 2026", False),
    # DISTINCT over the key alone, or over a row a join repeats whole, keeps one row per key
    ("CREATE TABLE #kids (personID int PRIMARY KEY)", "INSERT INTO #kids (personID) SELECT DISTINCT e.personID "
     "FROM Enrollment e WHERE e.endYear = 2026", False),
    ("CREATE TABLE #kids (personID int PRIMARY KEY, studentNumber varchar(15))",
     "INSERT INTO #kids (personID, studentNumber) SELECT DISTINCT p.personID, p.studentNumber FROM Person p "
     "JOIN Enrollment e ON e.personID = p.personID WHERE e.endYear = 2026", False),
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT x.personID, x.grade FROM (SELECT e.personID, e.grade, "
            "ROW_NUMBER() OVER (PARTITION BY e.personID ORDER BY e.startDate DESC) AS n FROM Enrollment e) x WHERE x.n = 1",
     False),
    # no key at all, or none since the table was made again: in the next batch, or after a DROP by SELECT INTO
    ("CREATE TABLE #kids (personID int, grade varchar(4))", _FILL, False),
    (_KIDS + "DROP TABLE #kids\nGO\nCREATE TABLE #kids (personID int, grade varchar(4))", _FILL, False),
    (_KIDS + "DROP TABLE #kids\nSELECT p.personID, p.studentNumber AS grade INTO #kids FROM Person p WHERE 1 = 0",
     _FILL, False),
    # each person's contacts, from an APPLY that keeps them all
    ("CREATE TABLE #m (personID int PRIMARY KEY, email varchar(100))", "INSERT INTO #m (personID, email) SELECT "
     "p.personID, x.email FROM Person p CROSS APPLY (SELECT cs.email FROM v_CensusContactSummary cs WHERE cs.personID "
     "= p.personID) x", True),
    # a temp table filled once, from a row per enrollment
    ("SELECT e.personID, e.grade INTO #enr FROM Enrollment e WHERE e.endYear = 2026\n" + _KIDS,
     "INSERT INTO #kids (personID, grade) SELECT x.personID, x.grade FROM #enr x", True),
    # a view of a row per enrollment; a view's rows grouped per student; subtotals WITH ROLLUP
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT s.personID, s.grade FROM v_AdHocStudent s "
            "WHERE s.endYear = 2026", True),
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT x.personID, x.grade FROM (SELECT s.personID, MAX(s.grade) "
            "AS grade FROM v_AdHocStudent s WHERE s.endYear = 2026 GROUP BY s.personID) x", False),
    (_KIDS, "INSERT INTO #kids (personID, grade) SELECT x.personID, x.grade FROM (SELECT e.personID, MAX(e.grade) "
            "AS grade FROM Enrollment e WHERE e.endYear = 2026 GROUP BY e.personID WITH ROLLUP) x", False),
    # a list of students the script keys on personID: one row each, so Enrollment's rows decide
    ("CREATE TABLE #list (personID int PRIMARY KEY)\n" + _KIDS,
     "INSERT INTO #kids (personID, grade) SELECT e.personID, e.grade FROM Enrollment e "
     "JOIN #list l ON l.personID = e.personID WHERE e.endYear = 2026", True),
    # a list with no key, or read on other columns than its key: how many rows it has is not known
    ("CREATE TABLE #list (personID int)\n" + _KIDS,
     "INSERT INTO #kids (personID, grade) SELECT e.personID, e.grade FROM Enrollment e "
     "JOIN #list l ON l.personID = e.personID WHERE e.calendarID = 412", False),
    ("CREATE TABLE #list (personID int, calendarID int, PRIMARY KEY (personID, calendarID))\n" + _KIDS,
     "INSERT INTO #kids (personID) SELECT l.personID FROM #list l", False),
])
def test_the_key_and_the_rows_decide(check, made, fill, found_it):
    assert bool(_hits(check, f"{made}\n{fill}")) is found_it


_SELECTED = "SELECT e.personID, e.grade INTO #kids FROM Enrollment e WHERE e.endYear = 2026\n"
_INDEX = "CREATE UNIQUE INDEX ix_kids ON #kids (personID)"


def test_a_unique_index_added_after_select_into_is_found_and_refused(check, postgres):
    (hit,) = _hits(check, _SELECTED + _INDEX)
    assert hit.message.startswith(
        "#kids is filled on line 1 by SELECT INTO, and this UNIQUE INDEX asks for one row per personID: Enrollment e has "
        "several rows for one e.personID, and the first time the data holds two, SQL Server stops this statement with "
        "error 1505")
    assert (hit.span.line, hit.span.column) == (2, 1)
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, _SELECTED, _INDEX)
    grouped = _SELECTED.replace("e.grade INTO", "MAX(e.grade) AS grade INTO") + "GROUP BY e.personID\n"
    assert _hits(check, grouped + _INDEX) == []
    assert _run(postgres, grouped, _INDEX) == [(10, "09"), (11, "10")]


@pytest.mark.parametrize("added, found_it", [
    ("ALTER TABLE #kids ADD CONSTRAINT PK_kids PRIMARY KEY CLUSTERED (personID)", True),
    ("ALTER TABLE #kids ADD UNIQUE (personID)", True),
    ("CREATE UNIQUE CLUSTERED INDEX ix_kids ON #kids (personID, grade)", True),
    # an index that allows repeats, and a key the rows carry whole
    ("CREATE CLUSTERED INDEX ix_kids ON #kids (personID)", False),
    ("ALTER TABLE #kids ADD PRIMARY KEY (personID, calendarID)", False),
])
def test_a_key_added_after_select_into_is_judged_on_its_columns(check, added, found_it):
    selected = _SELECTED.replace("e.grade INTO", "e.grade, e.calendarID INTO")
    assert bool(_hits(check, selected + added)) is found_it


_UNKEYED = "CREATE TABLE #kids (personID int NOT NULL, grade varchar(4))\n"
_GROUPED = _FILL.replace("e.grade FROM", "MAX(e.grade) FROM") + "GROUP BY e.personID\n"


def test_a_key_added_after_an_insert_fills_the_table_is_found_and_refused(check, postgres):
    added = "ALTER TABLE #kids ADD UNIQUE (personID)"
    (hit,) = _hits(check, _UNKEYED + _FILL + added)
    assert hit.message.startswith("#kids is filled on line 2 by INSERT ... SELECT, and this UNIQUE asks for one row "
                                  "per personID: Enrollment e has several rows for one e.personID")
    assert hit.span.line == 4
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, _UNKEYED, _FILL, added)
    assert _hits(check, _UNKEYED + _GROUPED + added) == []
    assert _run(postgres, _UNKEYED, _GROUPED, added) == [(10, "09"), (11, "10")]


def test_rows_an_insert_adds_after_a_fill_of_one_row_each_can_repeat_the_key(check, postgres):
    """This year's students, one row each, then the summer school's enrollments, a row per
    enrollment: the index is refused for the INSERT's repeats."""
    grouped = _SELECTED.replace("e.grade INTO", "MAX(e.grade) AS grade INTO") + "GROUP BY e.personID\n"
    more = "INSERT INTO #kids (personID, grade)\nSELECT e.personID, e.grade FROM Enrollment e WHERE e.endYear = 2026\n"
    (hit,) = _hits(check, grouped + more + _INDEX)
    assert hit.message.startswith("#kids is filled on line 3 by INSERT ... SELECT")
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, grouped, more, _INDEX)


def test_rows_added_after_select_into_keep_its_repeats(check, postgres):
    more = "INSERT INTO #kids (personID, grade) SELECT p.personID, NULL FROM Person p WHERE p.personID = 12\n"
    (hit,) = _hits(check, _SELECTED + more + _INDEX)
    assert hit.message.startswith("#kids is filled on line 1 by SELECT INTO")
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, _SELECTED, more, _INDEX)


@pytest.mark.parametrize("between, found_it", [
    # the repeats taken away, or some rows: which rows are left is not known
    (";WITH d AS (SELECT personID, ROW_NUMBER() OVER (PARTITION BY personID ORDER BY grade) AS n FROM #kids)\n"
     "DELETE FROM d WHERE n > 1", False),
    ("DELETE FROM #kids WHERE grade IS NULL", False),
    ("MERGE #kids AS k USING Person p ON p.personID = k.personID WHEN NOT MATCHED BY SOURCE THEN DELETE;", False),
    # emptied, and filled again with a row per student, or with the repeats again
    ("TRUNCATE TABLE #kids\n" + _GROUPED.replace("2026", "2025"), False),
    ("DELETE FROM #kids\n" + _GROUPED.replace("2026", "2025"), False),
    ("TRUNCATE TABLE #kids\n" + _FILL.replace("2026", "2025"), True),
    # emptied only on some runs: the first fill's rows may still be there
    ("IF @redo = 1 TRUNCATE TABLE #kids\n" + _GROUPED.replace("2026", "2025"), False),
    ("IF @redo = 1 TRUNCATE TABLE #kids\n" + _FILL.replace("2026", "2025"), False),
    # emptied in a procedure the script defines, which runs when it is called, not here
    ("GO\nCREATE PROCEDURE dbo.reset_kids AS TRUNCATE TABLE #kids\nGO\n" + _GROUPED.replace("2026", "2025"), True),
])
def test_a_key_added_after_rows_are_taken_away_is_judged_on_the_rows_left(check, between, found_it):
    script = f"DECLARE @redo bit = 1\n{_SELECTED}{between}\n{_INDEX}"
    assert bool(_hits(check, script)) is found_it


_STAGING = Table("DistrictBusAssignment", columns=(Column("assignmentID", "int", False), Column("personID", "int", False),
                                                   Column("schoolID", "int")), primary_key=("personID",), rows=25_000)


@pytest.mark.parametrize("insert, found_it", [
    ("INSERT INTO dbo.DistrictBusAssignment (personID, schoolID) SELECT e.personID, c.schoolID FROM Enrollment e "
     "JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2026", True),
    ("INSERT INTO dbo.DistrictBusAssignment (personID, schoolID) SELECT e.personID, c.schoolID FROM Enrollment e "
     "JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.calendarID = 412", False),
    # without a column list the catalog's order of columns is not trusted
    ("INSERT INTO dbo.DistrictBusAssignment SELECT e.enrollmentID, e.personID, c.schoolID FROM Enrollment e "
     "JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2026", False),
])
def test_a_key_of_a_district_table_in_its_catalog_is_judged(insert, found_it):
    bundled = load_bundled()
    checker = Checker(replace(bundled, tables={**bundled.tables, "districtbusassignment": _STAGING}))
    hits = [f for f in checker.check(Source("q.sql", insert.encode())).findings if f.rule == "SH036"]
    assert bool(hits) is found_it
    assert not hits or hits[0].message.startswith(
        "DistrictBusAssignment has, in the catalog, PRIMARY KEY (personID), and Enrollment e has several rows for one "
        "e.personID: the first time two of the rows this INSERT gives share a personID, SQL Server stops it with error "
        "2627 (\"Violation of PRIMARY KEY constraint ... Cannot insert duplicate key in object 'dbo.DistrictBusAssignment'\")")


def test_distinct_keeps_the_rows_that_differ_in_another_column(check, postgres):
    """The usual way round a key violation: DISTINCT. Two enrollments of one student in two grades
    are two rows still."""
    distinct = _FILL.replace("SELECT e.personID", "SELECT DISTINCT e.personID")
    (hit,) = _hits(check, _KIDS + distinct)
    assert ("and Enrollment e has several rows for one e.personID, which DISTINCT keeps where another column differs: "
            in hit.message)
    with pytest.raises(psycopg.errors.UniqueViolation):
        _run(postgres, _KIDS, distinct.replace("e.grade", "e.calendarID"))


"""JN006: an UPDATE that takes a row's new value from several rows. PostgreSQL, like SQL Server,
changes each row once with one of the rows its FROM joins to it: the same rows stored in another
order give another value. The fix the finding offers (the rest of the key) gives one value. A
MERGE from such a source fails in both, the first time a row is matched twice."""

from dataclasses import replace
from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_with

from advisor.catalog.load import load_bundled
from advisor.pipeline import Checker
from advisor.sources import Source

_hits = partial(found, rule="JN006")

_COPY = ("UPDATE CustomStudent SET value = e.grade FROM Enrollment e "
         "WHERE e.personID = CustomStudent.personID AND CustomStudent.attributeID = 512")
# a student enrolled in two calendars: grade 09 in the first, 10 in the second
_ENROLLMENTS = [(1, 10, 11, "09"), (2, 10, 12, "10")]


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE CustomStudent (customID int, personID int, attributeID int, value text)",
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, grade text)",
    ) as connection:
        yield connection


def _copied(connection, tsql: str, enrollments: list[tuple]) -> str:
    """The value the UPDATE gives the student's one CustomStudent row, with the enrollments stored in this order."""
    connection.execute("DELETE FROM CustomStudent")
    connection.execute("DELETE FROM Enrollment")
    connection.execute("INSERT INTO CustomStudent VALUES (1, 10, 512, NULL)")
    for row in enrollments:
        connection.execute("INSERT INTO Enrollment VALUES (%s, %s, %s, %s)", row)
    connection.execute(sqlglot.transpile(tsql, read="tsql", write="postgres")[0])
    return connection.execute("SELECT value FROM CustomStudent").fetchone()[0]


def test_a_value_from_every_enrollment_of_the_student_is_found_and_depends_on_the_order_of_the_rows(check, postgres):
    (hit,) = _hits(check, _COPY)
    assert hit.message == (
        "value takes its new value from Enrollment e, which has several rows for each CustomStudent row (joined on "
        "e.personID only): SQL Server changes each CustomStudent row once, with the values of one of those rows, and "
        "which one is not defined. It may differ from run to run, with no error.")
    assert hit.remediation.startswith("Give each CustomStudent row one Enrollment row: join on the rest of its key "
                                      "(e.calendarID) with the one value meant, or join a derived table that keeps one "
                                      "row per e.personID")
    assert hit.objects == ("CustomStudent", "Enrollment")
    assert {_copied(postgres, _COPY, _ENROLLMENTS), _copied(postgres, _COPY, _ENROLLMENTS[::-1])} == {"09", "10"}
    fixed = _COPY.replace("WHERE ", "WHERE e.calendarID = 12 AND ")
    assert _hits(check, fixed) == []
    assert _copied(postgres, fixed, _ENROLLMENTS) == _copied(postgres, fixed, _ENROLLMENTS[::-1]) == "10"


@pytest.mark.parametrize("sql, start", [
    ("UPDATE cs SET cs.value = e.grade, cs.date = e.startDate FROM CustomStudent cs "
     "JOIN Enrollment e ON e.personID = cs.personID AND e.endYear = 2026",
     "cs.value and cs.date take their new values from Enrollment e, which has several rows for each CustomStudent cs "
     "row (joined on e.personID only)"),
    # through a table of one row each: the student's one Person row, then every enrollment of it
    ("UPDATE cs SET cs.value = e.grade FROM CustomStudent cs JOIN Person p ON p.personID = cs.personID "
     "JOIN Enrollment e ON e.personID = p.personID",
     "cs.value takes its new value from Enrollment e, which has several rows for each CustomStudent cs row (through "
     "Person p)"),
    # one calendar for each enrollment, and several enrollments for each student
    ("UPDATE cs SET cs.value = c.name FROM CustomStudent cs JOIN Enrollment e ON e.personID = cs.personID "
     "JOIN Calendar c ON c.calendarID = e.calendarID",
     "cs.value takes its new value from Calendar c, which has several rows for each CustomStudent cs row (through "
     "Enrollment e)"),
    ("UPDATE t SET t.grade = e.grade FROM #kids t JOIN Enrollment e ON e.personID = t.personID",
     "t.grade takes its new value from Enrollment e, which has several rows for each #kids t row"),
    # a derived table that passes on the columns of Enrollment's rows as they are
    ("UPDATE cs SET cs.value = x.grade FROM CustomStudent cs JOIN (SELECT e.personID, e.grade FROM Enrollment e "
     "WHERE e.endYear = 2026) x ON x.personID = cs.personID",
     "cs.value takes its new value from x, which has several rows for each CustomStudent cs row (joined on x.personID only)"),
    # an APPLY that finds one row for each of Enrollment's: its calendar, by key
    ("UPDATE cs SET cs.value = x.grade FROM CustomStudent cs JOIN (SELECT e.personID, e.grade, k.name FROM Enrollment e "
     "OUTER APPLY (SELECT c.name FROM Calendar c WHERE c.calendarID = e.calendarID) k WHERE e.endYear = 2026) x "
     "ON x.personID = cs.personID",
     "cs.value takes its new value from x, which has several rows for each CustomStudent cs row (joined on x.personID only)"),
    # an APPLY that keeps every contact it finds for the student
    ("UPDATE k SET k.email = x.email FROM #kids k CROSS APPLY (SELECT cs.email FROM v_CensusContactSummary cs "
     "WHERE cs.personID = k.personID) x",
     "k.email takes its new value from x, which has several rows for each #kids k row (the CROSS APPLY keeps every "
     "row its query finds)"),
    # views read as their definitions: the ad hoc student view has a row per enrollment, the
    # contact summary a row per related person
    ("UPDATE cs SET cs.value = s.grade FROM CustomStudent cs JOIN v_AdHocStudent s ON s.personID = cs.personID "
     "WHERE s.endYear = 2026",
     "cs.value takes its new value from v_AdHocStudent s, which has several rows for each CustomStudent cs row "
     "(joined on s.personID only)"),
    ("UPDATE k SET k.email = cs.email FROM #kids k JOIN v_CensusContactSummary cs ON cs.personID = k.personID "
     "WHERE cs.guardian = 1",
     "k.email takes its new value from v_CensusContactSummary cs, which has several rows for each #kids k row"),
    # a CTE of one row per student, then every enrollment of the student that started that day
    ("WITH firsts AS (SELECT e.personID, MIN(e.startDate) AS firstDay FROM Enrollment e GROUP BY e.personID)\n"
     "UPDATE k SET k.grade = e.grade FROM #kids k JOIN firsts f ON f.personID = k.personID "
     "JOIN Enrollment e ON e.personID = f.personID AND e.startDate = f.firstDay",
     "k.grade takes its new value from Enrollment e, which has several rows for each #kids k row (through firsts f)"),
    # grouped by the student and their calendar: a row for each calendar the student is enrolled in
    ("UPDATE k SET k.since = x.firstDay FROM #kids k JOIN (SELECT e.personID, e.calendarID, MIN(e.startDate) AS "
     "firstDay FROM Enrollment e GROUP BY e.personID, e.calendarID) x ON x.personID = k.personID",
     "k.since takes its new value from x, which has several rows for each #kids k row (joined on x.personID only)"),
])
def test_a_value_from_a_table_with_several_rows_for_the_changed_row_is_found(check, sql, start):
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(start)


@pytest.mark.parametrize("sql", [
    # the whole key, or the columns that tell the rows apart, name one row
    "UPDATE t SET t.grade = e.grade FROM #kids t JOIN Enrollment e ON e.enrollmentID = t.enrollmentID",
    "UPDATE cs SET cs.value = e.grade FROM CustomStudent cs JOIN Enrollment e ON e.personID = cs.personID "
    "AND e.calendarID = 412",
    "UPDATE cs SET cs.value = p.studentNumber FROM CustomStudent cs JOIN Person p ON p.personID = cs.personID",
    # the value does not come from the rows that repeat
    "UPDATE cs SET cs.value = 'Y' FROM CustomStudent cs JOIN Enrollment e ON e.personID = cs.personID",
    "UPDATE cs SET cs.value = cs.value + '*' FROM CustomStudent cs JOIN Enrollment e ON e.personID = cs.personID",
    # a derived table of one row per student, as the fix writes it
    "UPDATE cs SET cs.value = e.grade FROM CustomStudent cs JOIN (SELECT en.personID, en.grade, ROW_NUMBER() OVER "
    "(PARTITION BY en.personID ORDER BY en.startDate DESC) AS n FROM Enrollment en WHERE en.endYear = 2026) e "
    "ON e.personID = cs.personID AND e.n = 1",
    # grouped on the student, or one enrollment of the view by its key
    "UPDATE k SET k.since = x.firstDay FROM #kids k JOIN (SELECT e.personID, MIN(e.startDate) AS firstDay "
    "FROM Enrollment e WHERE e.endYear = 2026 GROUP BY e.personID) x ON x.personID = k.personID",
    "UPDATE t SET t.grade = s.grade FROM #kids t JOIN v_AdHocStudent s ON s.enrollmentID = t.enrollmentID",
    # an APPLY of the first contact, or of the row its calendar's key finds
    "UPDATE k SET k.email = x.email FROM #kids k CROSS APPLY (SELECT TOP 1 cs.email FROM v_CensusContactSummary cs "
    "WHERE cs.personID = k.personID ORDER BY cs.contactSequence, cs.contactPersonID) x",
    "UPDATE k SET k.school = x.name FROM #kids k CROSS APPLY (SELECT c.name FROM Calendar c WHERE c.calendarID = "
    "k.calendarID) x",
    # grouped on more than the join, but on what holds one value for the student: one row each
    "UPDATE k SET k.lastName = x.lastName FROM #kids k JOIN (SELECT e.personID, i.lastName, MIN(e.startDate) AS "
    "firstDay FROM Enrollment e JOIN Person p ON p.personID = e.personID JOIN [Identity] i ON i.identityID = "
    "p.currentIdentityID GROUP BY e.personID, i.lastName) x ON x.personID = k.personID",
    # or grouped on the student and a calendar, and joined on both
    "UPDATE k SET k.since = x.firstDay FROM #kids k JOIN (SELECT e.personID, e.calendarID, MIN(e.startDate) AS "
    "firstDay FROM Enrollment e GROUP BY e.personID, e.calendarID) x ON x.personID = k.personID "
    "AND x.calendarID = k.calendarID",
    # a DELETE removes each row once, whatever it joins to
    "DELETE cs FROM CustomStudent cs JOIN Enrollment e ON e.personID = cs.personID WHERE e.endYear = 2020",
])
def test_a_value_from_one_row_each_is_left_alone(check, sql):
    assert _hits(check, sql) == []


_MERGE = ("MERGE CustomStudent AS tgt USING (SELECT e.personID, e.grade FROM Enrollment e WHERE e.personID > 0) AS src "
          "ON tgt.personID = src.personID AND tgt.attributeID = 512 WHEN MATCHED THEN UPDATE SET tgt.value = src.grade "
          "WHEN NOT MATCHED THEN INSERT (personID, attributeID, value) VALUES (src.personID, 512, src.grade);")


def test_a_merge_from_several_rows_for_a_target_row_is_found_and_fails_and_one_row_each_runs(check, postgres):
    (hit,) = _hits(check, _MERGE)
    assert hit.message.startswith(
        "src has several rows for some CustomStudent tgt rows (the ON joins it on src.personID only), and the MERGE "
        "updates or deletes the rows it matches: the first time a CustomStudent row matches two, SQL Server stops the "
        "statement with error 8672")
    assert hit.remediation.startswith("Give the MERGE one source row for each CustomStudent row: keep one row per "
                                      "src.personID in the source")
    with pytest.raises(psycopg.errors.CardinalityViolation):
        _copied(postgres, _MERGE, _ENROLLMENTS)
    fixed = _MERGE.replace("e.personID > 0", "e.calendarID = 12")
    assert _hits(check, fixed) == []
    assert _copied(postgres, fixed, _ENROLLMENTS) == "10"


@pytest.mark.parametrize("source, found", [
    # an indexed view with a row per enrollment
    ("SELECT s.personID, s.grade FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026", True),
    ("Enrollment", True),
    # a table joined to one row each passes on the rows of the other: its enrollments, fixed or not to one calendar
    ("SELECT e.personID, c.name AS grade FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
     "WHERE c.endYear = 2026", True),
    ("SELECT e.personID, c.name AS grade FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
     "WHERE c.calendarID = 412", False),
    # one row per person: by the key, by GROUP BY, by ROW_NUMBER() ... = 1
    ("SELECT p.personID, p.studentNumber AS grade FROM Person p", False),
    ("SELECT e.personID, MAX(e.grade) AS grade FROM Enrollment e GROUP BY e.personID", False),
    ("SELECT e.personID, e.grade FROM (SELECT en.personID, en.grade, ROW_NUMBER() OVER (PARTITION BY en.personID "
     "ORDER BY en.startDate DESC) AS n FROM Enrollment en) e WHERE e.n = 1", False),
])
def test_a_merge_source_is_judged_by_its_rows_for_each_target_row(check, source, found):
    using = source if " " not in source else f"({source})"
    sql = (f"MERGE CustomStudent AS tgt USING {using} AS src ON tgt.personID = src.personID AND tgt.attributeID = 512 "
           "WHEN MATCHED THEN UPDATE SET tgt.value = src.grade;")
    assert bool(_hits(check, sql)) is found


def test_a_merge_that_only_inserts_is_left_alone(check):
    only_inserts = _MERGE.replace("WHEN MATCHED THEN UPDATE SET tgt.value = src.grade ", "")
    assert _hits(check, only_inserts) == []


def test_a_table_with_no_key_in_the_catalog_is_not_judged():
    """A district's own catalog can hold a heap: nothing says what tells its rows apart."""
    bundled = load_bundled()
    heap = replace(bundled.tables["enrollment"], primary_key=(), indexes=(), grains=())
    checker = Checker(replace(bundled, tables={**bundled.tables, "enrollment": heap}))
    rules = {f.rule for f in checker.check(Source("q.sql", _COPY.encode())).findings}
    assert "JN006" not in rules and "JN006" in {f.rule for f in Checker(bundled).check(Source("q.sql", _COPY.encode())).findings}



_ENROLLED = "SELECT e.personID, e.calendarID, e.grade INTO #enr FROM Enrollment e WHERE e.endYear = 2026\n"
_FROM_ENR = "UPDATE k SET k.grade = x.grade FROM #kids k JOIN #enr x ON x.personID = k.personID"


@pytest.mark.parametrize("script, found_it", [
    # a row per enrollment: several for a student, one for a student's calendar
    (_ENROLLED + _FROM_ENR, True),
    (_ENROLLED + _FROM_ENR + " AND x.calendarID = k.calendarID", False),
    # filled in order: an INSERT's column list, or the table's columns as made, not the names selected
    ("CREATE TABLE #enr (personID int, enrollmentID int)\nINSERT INTO #enr (enrollmentID, personID) "
     "SELECT e.enrollmentID, e.personID FROM Enrollment e\n" + _FROM_ENR.replace("x.grade", "x.enrollmentID"), True),
    ("CREATE TABLE #enr (personID int, grade varchar(4))\nINSERT INTO #enr SELECT e.personID AS id, e.grade "
     "FROM Enrollment e\n" + _FROM_ENR, True),
    # the fill after a DROP is the one; rows taken away after it leave a row per student, or may
    ("SELECT p.personID, p.studentNumber AS grade INTO #enr FROM Person p\nDROP TABLE #enr\n" + _ENROLLED + _FROM_ENR,
     True),
    # a key the table was made with is gone with it: made again, its fill is what it holds
    ("CREATE TABLE #enr (personID int PRIMARY KEY, grade varchar(4))\nDROP TABLE #enr\n" + _ENROLLED + _FROM_ENR, True),
    (_ENROLLED + "DELETE FROM #enr WHERE calendarID <> 412\n" + _FROM_ENR, False),
    # filled in a procedure's body: read there, or after it, where the table it made is gone
    ("CREATE PROCEDURE dbo.grades AS\nBEGIN\n" + _ENROLLED + _FROM_ENR + "\nEND", True),
    ("CREATE PROCEDURE dbo.grades AS\nBEGIN\n" + _ENROLLED + "END\nGO\n" + _FROM_ENR, False),
    # emptied and filled again: the new fill is what it holds, unless the emptying may not have run
    ("CREATE TABLE #enr (personID int, grade varchar(4))\nINSERT INTO #enr SELECT p.personID, NULL FROM Person p\n"
     "TRUNCATE TABLE #enr\nINSERT INTO #enr SELECT e.personID, e.grade FROM Enrollment e\n" + _FROM_ENR, True),
    ("DECLARE @enr TABLE (personID int, grade varchar(4))\nINSERT INTO @enr SELECT p.personID, NULL FROM Person p\n"
     "DELETE FROM @enr\nINSERT INTO @enr SELECT e.personID, e.grade FROM Enrollment e\n"
     + _FROM_ENR.replace("#enr", "@enr"), True),
    ("CREATE TABLE #enr (personID int, grade varchar(4))\nINSERT INTO #enr SELECT p.personID, NULL FROM Person p\n"
     "IF @@ROWCOUNT > 0 TRUNCATE TABLE #enr\nINSERT INTO #enr SELECT e.personID, e.grade FROM Enrollment e\n"
     + _FROM_ENR, False),
    # a row per student, DISTINCT when filled, then every enrollment of the student
    ("SELECT DISTINCT e.personID INTO #enr FROM Enrollment e WHERE e.endYear = 2026\n"
     "UPDATE k SET k.grade = e.grade FROM #kids k JOIN #enr x ON x.personID = k.personID "
     "JOIN Enrollment e ON e.personID = x.personID", True),
    # a row per student, grouped when filled, then every enrollment of the student that started that day
    ("SELECT e.personID, MIN(e.startDate) AS firstDay INTO #firsts FROM Enrollment e GROUP BY e.personID\n"
     "UPDATE k SET k.grade = e.grade FROM #kids k JOIN #firsts f ON f.personID = k.personID "
     "JOIN Enrollment e ON e.personID = f.personID AND e.startDate = f.firstDay", True),
])
def test_a_temp_table_is_judged_by_the_one_query_that_filled_it(check, script, found_it):
    """A fill that repeats in a loop, a second statement that adds rows, and a UNION leave what
    the table holds unknown: not judged."""
    assert bool(_hits(check, script)) is found_it


def test_a_merge_target_is_named_with_the_article_it_is_read_with(check):
    (hit,) = _hits(check, "MERGE INTO ExtractStudents AS t USING (SELECT s.personID, s.grade FROM student s WITH (NOEXPAND) "
                          "WHERE s.endYear = 2026) AS src ON t.personID = src.personID WHEN MATCHED THEN UPDATE SET "
                          "t.grade = src.grade;")
    assert "the first time an ExtractStudents row matches two," in hit.message

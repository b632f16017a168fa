"""SH023: a variable used after the GO that ended its batch; SH024: a temp table or variable made
twice in one batch. No engine here runs T-SQL batches; the rules follow SQL Server's documented
scope of a variable and of a temp table's name: the batch that makes it."""

from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="SH023")


DECLARE = "-- Author: T\nDECLARE @year smallint = 2027;\n"
READ = "SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.endYear = @year;\n"


def test_a_variable_read_after_the_go_that_ended_its_batch_is_found_once(check):
    (hit,) = _hits(check, DECLARE + "GO\n" + READ + "SET @year = @year + 1;\nGO\n" + READ)
    assert hit.severity == "error" and (hit.span.line, hit.span.column, hit.span.end_column) == (4, 73, 77)
    assert hit.message == ("@year was declared on line 2, in an earlier batch: a variable lasts only until the GO that "
                           "ends its batch, so SQL Server stops this batch with error 137, \"Must declare the scalar "
                           "variable\".")
    assert hit.remediation == "Declare and set @year again after the GO, or remove the GO between the two."


def test_a_table_variable_has_its_own_error(check):
    sql = "DECLARE @kids TABLE (personID int);\nGO\nSELECT k.personID FROM @kids k;\n"
    (hit,) = _hits(check, sql)
    assert "error 1087, \"Must declare the table variable\"" in hit.message and hit.span.line == 3


@pytest.mark.parametrize("sql", [
    DECLARE + READ + "GO\n",  # in its own batch
    DECLARE + "GO\nDECLARE @year smallint = 2026;\n" + READ,  # declared again
    "GO\n" + READ,  # never declared: a report's parameter
    DECLARE + "GO\nSELECT @@ROWCOUNT AS n;\nEXEC ('SELECT 1 AS year');\n",
    DECLARE + READ,  # one batch
    DECLARE + "GO\nEXEC dbo.rosterFor @year = 2027, @count = @@ROWCOUNT;\n",  # the names of a procedure's parameters
])
def test_variables_in_their_own_batch_or_never_declared_are_left_alone(check, sql):
    assert _hits(check, sql) == []


_twice = partial(found, rule="SH024")


KIDS = "SELECT e.personID INTO #kids FROM Enrollment e WHERE e.endYear = {};\n"


@pytest.mark.parametrize("sql, first, line", [
    (KIDS.format(2027) + "DROP TABLE #kids;\n" + KIDS.format(2026), 1, 3),
    ("IF DATEPART(month, GETDATE()) > 6\n  " + KIDS.format(2027) + "ELSE\n  " + KIDS.format(2026), 2, 4),
    ("CREATE TABLE #kids (personID int);\n" + KIDS.format(2027), 1, 2),
])
def test_a_temp_table_made_twice_in_one_batch_is_refused(check, sql, first, line):
    """SQL Server's CREATE TABLE documentation: temp tables created in one batch or procedure
    must have different names; it compiles the batch whole, so a DROP between does not help."""
    (hit,) = _twice(check, sql)
    assert hit.severity == "error" and hit.span.line == line
    assert hit.message.startswith(f"#kids is created again in the batch that created it on line {first}: SQL Server refuses the "
                                  "whole batch before it runs, even with a DROP TABLE between the two (error 2714")


def test_a_variable_declared_twice_in_one_batch_is_refused(check):
    (hit,) = _twice(check, "DECLARE @year smallint = 2027;\nSELECT @year AS y;\nDECLARE @Year smallint = 2026;\n")
    assert (hit.span.line, hit.span.column) == (3, 9)
    assert hit.message == ("@Year is declared again in the batch that declared it on line 1: SQL Server refuses the whole "
                           "batch (error 134, \"The variable name '@Year' has already been declared\").")


@pytest.mark.parametrize("sql", [
    KIDS.format(2027) + "GO\n" + KIDS.format(2026),  # a batch each
    "DECLARE @year smallint = 2027;\nGO\nDECLARE @year smallint = 2026;\n",
    KIDS.format(2027) + "SELECT e.personID INTO #tenth FROM Enrollment e WHERE e.endYear = 2027;\n",
    "DECLARE @sql nvarchar(200) = N'DECLARE @year int = 1';\nEXEC (@sql);\nDECLARE @year int = 2;\n",  # the EXEC's own batch
])
def test_names_made_once_in_their_batch_are_left_alone(check, sql):
    assert _twice(check, sql) == []


_before = partial(found, rule="SH025")


READ_KIDS = "SELECT k.personID FROM #kids k JOIN Enrollment e ON e.personID = k.personID WHERE e.endYear = 2027;\n"


@pytest.mark.parametrize("sql, line, column", [
    (READ_KIDS + KIDS.format(2027), 1, 24),
    ("INSERT INTO #kids (personID) SELECT 5;\n" + KIDS.format(2027), 1, 13),
    # temp tables outlive GO: the order in the file is what counts
    ("IF OBJECT_ID('tempdb..#kids') IS NOT NULL DROP TABLE #kids;\n" + READ_KIDS + "GO\n" + KIDS.format(2027), 2, 24),
])
def test_a_temp_table_used_above_the_statement_that_creates_it_is_found_once(check, sql, line, column):
    (hit,) = _before(check, sql + READ_KIDS)
    created = sql.count("\n")
    assert hit.severity == "error" and (hit.span.line, hit.span.column) == (line, column)
    assert hit.message == (f"#kids is used here, but the script creates it only on line {created}: run as written, SQL "
                           "Server stops this statement with error 208, \"Invalid object name '#kids'\" (unless an "
                           "earlier run in the same session left it behind).")


def test_a_temp_table_used_before_it_is_created_on_the_same_line_is_found(check):
    sql = READ_KIDS.rstrip("\n") + " " + KIDS.format(2027)
    (hit,) = _before(check, sql)
    assert (hit.span.line, hit.span.column) == (1, 24)
    assert hit.message.startswith("#kids is used here, but the script creates it only later on this line: run as written")
    assert hit.remediation == "Create #kids before its first use: move the statement that creates it before this one."


@pytest.mark.parametrize("drop, column", [
    ("DROP TABLE #kids;\n", 12),
    ("DROP TABLE #other, #kids;\n", 20),  # #other is not this file's
])
def test_a_temp_table_dropped_above_the_statement_that_creates_it_fails_in_a_new_session(check, drop, column):
    (hit,) = _before(check, drop + KIDS.format(2027))
    assert hit.severity == "warning" and (hit.span.line, hit.span.column) == (1, column)
    assert hit.message.startswith("#kids is dropped here and created only on line 2: in the author's SSMS window")
    assert "error 3701" in hit.message
    assert hit.remediation.startswith("Drop it only where it exists: DROP TABLE IF EXISTS #kids (SQL Server 2016")


@pytest.mark.parametrize("drop", ["DROP TABLE #kids;\n", "DROP TABLE IF EXISTS #kids;\n", "GO\nDROP TABLE #kids;\n"])
def test_a_temp_table_used_after_a_drop_nothing_undoes_is_found(check, drop):
    """The clean-up moved up by mistake: the last SELECT reads a table already dropped, in every
    session, every run."""
    sql = KIDS.format(2027) + READ_KIDS + drop + READ_KIDS
    (hit,) = _before(check, sql)
    dropped = sql.count("\n") - 1
    assert hit.severity == "error" and (hit.span.line, hit.span.column) == (dropped + 1, 24)
    assert hit.message == (f"#kids is used here, but line {dropped} drops it and nothing creates it again before this: SQL "
                           "Server stops this statement with error 208, \"Invalid object name '#kids'\".")
    assert hit.remediation == f"Move the DROP TABLE #kids on line {dropped} below the last statement that uses #kids."


@pytest.mark.parametrize("sql", [
    KIDS.format(2027) + READ_KIDS,
    READ_KIDS,  # made by the session or a calling procedure: not this file's to say
    # dropped, then made again; dropped only where it exists, inside an IF
    KIDS.format(2027) + "DROP TABLE #kids;\n" + KIDS.format(2026) + READ_KIDS,
    KIDS.format(2027) + "IF @@ROWCOUNT = 0 DROP TABLE #kids;\n" + READ_KIDS,
    "IF OBJECT_ID('tempdb..#kids') IS NOT NULL DROP TABLE #kids;\n" + KIDS.format(2027),
    "DROP TABLE IF EXISTS #kids;\n" + KIDS.format(2027),
    KIDS.format(2027) + READ_KIDS + "DROP TABLE #kids;\n",
    "DROP TABLE #kids;\n",
])
def test_temp_tables_made_first_or_elsewhere_are_left_alone(check, sql):
    assert _before(check, sql) == []

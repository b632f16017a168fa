"""SH045: a temp table or table variable filled with a query's rows that no statement of the script
reads, so that all the work of filling it is for nothing."""

import pytest
from checked import found

FILL = ("SELECT a.personID, COUNT(*) AS n INTO #absences FROM Attendance a JOIN Calendar c "
        "ON c.calendarID = a.calendarID WHERE c.endYear = 2026 GROUP BY a.personID;\n")
ENDING = "SELECT s.name FROM School s WHERE s.schoolID = 12;\n"


def test_a_temp_table_nothing_reads_is_pointed_at_where_it_is_filled(check):
    sql = FILL + "INSERT INTO #absences (personID, n) SELECT e.personID, 0 FROM Enrollment e WHERE e.endYear = 2026;\n" + ENDING
    (finding,) = found(check, sql, "SH045")
    assert finding.span.line == 1 and sql[finding.span.start:finding.span.end] == "#absences"
    assert finding.message.startswith("#absences is filled here (and again on line 2), but no statement of the "
                                      "script reads it: SQL Server does all the work of filling it (reading "
                                      "Attendance and Calendar) for nothing")


def test_a_table_variable_is_pointed_at_by_its_name(check):
    sql = "DECLARE @kids TABLE (personID int);\nINSERT INTO @kids SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026;\n"
    (finding,) = found(check, sql + ENDING, "SH045")
    assert finding.span.line == 2 and (sql + ENDING)[finding.span.start:finding.span.end] == "@kids"
    assert "(reading Enrollment)" in finding.message


@pytest.mark.parametrize("after", [
    "UPDATE #absences SET n = 0 WHERE n IS NULL;",
    "DELETE FROM #absences WHERE n < 5;",
    "CREATE INDEX ix ON #absences (personID);",
    "DROP TABLE #absences;",
])
def test_changing_indexing_or_dropping_it_is_not_reading_it(check, after):
    assert found(check, FILL + after + "\n" + ENDING, "SH045")


@pytest.mark.parametrize("after", [
    "SELECT p.studentNumber, x.n FROM Person p JOIN #absences x ON x.personID = p.personID;",
    "IF EXISTS (SELECT 1 FROM #absences) PRINT 'absences';",
    "WHILE (SELECT COUNT(*) FROM #absences) > 100 DELETE TOP (10) FROM #absences;",
    "DECLARE @most int = (SELECT MAX(n) FROM #absences);",
    "DECLARE kids CURSOR FOR SELECT personID FROM #absences;",
    "INSERT INTO #other SELECT personID FROM #ABSENCES;",  # #other is unread, #absences is read
    "UPDATE e SET e.grade = '09' FROM Enrollment e JOIN #absences x ON x.personID = e.personID WHERE e.endYear = 2026;",
    "MERGE #kept AS k USING #absences AS x ON k.personID = x.personID WHEN NOT MATCHED THEN INSERT (personID) VALUES (x.personID);",
    # what sqladvise cannot follow may read it: a procedure sees its caller's temp tables, and so does dynamic SQL
    "EXEC dbo.absence_letters;",
    "DECLARE @sql nvarchar(max) = N'SELECT * FROM #' + N'absences'; EXEC (@sql);",
    "SELECT TOP @n x.personID FROM #absences x;",  # a statement SQL Server rejects, which sqladvise cannot read
    # the rows a change takes from it, returned by its OUTPUT clause or kept in another table
    "DELETE FROM #absences OUTPUT deleted.personID WHERE n < 5;",
    "UPDATE #absences SET n = 0 OUTPUT inserted.personID, deleted.n INTO #zeroed WHERE n IS NULL;",
])
def test_a_temp_table_read_anywhere_or_possibly_read_is_not_pointed_at(check, after):
    said = [f.message for f in found(check, FILL + after + "\n" + ENDING, "SH045")]
    assert not [message for message in said if message.startswith("#absences")]


def test_rows_an_insert_s_output_clause_returns_reach_a_result(check):
    fill = "DECLARE @kids TABLE (personID int);\nINSERT INTO @kids {}SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026;\n"
    assert not found(check, fill.format("OUTPUT inserted.personID ") + ENDING, "SH045")
    assert found(check, fill.format("") + "DELETE FROM @kids WHERE personID < 0; -- no OUTPUT: nothing returned\n", "SH045")


def test_a_table_variable_is_read_by_a_procedure_only_when_it_is_passed(check):
    fill = "DECLARE @kids dbo.PersonList;\nINSERT INTO @kids SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026;\n"
    assert found(check, fill + "EXEC dbo.letters;\n", "SH045")
    assert not found(check, fill + "EXEC dbo.letters @people = @kids;\n", "SH045")


@pytest.mark.parametrize("sql", [
    # a global temp table: another session can read it
    FILL.replace("#absences", "##absences") + ENDING,
    # rows written as values cost little to write
    "CREATE TABLE #codes (code char(1));\nINSERT INTO #codes VALUES ('A'), ('U');\n" + ENDING,
    # the work a string EXEC runs makes a temp table that ends with it
    "EXEC ('SELECT e.personID INTO #kids FROM Enrollment e WHERE e.endYear = 2026');\n" + ENDING,
])
def test_tables_no_later_statement_could_read_are_not_pointed_at(check, sql):
    assert not found(check, sql, "SH045")

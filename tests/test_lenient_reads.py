"""Mistakes a report writer makes that sqlglot reads past and SQL Server rejects: each is reported
where it is (PA001), not counted as read."""

import pytest
from checked import rejected_at

from advisor.frontend.parse import read_script


@pytest.mark.parametrize(
    "text, near, reason",
    [
        # the last item commented out, its comma left
        ("UPDATE #t SET a = 1, -- b = 2\nWHERE a = 0", ",", "a comma before WHERE"),
        ("SELECT e.grade, COUNT(*) FROM Enrollment e GROUP BY e.grade, ORDER BY e.grade", ",", "a comma before ORDER BY"),
        ("SELECT e.grade FROM Enrollment e GROUP BY e.grade, HAVING COUNT(*) > 1", ",", "a comma before HAVING"),
        ("SELECT e.grade, FROM Enrollment e", ",", "a comma before FROM"),
        ("SELECT e.grade FROM Enrollment e, UNION SELECT '09'", ",", "a comma before UNION"),
        # a derived table without its alias
        ("SELECT x.a FROM (SELECT 1 AS a)", "(SELECT 1 AS a)", "needs a name"),
        ("SELECT p.personID FROM Person p CROSS APPLY (SELECT TOP 1 e.grade FROM Enrollment e)",
         "(SELECT TOP 1 e.grade FROM Enrollment e)", "needs a name"),
        ("SELECT p.personID FROM Person p JOIN (SELECT e.personID FROM Enrollment e) ON 1 = 1",
         "(SELECT e.personID FROM Enrollment e)", "needs a name"),
        ("SELECT * FROM (VALUES (1), (2))", "(VALUES (1), (2))", "needs a name"),
        ("SELECT * FROM VALUES (1), (2)", "(1), (2)", "needs a name"),  # no parenthesis after it: no crash
        # clauses out of SQL Server's order
        ("SELECT e.grade FROM Enrollment e ORDER BY e.grade WHERE e.endYear = 2026", "WHERE", "after ORDER BY"),
        ("SELECT e.grade FROM Enrollment e GROUP BY e.grade ORDER BY e.grade HAVING COUNT(*) > 1", "HAVING",
         "after ORDER BY"),
        ("SELECT e.grade FROM Enrollment e GROUP BY e.grade WHERE e.endYear = 2026", "WHERE", "after GROUP BY"),
        # a comma left out between two strings, which sqlglot joins into one
        ("SELECT e.personID FROM Enrollment e WHERE e.grade IN ('09' '10')", "'10'", "nothing between two strings"),
        # a CTE without its AS
        ("WITH active (SELECT e.personID FROM Enrollment e) SELECT a.personID FROM active a", "active",
         "AS before its query"),
        # OUTER JOIN without the side whose rows it keeps
        ("SELECT p.personID FROM Person p OUTER JOIN Enrollment e ON e.personID = p.personID", "OUTER",
         "LEFT, RIGHT or FULL"),
        # a CASE ... WHEN without its THEN
        ("SELECT CASE e.grade WHEN 9 'Freshman' END FROM Enrollment e", "WHEN", "needs its THEN"),
        # a clause with nothing in it
        ("SELECT p.personID FROM FROM Person p", "FROM", "nothing after it"),
        ("SELECT p.personID INTO FROM Person p", "INTO", "nothing after it"),
        ("SELECT GETDATE(1) FROM Person p", "GETDATE(1)", "takes 0 arguments"),
        ("TRUNCATE #kids", "TRUNCATE", "TRUNCATE needs TABLE"),
        ("INSERT INTO VALUES (1)", "INSERT INTO VALUES (1)", "an INSERT needs the table it fills"),
        ("CREATE TABLE #kids", "CREATE TABLE #kids", "CREATE TABLE needs its columns"),
        ("UPDATE e SET e.grade = '10' FROM Enrollment e WHERE e.grade = '09' WHERE e.endYear = 2026", "WHERE",
         "a second WHERE in one query"),
        ("SELECT e.grade FROM Enrollment e ORDER BY e.grade UNION SELECT '09'", "UNION", "an ORDER BY before UNION"),
        ("SELECT e.personID INTO @kids FROM Enrollment e", "INTO", "cannot fill the table variable @kids"),
        ("SELECT e.personID FROM Enrollment e WHERE e.endDate NOT NULL", "NOT NULL", "a test for NULL needs IS"),
        ("SELECT e.personID FROM Enrollment e WITH (NOLOK)", "NOLOK", "is it NOLOCK?"),
        # a table hint without its parentheses: after the alias, sqlglot and SQL Server stop at it
        ("SELECT e.personID FROM Enrollment e NOLOCK WHERE e.calendarID = 4", "NOLOCK",
         "NOLOCK is a table hint: SQL Server takes it in parentheses, WITH (NOLOCK)"),
        ("SELECT e.personID FROM Enrollment AS e WITH READUNCOMMITTED", "READUNCOMMITTED",
         "READUNCOMMITTED is a table hint: SQL Server takes it in parentheses"),
        ("SELECT e.personID FROM Enrollment e OPTION (RECOMPLE)", "OPTION (RECOMPLE)", "is it RECOMPILE?"),
        ("SELECT e.personID FROM Enrollment e OPTION (MAXDOP 1, HASH JION)", "OPTION (MAXDOP 1, HASH JION)",
         "is it HASH JOIN?"),
        # DISTINCT in a window's aggregate, a percentile without its window, WITH TIES with no order
        ("SELECT e.personID, COUNT(DISTINCT e.calendarID) OVER (PARTITION BY e.personID) AS n FROM Enrollment e",
         "COUNT(DISTINCT e.calendarID)", "SQL Server rejects DISTINCT in a window's aggregate (error 10759)"),
        ("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY e.startDate) AS m FROM Enrollment e",
         "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY e.startDate)", "PERCENTILE_CONT needs OVER after its WITHIN GROUP"),
        ("SELECT TOP 10 WITH TIES e.personID FROM Enrollment e", "TIES", "WITH TIES needs an ORDER BY"),
        ("SELECT TOP 10 e.personID FROM Enrollment e ORDER BY e.personID OFFSET 5 ROWS", "TOP", "(error 10741)"),
        ("SELECT e.personID FROM Enrollment e UNION ALL SELECT p.personID INTO #kids FROM Person p", "INTO",
         "SQL Server takes it only in the first one, and rejects it here (error 196)"),
        # a hint without the number it needs, given another value, or given one it takes none of
        ("SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 OPTION (MAXDOP)", "OPTION (MAXDOP)",
         "OPTION (MAXDOP) needs its number, OPTION (MAXDOP 1)"),
        ("SELECT e.personID FROM Enrollment e OPTION (RECOMPILE, FAST)", "OPTION (RECOMPILE, FAST)",
         "OPTION (FAST) needs its number"),
        ("SELECT e.personID FROM Enrollment e OPTION (MAX_GRANT_PERCENT)", "OPTION (MAX_GRANT_PERCENT)",
         "OPTION (MAX_GRANT_PERCENT = 10)"),
        ("WITH n AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM n WHERE x < @top) SELECT x FROM n OPTION (MAXRECURSION @top)",
         "OPTION (MAXRECURSION @top)", "MAXRECURSION takes a whole number written out"),
        ("SELECT e.personID FROM Enrollment e OPTION (MAXDOP 1.5)", "OPTION (MAXDOP 1.5)", "takes a whole number"),
        ("SELECT e.personID FROM Enrollment e OPTION (MAX_GRANT_PERCENT 10)", "OPTION (MAX_GRANT_PERCENT 10)",
         "MAX_GRANT_PERCENT takes a number written out, OPTION (MAX_GRANT_PERCENT = 10)"),
        ("SELECT e.personID FROM Enrollment e OPTION (RECOMPILE 5)", "OPTION (RECOMPILE 5)",
         "OPTION (RECOMPILE) takes nothing after it"),
        ("INSERT INTO #t (a, b) VALUES (1, 2) (3, 4)", "3", "a comma is missing between two rows of VALUES"),
        ("INSERT INTO #t (a, b) VALUES (1, 2), (3)", "(3)", "each row of VALUES needs as many values as the first, 2"),
        # a column or an argument given twice
        ("UPDATE e SET e.grade = '10', grade = '11' FROM Enrollment e", "grade", "set twice in one SET"),
        ("UPDATE #t SET @n = total = 0, total += 1", "total", "(error 264)"),
        ("MERGE #k AS k USING #n AS n ON k.a = n.a WHEN MATCHED THEN UPDATE SET k.b = n.b, B = 2;", "B", "set twice"),
        ("SELECT e.grade FROM Enrollment e ORDER BY e.grade, e.personID, E.Grade DESC", "E.Grade DESC",
         "names the same column twice, and SQL Server rejects it (error 169)"),
        ("SELECT e.grade, e.personID FROM Enrollment e ORDER BY 2, 1, 2", "2", "(error 169)"),
        ("EXEC dbo.rosterFor @year = 2027, 14", "14", "given by position after an argument given by name"),
        ("SELECT e.personID FROM Enrollment e JOIN Person e ON e.personID = e.personID", "e",
         "two tables of this FROM go by the name e, and SQL Server rejects it (error 1011)"),
        ("SELECT e.personID FROM Enrollment e, Calendar c, Enrollment e", "e", "(error 1011)"),
        ("SELECT Person.personID FROM Person CROSS JOIN Person", "Person", "(error 1013)"),
        ("SELECT e.grade FROM Enrollment e ORDER BY 2", "2", "ORDER BY 2 sorts by the SELECT list's item of that number, "
         "and it has 1: SQL Server rejects it (error 108)"),
        ("SELECT e.grade FROM Enrollment e UNION SELECT '09' ORDER BY 0 DESC", "0 DESC", "(error 108)"),
        # a constant where an ORDER BY needs a column: a quoted alias is only text there
        ("SELECT 'Last Name' = i.lastName, i.firstName AS 'First' FROM [Identity] i ORDER BY 'Last Name', 'first'",
         "'Last Name'", "ORDER BY 'Last Name' sorts by that text, the same for every row, not by the column the SELECT "
         "list names so: SQL Server rejects a constant there (error 408); write the name in brackets, ORDER BY "
         "[Last Name], near 'Last Name'"),
        ("SELECT i.lastName AS 'First' FROM [Identity] i ORDER BY i.lastName, 'first' DESC", "'first'",
         "ORDER BY [First]"),
        ("SELECT i.lastName FROM [Identity] i ORDER BY -1", "-1", "ORDER BY -1 is a constant, the same for every row: "
         "SQL Server rejects it (error 408); sort by a column, an alias or a position of the SELECT list"),
        ("SELECT i.lastName FROM [Identity] i ORDER BY CASE WHEN 1 = 1 THEN 2 END", "CASE WHEN 1 = 1 THEN 2 END",
         "(error 408)"),
        ("SELECT i.personID, ROW_NUMBER() OVER (PARTITION BY i.lastName ORDER BY 1) AS n FROM [Identity] i", "1",
         "the window's ORDER BY 1 is a constant, and a window takes no positions: SQL Server rejects it (error 5309); "
         "where any order will do, write ORDER BY (SELECT NULL)"),
        ("EXEC dbo.rosterFor @year = 2027, @school = 14, @YEAR = 2026", "@YEAR = 2026", "given twice"),
        ("SELECT TOP (0.5) e.grade FROM Enrollment e", "0.5", "not a whole number of rows, and SQL Server rejects it "
         "(error 1060)"),
        # a half-edited statement a mutation fuzzer once found sqladvise failing on: 1. is a number
        ("SELECT TOP 1.endYear, e.grade FROM Enrollment e WHERE e.endYear = 2026", "1.e", "(error 1060)"),
        ("TRUNCATE TABLE #kids, #counts", "#counts", "TRUNCATE TABLE takes one table"),
        ("CREATE INDEX ix_kids ON #kids", "CREATE INDEX ix_kids ON #kids", "CREATE INDEX needs its columns in parentheses"),
        # a type's size outside what SQL Server takes
        ("DECLARE @notes varchar(10000)", "varchar(10000)", "longer than SQL Server allows, 8000, and it rejects it (error 131)"),
        ("SELECT CAST(i.lastName AS nvarchar(5000)) FROM [Identity] i", "nvarchar(5000)", "allows, 4000"),
        ("CREATE TABLE #t (code char(9000))", "char(9000)", "varchar(max) holds longer values"),
        ("DECLARE @t TABLE (a int, b varchar(0))", "varchar(0)", "a length of 0"),
        ("SELECT CAST(g.score AS decimal(40, 2)) FROM GradingScore g", "decimal(40, 2)", "takes 1 to 38 (error 2750)"),
        ("DECLARE @gpa numeric(3, 4)", "numeric(3, 4)", "a scale of 4, more digits after the point than its precision"),
        ("DECLARE @at datetime2(9)", "datetime2(9)", "at most 7 (error 1002)"),
        ("DECLARE @f float(64)", "float(64)", "takes 1 to 53"),
        ("SELECT v.a FROM (VALUES (1, 2), (3, 4), ( 5, 6, 7 )) AS v (a, b)", "( 5, 6, 7 )", "this one has 3"),
        ("SELECT @grade = e.grade, e.endYear FROM Enrollment e", "e.endYear", "cannot also return columns"),
        ("CREATE TABLE #kids (personID int, grade varchar(4), personid int)", "personid", "named twice"),
        ("INSERT INTO #kids (personID, grade, personID) SELECT 1, '09', 2", "personID", "named twice"),
        ("SELECT CAST(e.grade AS VARCHR(10)) FROM Enrollment e", "VARCHR", "not a data type SQL Server knows"),
        ("DECLARE @from DATTIME = '2026-08-01'", "DATTIME", "is it DATETIME?"),
        ("SELECT TOP 10 DISTINCT e.grade FROM Enrollment e", "DISTINCT", "DISTINCT comes before TOP"),
        ("SELECT TOP (10) PERCENT WITH TIES DISTINCT e.grade FROM Enrollment e ORDER BY e.grade", "DISTINCT",
         "DISTINCT comes before TOP"),
        ("IF EXISTS SELECT 1 FROM Person", "EXISTS", "it ends at EXISTS"),
        ("DECLARE @endYear int = 2026, @grade", "@grade", "declared without a type"),
        ("SELECT CONVERT(e.grade, varchar(10)) FROM Enrollment e", "CONVERT(e.grade, varchar(10))", "type first"),
        # a list where a subquery must be, IN without its parentheses
        ("SELECT e.personID FROM Enrollment e WHERE e.grade = ANY ('09', '10')", "ANY", "write IN (...)"),
        ("SELECT e.personID FROM Enrollment e WHERE e.grade <> ALL (9, 10)", "ALL", "NOT IN (...)"),
        ("SELECT e.personID FROM Enrollment e WHERE e.endDate IN NULL", "IN NULL", "a test for NULL is IS NULL"),
        ("SELECT e.personID FROM Enrollment e WHERE e.grade IN @grades", "IN @", "IN takes its values in parentheses"),
        ("DELETE FROM #kids, #staff", "DELETE FROM #kids, #staff", "DELETE FROM takes one table"),
        ("DELETE FROM #kids JOIN Person p ON p.personID = #kids.personID",
         "DELETE FROM #kids JOIN Person p ON p.personID = #kids.personID", "DELETE FROM takes one table"),
        ("USE Campus Campus", "USE Campus Campus", "USE takes one database's name"),
        ("SELECT i.personID FROM Individual i WHERE i.lastName LIKE '%!_%' ESCAPE '!!'", "ESCAPE",
         "ESCAPE takes one character"),
        ("SELECT SUM(a.x) OVER (ORDER BY a.y ROWS UNBOUNDED) FROM #a a", "UNBOUNDED",
         "UNBOUNDED needs PRECEDING or FOLLOWING"),
        ("SELECT p.personID FROM Person p WHERE EXISTS (SELECT 1 FROM Enrollment e) = 1",
         "EXISTS (SELECT 1 FROM Enrollment e)", "EXISTS is a condition, not a value"),
        ("SELECT EXISTS (SELECT 1 FROM Enrollment e) AS enrolled", "EXISTS (SELECT 1 FROM Enrollment e)",
         "EXISTS is a condition, not a value"),
        ("IF (EXISTS (SELECT 1 FROM Enrollment e)) = 1 PRINT 'x'", "EXISTS (SELECT 1 FROM Enrollment e)",
         "EXISTS is a condition, not a value"),
        ("SELECT @@ROWCOUNTS", "@@ROWCOUNTS", "is it @@ROWCOUNT?"),
        ("IF @@TRANCONT > 0 ROLLBACK", "@@TRANCONT", "is it @@TRANCOUNT?"),
        ("SELECT e.personID FROM Enrollment e WHERE e.endDate <=> NULL", "<=>", "<=> is MySQL's"),
        ("SELECT STRING_AGG(e.grade) FROM Enrollment e", "STRING_AGG(e.grade)", "STRING_AGG takes 2 arguments, not 1"),
        ("SELECT CHOOSE(e.grade) FROM Enrollment e", "CHOOSE(e.grade)", "CHOOSE takes at least 2 arguments, not 1"),
        ("MERGE #kids AS k USING #new AS n ON k.personID = n.personID WHEN MATCHED THEN DELETE\nSELECT 1", "DELETE",
         "a MERGE must end with a semicolon"),
        ("CREATE TABLE #kids (personID int, grade)", "grade", "the column grade has no type"),
        ("DECLARE @kids TABLE (personID)", "personID", "the column personID has no type"),
        # another database's dateparts, which sqlglot takes for SQL Server's
        ("SELECT DATEADD(days, -7, GETDATE())", "days", "days is not a datepart SQL Server knows"),
        ("SELECT DATEDIFF(years, i.birthdate, GETDATE()) FROM Individual i", "years", "is it YEAR?"),
        ("SELECT DATEPART(dayofweek, a.date) FROM Attendance a", "dayofweek", "is it WEEKDAY?"),
        ("SELECT DATEADD('day', 1, e.startDate) FROM Enrollment e", "'day'", "takes its datepart as a word"),
        ("SELECT DATEADD(@part, 1, e.startDate) FROM Enrollment e", "@part", "takes its datepart as a word"),
        ("SELECT TRIM(e.grade, '0') FROM Enrollment e", "TRIM(e.grade, '0')", "TRIM takes 1 argument, not 2"),
        ("SELECT e.personID FROM Enrollment e ORDER BY e.personID OFFSET 10", "OFFSET", "OFFSET needs ROWS"),
        ("SELECT s.* FROM (SELECT p.gender, p.personID FROM Person p) s PIVOT (COUNT(personID) FOR gender IN ([M], [F]))",
         "PIVOT (COUNT(personID) FOR gender IN ([M], [F]))", "a PIVOT needs a name after its parentheses"),
        ("SELECT u.v FROM #scores s UNPIVOT (v FOR k IN (math, reading))", "UNPIVOT (v FOR k IN (math, reading))",
         "an UNPIVOT needs a name"),
        ("SELECT p.personID FROM Person p WHERE p.lastName REGEXP '^Mc'", "REGEXP", "another database's pattern match"),
        ("SELECT p.personID FROM Person p WHERE p.lastName SIMILAR TO 'Mc%'", "SIMILAR TO", "write LIKE"),
        ("SELECT PATINDEX('%[0-9]%') FROM Person p", "PATINDEX('%[0-9]%')", "PATINDEX takes 2 arguments, not 1"),
        # a word deleted from a working statement, which sqlglot still reads
        ("SELECT a.personID FROM Attendance a WHERE (a.excuse, a.status) = 'U'", "a.excuse, a.status",
         "a list of values in parentheses where one value must be"),  # ISNULL deleted
        ("UPDATE gs SET gs.score = (gs.score, ',', '.') FROM GradingScore gs", "gs.score, ',', '.'",
         "a list of values in parentheses"),  # REPLACE deleted
        ("SELECT s.schoolName, s.email @list ORDER BY s.schoolName", "s.email @list",
         "a column cannot be named with a variable, @list"),  # FROM deleted
        ("SELECT 1 FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID (0 = @year OR c.endYear = @year)",
         "0 = @year OR c.endYear = @year", "is a condition where calendarID(...) takes a value"),  # WHERE deleted
        ("SELECT SUM(e.grade = '09') FROM Enrollment e", "e.grade = '09'", "is a condition where SUM(...) takes a value"),
        # other databases' true and false in a SELECT list
        ("SELECT e.personID, e.grade > '08' AS upper FROM Enrollment e", "e.grade > '08'",
         "is a condition where the SELECT list takes a value: SQL Server has no true or false values and rejects it; "
         "write CASE WHEN e.grade > '08' THEN 1 ELSE 0 END"),
        ("SELECT e.personID, (e.grade IN ('09', '10')) AS lower FROM Enrollment e", "e.grade IN ('09', '10')",
         "is a condition where the SELECT list takes"),
        ("SELECT e.personID, e.endDate IS NULL AS active FROM Enrollment e", "e.endDate IS NULL",
         "is a condition where the SELECT list takes"),
        ("SELECT e.personID, e.grade = '09' FROM Enrollment e", "e.grade = '09'",
         "a column's name given as name = value stands alone, and SQL Server rejects one with its table's name before "
         "it; to return whether it is true, write CASE WHEN e.grade = '09' THEN 1 ELSE 0 END AS name"),
        ("SELECT [e] . [grade] = '09' FROM Enrollment e", "[e] . [grade] = '09'", "a column's name given as name = value"),
        ("SELECT a.personID FROM Attendance a WHERE a.date BETWEEN @fallStart '2025-12-18'", "BETWEEN",
         "BETWEEN needs AND between its two ends"),  # AND deleted
        ("SELECT s.grade, sch. AS schoolName FROM School sch", "sch.", "a name is missing after sch."),
        ("SELECT s.personID FROM student s JOIN School sch ON sch.schoolID = s. LEFT JOIN Calendar c ON c.schoolID = "
         "sch.schoolID", "s.", "a name is missing after s."),
        ("SELECT sch.number AS , sch.name FROM School sch", "AS", "AS with no name after it"),
        ("SELECT s.personID FROM student s WHERE (SUBSTRING(s.stateID, 2, 3) AS int) >= 100",
         "(SUBSTRING(s.stateID, 2, 3) AS int)", "is CAST missing before them"),
        ("CREATE TABLE #students (personID NOT NULL PRIMARY KEY, calendarID int)", "personID",
         "the column personID has no type"),  # int deleted
        ("CREATE TABLE #counts (schoolNumber (10), students int)", "schoolNumber (10)",
         "the column schoolNumber has no type"),  # varchar deleted
        ("DECLARE @thisYear, @nextYear smallint", "@thisYear", "@thisYear is declared without a type"),
        ("SET tries += 1", "tries", "tries is not a variable"),  # @ deleted
        ("TABLE #kids", "TABLE", "TABLE does not start a T-SQL statement"),  # DROP deleted
        ("TRANSACTION", "TRANSACTION", "TRANSACTION does not start a T-SQL statement"),  # COMMIT deleted
        # a token written twice
        ("SELECT c.schoolNumber FROM # #counts c", "#", "# stands apart from the name after it"),
        ("SELECT c.schoolNumber FROM #counts c WHERE c.endYear = @ @endYear", "@", "@ stands apart from the name"),
    ],
)
def test_a_mistake_sqlglot_reads_past_is_pointed_at(text, near, reason):
    error, pointed = rejected_at(read_script(text).statements[0], text)  # IF EXISTS SELECT ...: the IF's statement
    assert reason in error, error
    assert pointed == near


@pytest.mark.parametrize(
    "text",
    [
        "SELECT p.personID FROM (Person p JOIN Enrollment e ON e.personID = p.personID)",
        "SELECT x.a FROM (SELECT 1 AS a) x CROSS APPLY (SELECT TOP 1 e.grade FROM Enrollment e) AS g",
        "SELECT v.a FROM (VALUES (1), (2)) AS v (a) OUTER APPLY dbo.fn_Grades(v.a)",
        "SELECT x.a FROM ((SELECT 1 AS a) UNION (SELECT 2)) x",
        "SELECT e.grade FROM Enrollment e WHERE e.endYear = (SELECT TOP 1 c.endYear FROM Calendar c ORDER BY c.endYear "
        "DESC) GROUP BY e.grade HAVING COUNT(*) > 1 ORDER BY e.grade OPTION (RECOMPILE)",
        "SELECT ROW_NUMBER() OVER (PARTITION BY e.grade ORDER BY e.startDate), STRING_AGG(e.grade, ',') WITHIN GROUP "
        "(ORDER BY e.grade) FROM Enrollment e WHERE e.endYear = 2026 GROUP BY e.grade, e.startDate",
        "SELECT e.grade FROM Enrollment e WHERE e.endYear = 2026 UNION SELECT '09' FROM Person p WHERE p.personID = 1 "
        "ORDER BY 1",
        "DELETE t FROM #t t JOIN Person p ON p.personID = t.personID WHERE p.personID > 0",
        "UPDATE t SET t.a = 1 OUTPUT inserted.a INTO @log FROM #t t WHERE t.a = 0",
        "SELECT TRIM(' ' FROM p.lastName), 'a' + 'b', CONCAT('a', 'b') FROM Person p WHERE p.lastName IN ('a', 'b') "
        "AND p.firstName = CONCAT_WS(',', 'a', 'b')",
        "WITH active AS (SELECT e.personID FROM Enrollment e), other (personID) AS (SELECT 1) SELECT a.personID "
        "FROM active a",
        "SELECT p.personID FROM Person p LEFT OUTER JOIN Enrollment e ON e.personID = p.personID FULL OUTER JOIN "
        "School s ON 1 = 1 OUTER APPLY (SELECT 1 AS one) o",
        "SELECT CASE WHEN e.grade = '09' THEN 'Freshman' WHEN e.grade IN ('10', '11') THEN CASE e.grade WHEN '10' "
        "THEN 'Sophomore' END ELSE 'Other' END FROM Enrollment e",
        "SELECT e.grade, COUNT(*) FROM Enrollment e GROUP BY e.grade WITH ROLLUP HAVING COUNT(*) > 1",
        "SELECT GETDATE(), SYSDATETIME() FROM Person p",
        "DELETE FROM #t FROM #t t JOIN Person p ON p.personID = t.personID WHERE p.personID > 0",
        "INSERT INTO @kids SELECT e.personID FROM Enrollment e WHERE e.endDate IS NOT NULL AND NOT e.grade IS NULL",
        "SELECT e.personID FROM Enrollment e WITH (NOLOCK, INDEX(ix_grade), FORCESEEK) OPTION (RECOMPILE, MAXDOP 1, USE "
        "HINT('DISABLE_PARAMETER_SNIFFING'), OPTIMIZE FOR UNKNOWN, FORCE ORDER, LOOP JOIN, QUERYTRACEON 9481)",
        "SELECT DISTINCT e.calendarID, PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY e.startDate) OVER (PARTITION BY "
        "e.calendarID) AS m, COUNT(e.personID) OVER (PARTITION BY e.calendarID) AS n FROM Enrollment e",
        "SELECT STRING_AGG(e.grade, ',') WITHIN GROUP (ORDER BY e.grade) AS grades, COUNT(DISTINCT e.personID) AS n "
        "FROM Enrollment e",
        "SELECT TOP (5) PERCENT WITH TIES e.personID FROM Enrollment e ORDER BY e.startDate",
        "SELECT e.personID INTO #kids FROM Enrollment e UNION ALL SELECT p.personID FROM Person p",
        "SELECT e.personID FROM Enrollment e ORDER BY e.personID OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY",
        "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 OPTION (MAX_GRANT_PERCENT = 12.5, MIN_GRANT_PERCENT = 5, "
        "FAST 10, MAXRECURSION 0, LABEL = 'roster', KEEP PLAN)",
        "CREATE TABLE #t (a int NOT NULL, b int NULL)",
        "DECLARE @t dbo.GradeList, @p Phone, @n sysname, @h hierarchyid, @i INTEGER",
        "SELECT @grade = e.grade, @year = e.endYear FROM Enrollment e",
        "INSERT INTO #t (a, b) VALUES (1, 2), (3, 4)",
        "SELECT v.a FROM (VALUES (1, 2)) AS v (a, b)",
        "CREATE TABLE #t (a int, b int, PRIMARY KEY (a, b), UNIQUE (b))",
        "TRUNCATE TABLE #kids",
        "INSERT INTO OPENQUERY(srv, 'SELECT a FROM t') VALUES (1)",
        "SELECT DISTINCT TOP 10 e.grade, COUNT(DISTINCT e.personID) FROM Enrollment e GROUP BY e.grade",
        "DECLARE @t TABLE (a int), @c CURSOR, @d dbo.GradeList, @x AS xml",
        "SELECT CONVERT(varchar(10), e.startDate, 101), CONVERT(dbo.Phone, e.grade) FROM Enrollment e",
        "SELECT e.grade FROM Enrollment e WHERE e.endYear IS DISTINCT FROM 2026",
        "SELECT e.personID FROM Enrollment e WHERE e.grade = ANY (SELECT g.grade FROM #g g) AND e.grade <> ALL ((SELECT "
        "'12')) AND e.grade > SOME (WITH g AS (SELECT '09' AS grade) SELECT grade FROM g) AND e.grade NOT IN ('09')",
        "DELETE e FROM Enrollment e JOIN #kids k ON k.personID = e.personID",
        "DELETE #kids FROM #kids, Person p WHERE p.personID = #kids.personID",
        "USE [Campus Test]",
        "USE Campus;",
        "SELECT i.personID FROM Individual i WHERE i.lastName LIKE '%!_%' ESCAPE '!' OR i.lastName LIKE @n ESCAPE N'|'",
        "SELECT SUM(a.x) OVER (ORDER BY a.y ROWS UNBOUNDED PRECEDING), SUM(a.x) OVER (ORDER BY a.y ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM #a a",
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM Enrollment e) THEN 1 ELSE 0 END WHERE (EXISTS (SELECT 1)) AND NOT "
        "EXISTS (SELECT 2)",
        "IF (EXISTS (SELECT 1 FROM Enrollment e)) PRINT 'x'",
        "WHILE EXISTS (SELECT 1 FROM #kids) DELETE TOP (10) FROM #kids",
        "SELECT @@ROWCOUNT, @@spid, @@TRANCOUNT, @@error, @@FETCH_STATUS, @@IDENTITY, @@my_own_counter",
        "SELECT STRING_AGG(e.grade, ',') WITHIN GROUP (ORDER BY e.grade), CHOOSE(2, 'a', 'b', 'c') FROM Enrollment e",
        "MERGE #kids AS k USING #new AS n ON k.personID = n.personID WHEN MATCHED THEN DELETE -- the last\n;",
        "WITH n AS (SELECT 1 AS personID) MERGE #kids AS k USING n ON k.personID = n.personID WHEN MATCHED THEN "
        "DELETE OPTION (LOOP JOIN);",
        "CREATE TABLE #kids (personID int, grade varchar(4), next AS grade + 1)",
        "SELECT DATEPART(weekday, a.date), DATEPART(dw, a.date), DATEPART(isowk, a.date), DATENAME(MONTH, a.date), "
        "DATEADD(yy, DATEDIFF(yy, 0, GETDATE()), 0), DATETRUNC(month, a.date), DATE_BUCKET(week, 1, a.date), "
        "dbo.DATEADD(days, 1) FROM Attendance a",
        "SELECT TRIM(' ' FROM e.grade), TRIM(BOTH '0' FROM e.grade), LTRIM(e.grade), RTRIM(e.grade, ' ') FROM Enrollment e",
        "SELECT x.personID FROM (SELECT e.personID FROM Enrollment e ORDER BY e.personID OFFSET (@page - 1) * 10 ROWS "
        "FETCH NEXT 10 ROWS ONLY) x ORDER BY x.personID OFFSET 1 ROW",
        "SELECT pv.M, u.v FROM (SELECT p.gender, p.personID FROM Person p) s PIVOT (COUNT(personID) FOR gender IN ([M], "
        "[F])) pv CROSS JOIN #scores s2 UNPIVOT (v FOR k IN (math, reading)) AS u",
        "SELECT NTILE(4) OVER (ORDER BY p.personID), PATINDEX('%[0-9]%', p.lastName) FROM Person p WHERE p.lastName "
        "LIKE 'Mc%'",
        "SELECT COUNT(CASE WHEN e.grade IN ('09', '10') AND e.endYear > 2020 THEN 1 END), IIF(e.grade = '09', 1, 0), "
        "SUM(CASE e.grade WHEN '09' THEN 1 ELSE 0 END) FROM Enrollment e WHERE e.startDate BETWEEN @from AND @to "
        "AND (e.endDate NOT BETWEEN 1 AND 2 OR e.grade IN (SELECT g.grade FROM #g g)) GROUP BY GROUPING SETS ((e.grade, "
        "e.endYear), ())",
        "INSERT INTO #kids VALUES (1, '09'), (2, '10')",
        "SELECT e.grade AS [@grade] FROM Enrollment e",
        "SELECT CAST(s.stateID AS int), s.name AS [name], s.[left] AS 'left', (s.a + s.b) AS c, ((s.a)) FROM School AS s "
        "CROSS APPLY (SELECT 1 AS one) AS o WHERE (s.a = 1)",
        "CREATE TABLE #c (a int, b AS a + 1, c int NOT NULL DEFAULT 0, CONSTRAINT pk PRIMARY KEY (a), INDEX ix (c))",
        "DECLARE @a int, @b smallint = 1",
        "UPDATE e SET @n = e.grade = '10', e.endYear += 1, @m = 2 FROM Enrollment e",
        "SELECT e.grade, e.personID FROM Enrollment e ORDER BY e.grade, e.personID, ROW_NUMBER() OVER (ORDER BY e.grade)",
        "EXEC dbo.rosterFor 2027, 14, @sort = 'name', @count = @n OUTPUT",
        "SELECT p.personID FROM dbo.Person JOIN archive.Person ON 1 = 1 JOIN Person p ON 1 = 1 WHERE EXISTS (SELECT 1 "
        "FROM Person p)",
        "SELECT e.grade, e.personID FROM Enrollment e UNION SELECT '09', 1 ORDER BY 2, 1",
        "SELECT * FROM Enrollment e ORDER BY 5",
        "SELECT 'Last Name' = i.lastName, ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS n FROM [Identity] i "
        "ORDER BY [Last Name], 2, (SELECT NULL), CASE WHEN @desc = 1 THEN i.lastName END, @@SPID",
        "SELECT TOP 1.5 PERCENT e.grade FROM Enrollment e ORDER BY e.grade",
        "CREATE UNIQUE CLUSTERED INDEX ix ON #kids (personID, grade DESC) INCLUDE (endYear) WITH (FILLFACTOR = 90)",
        "SELECT date 'Day', a.personID, date 'Again' FROM Attendance a WHERE a.date > CAST('2025-08-20' AS DATE)",
        "DECLARE @t TABLE (a varchar(8000), b nvarchar(4000), c decimal(38, 38), d datetime2(7), e float(53), f time(0), "
        "g varchar(max), h decimal(10), i float, j nchar(1), k datetimeoffset(7), l varbinary(MAX), m binary(8000))",
        "SET @tries += 1",
        "LINENO 5",
        "SELECT c.a FROM ##counts c WHERE c.a = @y AND c.b = @@ROWCOUNT AND c.d = '# @ x'",
        "SELECT @total = COUNT(*), @any = CASE WHEN EXISTS (SELECT 1 FROM #g) THEN 1 ELSE 0 END FROM Enrollment e",
        "SELECT upper = CASE WHEN e.grade > '08' THEN 1 ELSE 0 END, n = 1, IIF(NOT e.grade IS NULL, 1, 0), [g] = e.grade "
        "FROM Enrollment e",
    ],
)
def test_the_same_shapes_written_as_sql_server_takes_them_are_read(text):
    statements = read_script(text).statements  # IF and WHILE: the condition's statement, then its body's
    assert statements and all(statement.understood for statement in statements), [s.error for s in statements]

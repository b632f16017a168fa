-- Author: Tom Reyes
-- Purpose: collects counts from the district's own procedures and two fixed strings of SQL, then one
-- query built as it runs
-- expect: PA006
SET NOCOUNT ON
CREATE TABLE #counts (schoolNumber varchar(10), students int)

INSERT INTO #counts (schoolNumber, students)
EXEC dbo.usp_StudentCounts @endYear = 2026

INSERT #counts EXEC ('SELECT ''999'', 0')

DECLARE @sql nvarchar(max) = N'SELECT COUNT(*) FROM School WHERE districtID = @d'
EXEC sp_executesql @sql, N'@d int', @d = 1

DECLARE @endYear int = 2026
DECLARE @built nvarchar(max) = N'SELECT COUNT(*) FROM Calendar WHERE endYear = ' + CAST(@endYear AS nvarchar(4))
EXEC (@built)

SELECT c.schoolNumber, c.students, sch.name
FROM #counts c
LEFT JOIN School sch ON sch.number = c.schoolNumber

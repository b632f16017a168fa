-- Author: Renee Duval
-- Purpose: absences per student with one column per attendance code the district uses this year
-- expect: PA006
DECLARE @codes nvarchar(max), @sql nvarchar(max)

SELECT @codes = STUFF((SELECT DISTINCT ', ' + QUOTENAME(x.code)
                       FROM AttendanceExcuse x
                       JOIN Calendar c ON c.calendarID = x.calendarID
                       WHERE c.endYear = 2026
                       FOR XML PATH('')), 1, 2, '')

SET @sql = N'SELECT personID, ' + @codes + N'
FROM (SELECT a.personID, x.code
      FROM Attendance a
      JOIN AttendanceExcuse x ON x.excuseID = a.excuseID
      JOIN Calendar c ON c.calendarID = a.calendarID
      WHERE c.endYear = 2026) s
PIVOT (COUNT(code) FOR code IN (' + @codes + N')) p'

PRINT @sql
EXEC (@sql)

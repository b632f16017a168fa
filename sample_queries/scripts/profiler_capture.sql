-- Author: Renee Hollis
-- Purpose: the attendance letters report's two data sets as SQL Server received them,
-- captured with SQL Server Profiler while the report ran, to see why it is slow
-- expect: VW004 JN002 SC001 PR004
exec sp_executesql N'SELECT s.studentNumber, s.lastName, s.firstName, COUNT(*) AS absences
FROM student s
JOIN Attendance a ON a.personID = s.personID
WHERE s.schoolID = @schoolID AND s.endYear = @endYear AND a.status = ''A''
GROUP BY s.studentNumber, s.lastName, s.firstName
HAVING COUNT(*) >= @threshold',N'@schoolID int,@endYear int,@threshold int',@schoolID=12,@endYear=2026,@threshold=10
go
exec sp_executesql N'SELECT sch.name, sch.phone FROM School sch WHERE sch.number = @number',N'@number nvarchar(10)',@number=N'042'
go

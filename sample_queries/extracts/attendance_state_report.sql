-- Author: Robert Kline
-- Purpose: year-to-date absences per school for the state attendance report
-- expect:
DECLARE @endYear smallint = (SELECT sy.endYear FROM SchoolYear sy WHERE sy.active = 1)

SELECT sch.number AS schoolNumber, sch.name AS schoolName,
       COUNT(DISTINCT a.personID) AS studentsAbsent,
       SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) AS absences,
       SUM(CASE WHEN a.status = 'T' THEN 1 ELSE 0 END) AS tardies
FROM Attendance a
JOIN Calendar c ON c.calendarID = a.calendarID
JOIN School sch ON sch.schoolID = c.schoolID
WHERE c.endYear = @endYear
  AND c.summerSchool = 0
GROUP BY sch.number, sch.name
ORDER BY sch.number

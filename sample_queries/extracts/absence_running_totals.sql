-- Author: Keisha Morgan
-- Purpose: each absence this year with the student's running count, for the truancy letters
-- expect: SH019 JN003
SELECT s.studentNumber, s.lastName, s.firstName, a.date,
       COUNT(*) OVER (PARTITION BY a.personID ORDER BY a.date) AS absencesSoFar
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
LEFT JOIN AttendanceExcuse x ON x.excuseID = a.excuseID
WHERE s.endYear = 2026
  AND s.serviceType = 'P'
  AND a.status = 'A'
ORDER BY s.lastName, s.firstName, a.date

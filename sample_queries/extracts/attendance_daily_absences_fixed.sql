-- Author: Robert Kline
-- Purpose: yesterday's absences for the call-out system, limited to yesterday's date
-- expect:
DECLARE @yesterday date = DATEADD(day, -1, CAST(GETDATE() AS date))
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, a.date, pd.name AS periodName, x.code AS excuseCode
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
JOIN Period pd ON pd.periodID = a.periodID
LEFT JOIN AttendanceExcuse x ON x.excuseID = a.excuseID
WHERE s.endYear = 2026
  AND a.date = @yesterday
  AND ISNULL(x.status, a.status) = 'A'

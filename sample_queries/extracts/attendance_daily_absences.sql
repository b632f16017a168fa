-- Author: Robert Kline
-- Purpose: yesterday's absences for the automated call-out system
-- Note: runs at 6 am; keeps timing out since last spring
-- expect: PR005 VW001 VW005 JN002
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, ad.date, ad.periodName, ad.excuseCode
FROM student s WITH (NOEXPAND)
JOIN v_AttendanceDetail ad ON ad.personID = s.personID
WHERE s.endYear = 2026
  AND ad.status = 'A'
  AND CONVERT(varchar(10), ad.date, 101) = CONVERT(varchar(10), DATEADD(day, -1, GETDATE()), 101)

-- Author: Priya Nair
-- Purpose: students who enrolled in the last seven days, newest first, for the nurse's office
-- expect:
SELECT TOP (200) s.studentNumber, s.lastName, s.firstName, s.grade, s.startDate,
       IIF(s.startStatus = 'TRAN', 'transfer', 'new') AS arrival,
       DATEDIFF(day, s.startDate, GETDATE()) AS daysAgo
FROM student s WITH (NOEXPAND)
WHERE s.startDate >= DATEADD(day, -7, CAST(GETDATE() AS date))
  AND s.serviceType = 'P'
ORDER BY s.startDate DESC

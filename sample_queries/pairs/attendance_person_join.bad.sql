-- Author: Robert Kline
-- Anti-pattern: this year's students joined to Attendance on personID alone
-- expect: JN002 SC001
SELECT s.studentNumber, a.date, a.status
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID
WHERE s.endYear = 2026 AND s.serviceType = 'P'

-- Author: Robert Kline
-- Anti-pattern: YEAR() on the attendance date, so no index can find the year
-- expect: PR001
SELECT a.personID, a.date, a.status
FROM Attendance a
WHERE YEAR(a.date) = 2026 AND MONTH(a.date) = 3

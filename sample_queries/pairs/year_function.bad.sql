-- Author: Robert Kline
-- Anti-pattern: YEAR() and MONTH() on the attendance date, and no calendar for its index to start from
-- expect: PR001
SELECT a.personID, a.date, a.status
FROM Attendance a
WHERE YEAR(a.date) = 2026 AND MONTH(a.date) = 3

-- Author: Robert Kline
-- Fix: divide with decimals, and keep the enrollments with no end date, which are the open ones
-- expect:
SELECT s.studentNumber, s.lastName,
       1.0 * SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) / COUNT(*) * 100 AS absentPct
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
WHERE s.endYear = 2026 AND (s.endDate IS NULL OR s.endDate >= GETDATE())
GROUP BY s.studentNumber, s.lastName

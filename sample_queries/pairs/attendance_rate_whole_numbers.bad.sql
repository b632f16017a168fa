-- Author: Robert Kline
-- Anti-pattern: an attendance rate divided in whole numbers, for students enrolled "now"
-- expect: SH020 PR011
SELECT s.studentNumber, s.lastName,
       SUM(CASE WHEN a.status = 'A' THEN 1 ELSE 0 END) / COUNT(*) * 100 AS absentPct
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
WHERE s.endYear = 2026 AND s.endDate >= GETDATE()
GROUP BY s.studentNumber, s.lastName

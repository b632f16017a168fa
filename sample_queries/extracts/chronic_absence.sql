-- Author: Robert Kline
-- Purpose: students absent 10% or more of instructional days this year
-- expect:
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, sch.name AS schoolName,
       SUM(CASE WHEN f.periodsAbsent > 0 THEN 1 ELSE 0 END) AS daysAbsent,
       COUNT(*) AS daysEnrolled
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
JOIN v_AttDayDetail_Federal f ON f.personID = s.personID AND f.calendarID = s.calendarID
WHERE s.endYear = 2026 AND f.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026)
GROUP BY s.studentNumber, s.lastName, s.firstName, s.grade, sch.name
HAVING SUM(CASE WHEN f.periodsAbsent > 0 THEN 1 ELSE 0 END) * 10 >= COUNT(*)

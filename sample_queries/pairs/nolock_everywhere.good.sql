-- Author: Dana Whitfield
-- Fix: no NOLOCK; NOEXPAND stays
-- expect:
SELECT sch.number, c.name, COUNT(*) AS students
FROM student s WITH (NOEXPAND)
JOIN Calendar c ON c.calendarID = s.calendarID
JOIN School sch ON sch.schoolID = c.schoolID
WHERE c.endYear = 2026
GROUP BY sch.number, c.name

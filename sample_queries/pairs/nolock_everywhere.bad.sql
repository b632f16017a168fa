-- Author: Dana Whitfield
-- Anti-pattern: NOLOCK on every table, as written before Campus.2331
-- expect: HT001
SELECT sch.number, c.name, COUNT(*) AS students
FROM student s WITH (NOEXPAND, NOLOCK)
JOIN Calendar c WITH (NOLOCK) ON c.calendarID = s.calendarID
JOIN School sch WITH (NOLOCK) ON sch.schoolID = c.schoolID
WHERE c.endYear = 2026
GROUP BY sch.number, c.name

-- Author: Tom Reyes
-- Fix: every table joined
-- expect:
SELECT s.studentNumber, c.name AS calendarName, sch.name AS schoolName
FROM student s WITH (NOEXPAND), Calendar c, School sch
WHERE c.calendarID = s.calendarID
  AND sch.schoolID = c.schoolID
  AND s.endYear = 2026

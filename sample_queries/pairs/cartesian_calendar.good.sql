-- Author: Tom Reyes
-- Fix: every table joined, and the calendar's name taken from student, which already reads Calendar
-- expect:
SELECT s.studentNumber, s.calendarName, sch.name AS schoolName
FROM student s WITH (NOEXPAND), School sch
WHERE sch.schoolID = s.schoolID
  AND s.endYear = 2026

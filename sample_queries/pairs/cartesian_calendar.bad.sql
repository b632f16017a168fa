-- Author: Tom Reyes
-- Anti-pattern: an old-style FROM list whose join condition was lost in an edit
-- expect: JN001 RK002
SELECT s.studentNumber, c.name AS calendarName, sch.name AS schoolName
FROM student s WITH (NOEXPAND), Calendar c, School sch
WHERE sch.schoolID = c.schoolID
  AND s.endYear = 2026

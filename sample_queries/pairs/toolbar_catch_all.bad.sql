-- Author: Marcus Bell
-- Anti-pattern: a pass-through filter's year catch-all, run for All Years
-- expect: SC001 SC002 SH004
DECLARE @year smallint = 0
SELECT DISTINCT s.personID, s.lastName, s.firstName
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
WHERE (0 = @year OR s.endYear = @year)
  AND a.status = 'A'

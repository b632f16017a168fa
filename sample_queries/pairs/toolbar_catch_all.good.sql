-- Author: Marcus Bell
-- Fix: run it for one year
-- expect:
DECLARE @year smallint = 2026
SELECT DISTINCT s.personID, s.lastName, s.firstName
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
WHERE s.endYear = @year
  AND a.status = 'A'

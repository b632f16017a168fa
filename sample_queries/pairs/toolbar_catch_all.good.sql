-- Author: Marcus Bell
-- Fix: run it for one year, and ask whether an absence exists rather than joining every one
-- expect:
DECLARE @year smallint = 2026
SELECT s.personID, s.lastName, s.firstName
FROM student s WITH (NOEXPAND)
WHERE s.endYear = @year
  AND EXISTS (SELECT 1 FROM Attendance a
              WHERE a.personID = s.personID AND a.calendarID = s.calendarID AND a.status = 'A')

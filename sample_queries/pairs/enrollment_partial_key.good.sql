-- Author: Lena Ortiz
-- Fix: the whole key
-- expect:
SELECT s.studentNumber, e.startStatus, e.startDate
FROM student s WITH (NOEXPAND)
JOIN Enrollment e ON e.personID = s.personID AND e.calendarID = s.calendarID
WHERE s.endYear = 2026

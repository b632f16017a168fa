-- Author: Lena Ortiz
-- Fix: read the view's index
-- expect:
SELECT s.studentNumber, s.lastName, s.grade
FROM student s WITH (NOEXPAND)
WHERE s.endYear = 2026 AND s.grade = '12'

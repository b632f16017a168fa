-- Author: Lena Ortiz
-- Anti-pattern: the indexed student view read without NOEXPAND
-- expect: VW004
SELECT s.studentNumber, s.lastName, s.grade
FROM student s
WHERE s.endYear = 2026 AND s.grade = '12'

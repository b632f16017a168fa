-- Author: Lena Ortiz
-- Anti-pattern: enrollments joined on personID alone, duplicates hidden by DISTINCT
-- expect: JN002
SELECT DISTINCT s.studentNumber, e.startStatus, e.startDate
FROM student s WITH (NOEXPAND)
JOIN Enrollment e ON e.personID = s.personID
WHERE s.endYear = 2026 AND e.endYear = 2026

-- Author: Tom Reyes
-- Purpose: secondary students for the career-readiness vendor (school numbers 300 and up, plus adult ed)
-- A real bug: the OR at the end applies to the whole WHERE, so every adult-ed enrollment of every year comes back.
-- expect: PR001 PR009 SC001
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, sch.number
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
WHERE s.endYear = 2026
  AND s.serviceType = 'P'
  AND CAST(SUBSTRING(sch.number, 2, 3) AS int) >= 300 OR s.grade = 'AD'

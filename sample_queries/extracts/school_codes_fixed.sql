-- Author: Tom Reyes
-- Purpose: the same list with the OR in parentheses
-- (The SUBSTRING on School.number is information only: School has a few dozen rows.)
-- expect: PR001
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, sch.number
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
WHERE s.endYear = 2026
  AND s.serviceType = 'P'
  AND (CAST(SUBSTRING(sch.number, 2, 3) AS int) >= 300 OR s.grade = 'AD')

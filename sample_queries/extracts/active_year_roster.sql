-- Author: Ana Ruiz
-- Purpose: this year's primary enrollments for the transportation vendor, by school
-- expect:
SELECT sch.number AS schoolNumber, s.studentNumber, s.lastName, s.firstName, s.grade,
       s.startDate, s.endDate
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
WHERE s.activeYear = 1
  AND s.serviceType = 'P'
  AND (s.endDate IS NULL OR s.endDate >= CAST(GETDATE() AS date))
ORDER BY sch.number, s.lastName, s.firstName;

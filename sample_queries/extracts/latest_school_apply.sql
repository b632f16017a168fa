-- Author: Luis Moreno
-- Purpose: each active student's school this year, the latest enrollment read with CROSS APPLY
-- expect:
SELECT s.studentNumber, s.lastName, s.firstName, le.grade, sch.name AS schoolName, c.name AS calendarName
FROM student s WITH (NOEXPAND)
CROSS APPLY (
    SELECT TOP 1 e.calendarID, e.grade
    FROM Enrollment e
    WHERE e.personID = s.personID AND e.endYear = 2026 AND e.serviceType = 'P'
    ORDER BY e.startDate DESC, e.enrollmentID DESC
) le
JOIN Calendar c ON c.calendarID = le.calendarID
JOIN School sch ON sch.schoolID = c.schoolID
WHERE s.endYear = 2026 AND (s.endDate IS NULL OR s.endDate >= GETDATE())

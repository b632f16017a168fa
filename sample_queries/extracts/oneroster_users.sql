-- Author: Sam Achebe
-- Purpose: OneRoster users.csv: students and teachers in one file
-- expect:
SELECT CAST(s.personID AS varchar(20)) AS sourcedId, 'student' AS role, s.studentNumber AS identifier,
       s.firstName AS givenName, s.lastName AS familyName, s.grade AS grades, ct.email
FROM student s WITH (NOEXPAND)
LEFT JOIN Contact ct ON ct.personID = s.personID
WHERE s.endYear = 2026 AND s.serviceType = 'P'
UNION ALL
SELECT CAST(ea.personID AS varchar(20)), 'teacher', p.staffNumber, i.firstName, i.lastName, NULL, ct.email
FROM EmploymentAssignment ea
JOIN Person p ON p.personID = ea.personID
JOIN [Identity] i ON i.identityID = p.currentIdentityID
LEFT JOIN Contact ct ON ct.personID = ea.personID
WHERE ea.teacher = 1 AND (ea.endDate IS NULL OR ea.endDate >= GETDATE())

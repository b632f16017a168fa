-- Author: Marcus Bell
-- Fix: the base tables that hold those columns
-- expect:
SELECT p.studentNumber, i.lastName, i.firstName, e.grade
FROM Person p
JOIN [Identity] i ON i.identityID = p.currentIdentityID
JOIN Enrollment e ON e.personID = p.personID
WHERE e.endYear = 2026 AND e.serviceType = 'P'

-- Author: Priya Natarajan
-- Purpose: people with a student number but no open enrollment in the high school's 2025-26
-- calendar, for the registrar's clean-up list
-- expect: PR023
SELECT p.personID, p.studentNumber, i.lastName, i.firstName
FROM Person p
JOIN [Identity] i ON i.identityID = p.currentIdentityID
WHERE p.studentNumber IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM Enrollment e WHERE e.calendarID = 1234 AND e.endDate IS NULL)

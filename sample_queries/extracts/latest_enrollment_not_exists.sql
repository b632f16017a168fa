-- Author: Dana Whitfield
-- Purpose: each student's most recent enrollment, for the records-request log: an enrollment
-- with no later one for the same person
-- expect: SC001 PR006
SELECT p.studentNumber, i.lastName, i.firstName, e.grade, e.startDate, e.endDate
FROM Person p
JOIN [Identity] i ON i.identityID = p.currentIdentityID
JOIN Enrollment e ON e.personID = p.personID
WHERE NOT EXISTS (SELECT 1 FROM Enrollment later
                  WHERE later.personID = e.personID
                    AND (later.startDate > e.startDate
                         OR (later.startDate = e.startDate AND later.enrollmentID > e.enrollmentID)))

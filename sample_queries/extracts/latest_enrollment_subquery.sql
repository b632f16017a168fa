-- Author: Dana Whitfield
-- Purpose: the records-request log again, the latest enrollment picked by a subquery for each person
-- expect: SC001
SELECT p.studentNumber, i.lastName, i.firstName, e.grade, e.startDate, e.endDate
FROM Person p, [Identity] i, Enrollment e
WHERE i.identityID = p.currentIdentityID
  AND e.enrollmentID = (SELECT TOP 1 e2.enrollmentID FROM Enrollment e2
                        WHERE e2.personID = p.personID
                        ORDER BY e2.startDate DESC, e2.enrollmentID DESC)

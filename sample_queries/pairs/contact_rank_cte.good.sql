-- Author: Priya Nair
-- Fix: one guardian per student, read per student from the tables that hold it, in an order no two guardians share
-- expect:
SELECT s.studentNumber, g.lastName, g.firstName, g.cellPhone
FROM student s WITH (NOEXPAND)
OUTER APPLY (
    SELECT TOP 1 i.lastName, i.firstName, ct.cellPhone
    FROM RelatedPair rp
    JOIN Person p ON p.personID = rp.personID2
    JOIN [Identity] i ON i.identityID = p.currentIdentityID
    LEFT JOIN Contact ct ON ct.personID = rp.personID2
    WHERE rp.personID1 = s.personID AND rp.guardian = 1
    ORDER BY rp.seq, rp.pairID
) g
WHERE s.endYear = 2026

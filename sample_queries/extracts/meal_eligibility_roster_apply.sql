-- Author: Priya Nair
-- Purpose: the meal roster again, one guardian per student read with OUTER APPLY
-- expect: SH027
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, sch.number AS schoolNumber,
       g.lastName AS guardianLast, g.firstName AS guardianFirst,
       COALESCE(g.cellPhone, g.homePhone) AS guardianPhone, g.email AS guardianEmail
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
OUTER APPLY (
    SELECT TOP 1 i.lastName, i.firstName, ct.cellPhone, ct.homePhone, ct.email
    FROM RelatedPair rp
    JOIN Person p ON p.personID = rp.personID2
    JOIN [Identity] i ON i.identityID = p.currentIdentityID
    LEFT JOIN Contact ct ON ct.personID = rp.personID2
    WHERE rp.personID1 = s.personID AND rp.guardian = 1
      AND (rp.endDate IS NULL OR rp.endDate >= GETDATE())
    ORDER BY rp.seq
) g
WHERE s.endYear = 2026
  AND s.serviceType = 'P'
  AND s.noShow = 0

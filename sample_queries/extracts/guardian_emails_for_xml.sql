-- Author: Karen Lee
-- Purpose: one line per student with every guardian's e-mail, for the school messenger import.
-- Written before the district's server had STRING_AGG (SQL Server 2017).
-- expect: SH001
SELECT s.studentNumber, s.lastName, s.firstName, s.grade,
       STUFF((SELECT '; ' + c.email
              FROM RelatedPair rp
              JOIN Contact c ON c.personID = rp.personID2
              WHERE rp.personID1 = s.personID
                AND rp.guardian = 1
                AND c.email IS NOT NULL
              ORDER BY c.email
              FOR XML PATH(''), TYPE).value('.', 'varchar(max)'), 1, 2, '') AS guardianEmails
FROM student s WITH (NOEXPAND)
WHERE s.endYear = 2026
  AND s.activeYear = 1;

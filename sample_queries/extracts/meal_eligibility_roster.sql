-- Author: Priya Nair
-- Purpose: nightly roster for the meal service vendor, with a guardian contact for each student
-- expect: SC003 SH027 VW004
;WITH guardians AS (
    SELECT cs.personID, cs.lastName, cs.firstName, cs.homePhone, cs.cellPhone, cs.email,
           cs.addressLine1, cs.city, cs.state, cs.zip,
           ROW_NUMBER() OVER (PARTITION BY cs.personID ORDER BY cs.contactSequence, cs.contactPersonID) AS rn
    FROM v_CensusContactSummary cs
    WHERE cs.guardian = 1
)
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, sch.number AS schoolNumber,
       g.lastName AS guardianLast, g.firstName AS guardianFirst,
       COALESCE(g.cellPhone, g.homePhone) AS guardianPhone, g.email AS guardianEmail,
       g.addressLine1, g.city, g.state, g.zip
FROM student s
JOIN School sch ON sch.schoolID = s.schoolID
LEFT JOIN guardians g ON g.personID = s.personID AND g.rn = 1
WHERE s.endYear = 2026
  AND s.serviceType = 'P'
  AND s.noShow = 0

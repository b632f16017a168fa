-- Author: Priya Nair
-- Anti-pattern: every contact ranked before the join to this year's students
-- expect: SC003 SH027 VW001
WITH ranked AS (
    SELECT c.personID, c.lastName, c.firstName, c.cellPhone,
           ROW_NUMBER() OVER (PARTITION BY c.personID ORDER BY c.contactSequence) AS rn
    FROM v_CensusContactSummary c
    WHERE c.guardian = 1
)
SELECT s.studentNumber, r.lastName, r.firstName, r.cellPhone
FROM student s WITH (NOEXPAND)
JOIN ranked r ON r.personID = s.personID AND r.rn = 1
WHERE s.endYear = 2026

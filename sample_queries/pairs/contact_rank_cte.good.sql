-- Author: Priya Nair
-- Fix: one guardian per student, read per student
-- expect: VW001
SELECT s.studentNumber, g.lastName, g.firstName, g.cellPhone
FROM student s WITH (NOEXPAND)
OUTER APPLY (
    SELECT TOP 1 c.lastName, c.firstName, c.cellPhone
    FROM v_CensusContactSummary c
    WHERE c.personID = s.personID AND c.guardian = 1
    ORDER BY c.contactSequence
) g
WHERE s.endYear = 2026

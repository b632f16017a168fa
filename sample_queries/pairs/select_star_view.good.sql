-- Author: Sam Achebe
-- Fix: the columns the phone list needs, for this year's students
-- expect: VW001
SELECT c.personID, c.lastName, c.firstName, c.homePhone, c.cellPhone
FROM v_CensusContactSummary c
WHERE c.guardian = 1
  AND c.personID IN (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026)

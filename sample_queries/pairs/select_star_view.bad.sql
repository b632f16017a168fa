-- Author: Sam Achebe
-- Anti-pattern: every column of the contact view, for a phone list
-- expect: CL001 SC001
SELECT *
FROM v_CensusContactSummary c
WHERE c.guardian = 1

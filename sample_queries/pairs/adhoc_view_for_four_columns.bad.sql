-- Author: Marcus Bell
-- Anti-pattern: the ad hoc student view for four plain columns
-- expect: VW001 VW002
SELECT s.studentNumber, s.lastName, s.firstName, s.grade
FROM v_AdHocStudent s
WHERE s.endYear = 2026 AND s.serviceType = 'P'

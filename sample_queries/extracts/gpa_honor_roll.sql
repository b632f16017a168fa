-- Author: Lena Ortiz
-- Purpose: honor roll list for the counselors (cumulative GPA 3.5 and up)
-- expect: SC003 VW002 VW003
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, g.cumGpaWeighted
FROM student s WITH (NOEXPAND)
JOIN v_CumGPAFull g ON g.personID = s.personID
WHERE s.endYear = 2026
  AND s.grade IN ('09', '10', '11', '12')
  AND g.cumGpaWeighted >= 3.5
ORDER BY g.cumGpaWeighted DESC

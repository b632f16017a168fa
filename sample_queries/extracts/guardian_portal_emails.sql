-- Author: Priya Nair
-- Purpose: students this year with a guardian who has a district portal e-mail, for the
-- family-engagement newsletter vendor
-- expect: SH004 VW001
SELECT DISTINCT st.studentNumber, st.lastName, st.firstName, st.grade, sch.name AS schoolName
FROM student st WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = st.schoolID
JOIN v_CensusContactSummary cs ON cs.personID = st.personID
WHERE st.endYear = 2026
  AND st.serviceType = 'P'
  AND cs.guardian = 1
  AND cs.portal = 1
  AND cs.email LIKE '%@district.org'
ORDER BY sch.name, st.lastName, st.firstName

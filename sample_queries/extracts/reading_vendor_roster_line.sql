-- Author: Dana Whitfield
-- Purpose: one pipe-delimited line per student for the reading vendor's nightly roster upload
-- expect: CL013 CL024
SELECT st.studentNumber + '|' + st.lastName + '|' + CAST(st.grade AS char) + '|' + sc.number AS rosterLine
FROM student st WITH (NOEXPAND)
JOIN School sc ON sc.schoolID = st.schoolID
WHERE st.endYear = 2026
  AND st.calendarID = 1234

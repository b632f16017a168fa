-- Author: Sam Achebe
-- Anti-pattern: three levels of OneRoster views for a section count
-- expect: VW002
SELECT e.classSourcedId, COUNT(*) AS students
FROM v_OneRosterEnrollments e
WHERE e.endYear = 2026 AND e.role = 'student'
GROUP BY e.classSourcedId

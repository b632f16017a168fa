-- Author: Sam Achebe
-- Purpose: OneRoster enrollments.csv for the reading platform
-- expect: VW002
SELECT e.sourcedId, e.classSourcedId, e.schoolID AS schoolSourcedId, e.userSourcedId, e.role,
       e.beginDate, e.endDate
FROM v_OneRosterEnrollments e
WHERE e.endYear = 2026

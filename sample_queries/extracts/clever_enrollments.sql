-- Author: Dana Whitfield
-- Purpose: Clever enrollments.csv: which student is in which section today
-- expect:
SELECT DISTINCT
    sch.number AS School_id,
    r.sectionID AS Section_id,
    r.personID AS Student_id
FROM Roster r
JOIN Section se ON se.sectionID = r.sectionID AND se.trialID = r.trialID
JOIN Course co ON co.courseID = se.courseID
JOIN Calendar c ON c.calendarID = co.calendarID
JOIN School sch ON sch.schoolID = c.schoolID
WHERE (r.endDate IS NULL OR r.endDate >= GETDATE())
  AND r.startDate <= GETDATE()

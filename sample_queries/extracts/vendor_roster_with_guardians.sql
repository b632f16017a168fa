-- Author: Priya Natarajan
-- Purpose: nightly roster for the learning platform: each student's sections with the guardian
-- emails the platform sends progress reports to
-- expect: JN012
SELECT s.studentNumber, s.lastName, s.firstName, r.sectionID, crs.number AS courseNumber,
       ct.email AS guardianEmail
FROM student s WITH (NOEXPAND)
JOIN Roster r ON r.personID = s.personID
JOIN Section sec ON sec.sectionID = r.sectionID
JOIN Course crs ON crs.courseID = sec.courseID AND crs.calendarID = s.calendarID
JOIN RelatedPair rp ON rp.personID1 = s.personID AND rp.guardian = 1
JOIN Contact ct ON ct.personID = rp.personID2
WHERE s.endYear = 2026 AND s.serviceType = 'P'
ORDER BY s.studentNumber, r.sectionID

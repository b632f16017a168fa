-- Author: Lena Ortiz
-- Purpose: seniors' transcripts for the college application portal
-- expect: VW003
SELECT td.studentNumber, td.lastName, td.firstName, td.endYear, td.courseNumber, td.courseName,
       td.score, td.creditsEarned
FROM v_TranscriptDetail td
WHERE td.personID IN (
    SELECT s.personID FROM student s WITH (NOEXPAND)
    WHERE s.endYear = 2026 AND s.grade = '12' AND s.serviceType = 'P'
)
ORDER BY td.studentNumber, td.endYear

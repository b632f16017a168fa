-- Author: Lena Ortiz
-- Fix: this year's seniors only, from the transcript table
-- expect:
SELECT p.studentNumber, tc.courseName, tc.score, tc.creditsEarned
FROM TranscriptCourse tc
JOIN Person p ON p.personID = tc.personID
WHERE tc.personID IN (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.grade = '12')
ORDER BY p.studentNumber

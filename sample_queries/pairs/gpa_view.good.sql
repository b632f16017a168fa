-- Author: Lena Ortiz
-- Fix: this year's seniors only, from the transcript table
-- expect:
SELECT p.studentNumber,
       SUM(tc.gpaValue * tc.gpaWeight) / NULLIF(SUM(tc.gpaWeight), 0) AS cumGpaWeighted,
       SUM(tc.creditsEarned) AS creditsEarned
FROM TranscriptCourse tc
JOIN Person p ON p.personID = tc.personID
WHERE tc.personID IN (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.grade = '12')
  AND tc.gpaWeight > 0
GROUP BY p.studentNumber
HAVING SUM(tc.gpaValue * tc.gpaWeight) / NULLIF(SUM(tc.gpaWeight), 0) < 2.0

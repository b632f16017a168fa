-- Author: Lena Ortiz
-- Anti-pattern: every transcript line of every person the district ever had
-- expect: SC001 VW003
SELECT td.studentNumber, td.lastName, td.courseName, td.score, td.creditsEarned
FROM v_TranscriptDetail td
ORDER BY td.studentNumber

-- Author: Lena Ortiz
-- Anti-pattern: the grading view for every year, to find this year's failing grades
-- expect: SC001 VW003
SELECT g.personID, g.courseName, g.termName, g.score
FROM v_GradingScores g
WHERE g.score = 'F'

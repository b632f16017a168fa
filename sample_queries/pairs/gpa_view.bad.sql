-- Author: Lena Ortiz
-- Anti-pattern: cumulative GPA for every student ever, during the school day
-- expect: SC001 VW002 VW003
SELECT g.studentNumber, g.cumGpaWeighted, g.creditsEarned
FROM v_CumGPAFull g
WHERE g.cumGpaWeighted < 2.0

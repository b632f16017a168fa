-- Author: Robert Kline
-- Purpose: every attendance mark beside the student's grades, for the data warehouse load
-- expect: JN002 RK001 RK002 SC001
SELECT a.personID, a.date, a.status, gs.termID, gs.score
FROM Attendance a
JOIN GradingScore gs ON gs.personID = a.personID

-- Author: Robert Kline
-- Fix: count this year's absences once, grouped, and join the counts
-- expect:
SELECT s.studentNumber, s.lastName, s.firstName, ISNULL(ab.absences, 0) AS absences
FROM student s WITH (NOEXPAND)
LEFT JOIN (SELECT a.personID, a.calendarID, COUNT(*) AS absences
           FROM Attendance a
           JOIN Calendar c ON c.calendarID = a.calendarID
           WHERE c.endYear = 2026 AND a.status = 'A'
           GROUP BY a.personID, a.calendarID) ab
       ON ab.personID = s.personID AND ab.calendarID = s.calendarID
WHERE s.endYear = 2026

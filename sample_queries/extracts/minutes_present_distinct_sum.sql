-- Author: Terrence Boyd
-- Purpose: minutes present per student this school year, for the attendance review team
-- expect: SH041
SELECT a.personID, COUNT(*) AS periodsMarked, SUM(DISTINCT a.presentMinutes) AS minutesPresent
FROM Attendance a
WHERE a.calendarID = 1234
  AND a.date >= '2025-08-20' AND a.date < '2026-06-05'
GROUP BY a.personID

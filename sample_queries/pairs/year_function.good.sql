-- Author: Robert Kline
-- Fix: the year through its calendars, the month as a date range
-- expect:
SELECT a.personID, a.date, a.status
FROM Attendance a
JOIN Calendar c ON c.calendarID = a.calendarID
WHERE c.endYear = 2026
  AND a.date >= '2026-03-01' AND a.date < '2026-04-01'

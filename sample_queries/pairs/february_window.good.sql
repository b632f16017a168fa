-- Author: Dana Whitfield
-- Fix: end the window at the first day of the next month
-- expect:
SELECT a.personID, a.date, a.status
FROM Attendance a
JOIN Calendar c ON c.calendarID = a.calendarID
WHERE c.endYear = 2026 AND a.date >= '20260201' AND a.date < '20260301'

-- Author: Robert Kline
-- Fix: join on the calendar too, so only this year's attendance is read
-- expect:
SELECT s.studentNumber, a.date, a.status
FROM student s WITH (NOEXPAND)
JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID
WHERE s.endYear = 2026 AND s.serviceType = 'P'

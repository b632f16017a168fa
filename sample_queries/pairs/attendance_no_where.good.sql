-- Author: Robert Kline
-- Fix: this year, from the base tables
-- expect:
SELECT a.personID, a.date, x.code AS excuseCode
FROM Attendance a
JOIN Calendar c ON c.calendarID = a.calendarID
LEFT JOIN AttendanceExcuse x ON x.excuseID = a.excuseID
WHERE c.endYear = 2026

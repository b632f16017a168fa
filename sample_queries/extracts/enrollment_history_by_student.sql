-- Author: Grace Lindqvist
-- Purpose: every enrollment a district student has ever had, for the records request office
-- (reads all years on purpose; run after hours)
-- expect: SC001
SELECT p.studentNumber, e.endYear, sch.name AS school, e.grade, e.startDate, e.endDate, e.endStatus
FROM Enrollment e
JOIN Person p ON p.personID = e.personID
JOIN Calendar c ON c.calendarID = e.calendarID
JOIN School sch ON sch.schoolID = c.schoolID
ORDER BY p.studentNumber, e.startDate

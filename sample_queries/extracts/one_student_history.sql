-- Author: Grace Lindqvist
-- Purpose: one student's enrollments and absences, for a records request
-- expect:
DECLARE @studentNumber varchar(15) = '123456'
SELECT e.endYear, e.grade, e.startDate, e.endDate
FROM Enrollment e
JOIN Person p ON p.personID = e.personID
WHERE p.studentNumber = @studentNumber
ORDER BY e.startDate

SELECT a.date, a.status, x.code
FROM Attendance a
JOIN Person p ON p.personID = a.personID
LEFT JOIN AttendanceExcuse x ON x.excuseID = a.excuseID
WHERE p.studentNumber = @studentNumber
ORDER BY a.date

-- Author: Dana Whitfield
-- Anti-pattern: a February window typed by hand, which stops the query with a conversion error
-- expect: PR012
SELECT a.personID, a.date, a.status
FROM Attendance a
JOIN Calendar c ON c.calendarID = a.calendarID
WHERE c.endYear = 2026 AND a.date BETWEEN '2026-02-01' AND '2026-02-29'

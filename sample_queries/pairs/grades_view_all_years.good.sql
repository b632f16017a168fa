-- Author: Lena Ortiz
-- Fix: this year's calendars, from the base tables
-- expect:
SELECT gs.personID, co.name AS courseName, te.name AS termName, gs.score
FROM GradingScore gs
JOIN Calendar c ON c.calendarID = gs.calendarID
JOIN Section se ON se.sectionID = gs.sectionID
JOIN Course co ON co.courseID = se.courseID
JOIN Term te ON te.termID = gs.termID
WHERE c.endYear = 2026 AND gs.score = 'F'

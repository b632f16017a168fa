-- Author: Lena Ortiz
-- Purpose: this term's posted grades for the learning management system
-- expect:
SELECT p.studentNumber, co.number AS courseNumber, se.number AS sectionNumber,
       gt.name AS task, gs.score, gs.[percent]
FROM GradingScore gs
JOIN Section se ON se.sectionID = gs.sectionID
JOIN Course co ON co.courseID = se.courseID
JOIN Term te ON te.termID = gs.termID
JOIN GradingTask gt ON gt.taskID = gs.taskID
JOIN Person p ON p.personID = gs.personID
JOIN Calendar c ON c.calendarID = gs.calendarID
WHERE c.endYear = 2026
  AND te.startDate <= GETDATE() AND te.endDate >= GETDATE()
  AND gt.name IN ('Quarter Grade', 'Semester Grade')

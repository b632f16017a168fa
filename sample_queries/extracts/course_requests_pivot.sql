-- Author: Sam Achebe
-- Purpose: sections per department and term, one column per term
-- expect:
SELECT departmentName, [Q1], [Q2], [Q3], [Q4]
FROM (
    SELECT d.name AS departmentName, te.name AS termName, sp.sectionID
    FROM SectionPlacement sp
    JOIN Section se ON se.sectionID = sp.sectionID AND se.trialID = sp.trialID
    JOIN Course co ON co.courseID = se.courseID
    JOIN Department d ON d.departmentID = co.departmentID
    JOIN Term te ON te.termID = sp.termID
    JOIN Calendar c ON c.calendarID = co.calendarID
    WHERE c.endYear = 2026
) AS src
PIVOT (COUNT(sectionID) FOR termName IN ([Q1], [Q2], [Q3], [Q4])) AS pvt
ORDER BY departmentName

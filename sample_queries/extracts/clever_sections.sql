-- Author: Dana Whitfield
-- Purpose: Clever sections.csv: this year's sections of the active trial, with their teacher
-- expect:
SELECT
    sch.number AS School_id,
    se.sectionID AS Section_id,
    se.teacherPersonID AS Teacher_id,
    co.number + '-' + CAST(se.number AS varchar(5)) AS Section_number,
    co.name AS Course_name,
    co.number AS Course_number,
    te.name AS Term_name,
    te.startDate AS Term_start,
    te.endDate AS Term_end
FROM Section se
JOIN Trial t ON t.trialID = se.trialID AND t.active = 1
JOIN Course co ON co.courseID = se.courseID
JOIN Calendar c ON c.calendarID = co.calendarID
JOIN School sch ON sch.schoolID = c.schoolID
JOIN SectionPlacement sp ON sp.sectionID = se.sectionID AND sp.trialID = se.trialID
JOIN Term te ON te.termID = sp.termID
JOIN SchoolYear sy ON sy.endYear = c.endYear AND sy.active = 1
WHERE c.summerSchool = 0
GROUP BY sch.number, se.sectionID, se.teacherPersonID, co.number, se.number, co.name, te.name, te.startDate, te.endDate

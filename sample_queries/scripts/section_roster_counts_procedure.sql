-- Author: Sam Achebe
-- Purpose: section sizes against room capacity, as a procedure for the scheduling team
-- expect: SH009
CREATE OR ALTER PROCEDURE dbo.usp_SectionSizes
    @endYear smallint
AS
SET NOCOUNT ON;

DECLARE @sizes TABLE (sectionID int PRIMARY KEY, students int NOT NULL);

INSERT INTO @sizes (sectionID, students)
SELECT r.sectionID, COUNT(*)
FROM Roster r
JOIN Section se ON se.sectionID = r.sectionID AND se.trialID = r.trialID
JOIN Trial t ON t.trialID = se.trialID AND t.active = 1
JOIN Calendar c ON c.calendarID = t.calendarID
WHERE c.endYear = @endYear
  AND (r.endDate IS NULL OR r.endDate >= GETDATE())
GROUP BY r.sectionID;

SELECT co.number, se.number AS sectionNumber, z.students, rm.name AS room, rm.maxStudents,
       CASE WHEN z.students > rm.maxStudents THEN 'over' ELSE 'ok' END AS capacity
FROM @sizes z
JOIN Section se ON se.sectionID = z.sectionID
JOIN Course co ON co.courseID = se.courseID
LEFT JOIN Room rm ON rm.roomID = se.roomID
ORDER BY capacity DESC, co.number;
GO

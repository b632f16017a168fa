-- Author: Marcus Bell
-- Purpose: keeps the district's bus assignment table in step with this year's enrollments
-- expect: CL004 JN006
MERGE dbo.DistrictBusAssignment AS target
USING (
    SELECT e.personID, c.schoolID
    FROM Enrollment e
    JOIN Calendar c ON c.calendarID = e.calendarID
    WHERE c.endYear = 2026 AND e.serviceType = 'P' AND e.endDate IS NULL
) AS source
ON target.personID = source.personID
WHEN MATCHED AND target.schoolID <> source.schoolID THEN
    UPDATE SET target.schoolID = source.schoolID, target.modified = GETDATE()
WHEN NOT MATCHED BY TARGET THEN
    INSERT (personID, schoolID, modified) VALUES (source.personID, source.schoolID, GETDATE())
WHEN NOT MATCHED BY SOURCE THEN
    DELETE;

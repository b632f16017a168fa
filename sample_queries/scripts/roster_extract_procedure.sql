-- Author: Sam Achebe
-- Purpose: the roster extract as a stored procedure the vendor's job calls
-- expect:
IF OBJECT_ID('dbo.usp_RosterExtract', 'P') IS NOT NULL
    DROP PROCEDURE dbo.usp_RosterExtract
GO

CREATE PROCEDURE dbo.usp_RosterExtract
    @endYear smallint,
    @schoolNumber varchar(10) = NULL
AS
BEGIN
    SET NOCOUNT ON

    IF @endYear IS NULL
    BEGIN
        RAISERROR('An end year is required', 16, 1)
        RETURN 1
    END

    SELECT sch.number AS schoolNumber, s.studentNumber, co.number AS courseNumber,
           se.number AS sectionNumber, r.startDate, r.endDate
    FROM student s WITH (NOEXPAND)
    JOIN School sch ON sch.schoolID = s.schoolID
    JOIN Roster r ON r.personID = s.personID
    JOIN Section se ON se.sectionID = r.sectionID AND se.trialID = r.trialID
    JOIN Trial t ON t.trialID = se.trialID AND t.active = 1 AND t.calendarID = s.calendarID
    JOIN Course co ON co.courseID = se.courseID
    WHERE s.endYear = @endYear
      AND (@schoolNumber IS NULL OR sch.number = @schoolNumber)

    RETURN 0
END
GO

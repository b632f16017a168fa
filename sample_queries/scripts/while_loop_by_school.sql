-- Author: Tom Reyes
-- Purpose: copies this year's enrollments school by school to keep each batch small
-- expect: SH013
DECLARE @schoolID int = 0, @batches int = 0

CREATE TABLE #copied (enrollmentID int, personID int, schoolID int)

WHILE 1 = 1
BEGIN
    SELECT @schoolID = MIN(sch.schoolID) FROM School sch WHERE sch.schoolID > @schoolID
    IF @schoolID IS NULL
        BREAK

    INSERT INTO #copied (enrollmentID, personID, schoolID)
    SELECT e.enrollmentID, e.personID, c.schoolID
    FROM Enrollment e
    JOIN Calendar c ON c.calendarID = e.calendarID
    WHERE c.schoolID = @schoolID AND c.endYear = 2026

    SET @batches = @batches + 1
    IF @batches > 500
        BREAK
    ELSE
        CONTINUE
END

SELECT COUNT(*) AS copied, @batches AS batches FROM #copied

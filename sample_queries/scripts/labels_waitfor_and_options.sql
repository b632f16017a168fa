-- Author: Tom Reyes
-- Purpose: retries the state upload once after a pause
-- expect: HT002
DECLARE @tries int = 0
retry:
SET @tries += 1
BEGIN TRY
    SELECT sch.number, COUNT(*) AS students
    FROM Enrollment e
    JOIN Calendar c ON c.calendarID = e.calendarID
    JOIN School sch ON sch.schoolID = c.schoolID
    WHERE c.endYear = 2026
    GROUP BY sch.number
    OPTION (MAXDOP 1, RECOMPILE)
END TRY
BEGIN CATCH
    IF @tries < 2
    BEGIN
        WAITFOR DELAY '00:00:30'
        GOTO retry
    END
    ;THROW
END CATCH

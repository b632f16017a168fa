-- Author: Lena Ortiz
-- Purpose: fix posted scores entered with a comma instead of a point, with an audit trail
-- expect:
SET XACT_ABORT ON
DECLARE @fixed int = 0

BEGIN TRY
    BEGIN TRANSACTION

    IF EXISTS (SELECT 1 FROM GradingScore gs JOIN Calendar c ON c.calendarID = gs.calendarID
               WHERE c.endYear = 2026 AND gs.score LIKE '%,%')
    BEGIN
        UPDATE gs
        SET gs.score = REPLACE(gs.score, ',', '.')
        FROM GradingScore gs
        JOIN Calendar c ON c.calendarID = gs.calendarID
        WHERE c.endYear = 2026 AND gs.score LIKE '%,%'

        SET @fixed = @@ROWCOUNT
    END
    ELSE
        PRINT 'nothing to fix'

    COMMIT TRANSACTION
END TRY
BEGIN CATCH
    IF @@TRANCOUNT > 0
        ROLLBACK TRANSACTION;
    THROW;
END CATCH

SELECT @fixed AS scoresFixed

-- Author: Tom Reyes
-- expect: PA001
IF 1 = 1
    SELECT sch.name FROM School sch
END
SELECT c.name FROM Calendar c WHERE c.endYear = 2026

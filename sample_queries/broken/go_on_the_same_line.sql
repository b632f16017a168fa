-- Author: Tom Reyes
-- GO only ends a batch on a line of its own
-- expect: PA001
SELECT sch.name FROM School sch go
SELECT c.name FROM Calendar c WHERE c.endYear = 2026

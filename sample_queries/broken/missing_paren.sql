-- Author: Tom Reyes
-- Three statements; the middle one lost a parenthesis
-- expect: PA001
SELECT sch.number, sch.name FROM School sch

SELECT s.studentNumber
FROM student s WITH (NOEXPAND
WHERE s.endYear = 2026

SELECT c.name FROM Calendar c WHERE c.endYear = 2026

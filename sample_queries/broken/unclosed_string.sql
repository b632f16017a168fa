-- Author: Tom Reyes
-- The string on line 5 never closes: everything after it is inside it
-- expect: PA001
SELECT sch.name FROM School sch
SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.grade = '12
GO
SELECT 1

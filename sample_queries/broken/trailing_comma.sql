-- Author: Tom Reyes
-- expect: PA001
SELECT s.studentNumber,
       s.lastName,
FROM student s WITH (NOEXPAND)
WHERE s.endYear = 2026

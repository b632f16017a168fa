-- Author: Robert Kline
-- Anti-pattern: a correlated subquery counts each student's absences, once per student row
-- expect: SC001 SH001
SELECT s.studentNumber, s.lastName, s.firstName,
       (SELECT COUNT(*) FROM Attendance a
        WHERE a.personID = s.personID AND a.status = 'A') AS absences
FROM student s WITH (NOEXPAND)
WHERE s.endYear = 2026

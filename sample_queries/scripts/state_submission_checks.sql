/*
   Pre-submission checks for the fall state count.
   Author: Grace Lindqvist
   Each check prints its name and lists the problem rows; an empty result means it passed.
*/
-- expect:
SET NOCOUNT ON;
DECLARE @endYear smallint = 2026;
DECLARE @countDate date = '2025-10-01';

PRINT '1. Students with two primary enrollments on the count date';
SELECT e.personID, COUNT(*) AS primaries
FROM Enrollment e
JOIN Calendar c ON c.calendarID = e.calendarID
WHERE c.endYear = @endYear
  AND e.serviceType = 'P'
  AND e.startDate <= @countDate
  AND (e.endDate IS NULL OR e.endDate >= @countDate)
GROUP BY e.personID
HAVING COUNT(*) > 1;

PRINT '2. Students without a state ID';
SELECT p.personID, p.studentNumber
FROM Person p
WHERE p.stateID IS NULL
  AND EXISTS (SELECT 1 FROM Enrollment e WHERE e.personID = p.personID AND e.endYear = @endYear AND e.noShow = 0);

PRINT '3. Enrollments that start after they end';
SELECT e.enrollmentID, e.personID, e.startDate, e.endDate
FROM Enrollment e
WHERE e.endYear = @endYear AND e.endDate < e.startDate;

PRINT '4. Grades outside the school''s range';
SELECT s.personID, s.grade, sch.name
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
WHERE s.endYear = @endYear
  AND s.grade NOT IN ('PK', 'KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12');

PRINT '5. Calendars without instructional days';
SELECT c.calendarID, c.name
FROM Calendar c
WHERE c.endYear = @endYear
  AND NOT EXISTS (SELECT 1 FROM Day d WHERE d.calendarID = c.calendarID AND d.instruction = 1);

PRINT '6. Schools with no active calendar';
SELECT sch.schoolID, sch.name
FROM School sch
LEFT JOIN Calendar c ON c.schoolID = sch.schoolID AND c.endYear = @endYear
WHERE c.calendarID IS NULL;

PRINT 'done';

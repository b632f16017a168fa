-- Author: Grace Lindqvist
-- Purpose: before year-end rollover, compare this year's and next year's enrollments by school
-- expect:
DECLARE @thisYear smallint, @nextYear smallint
SELECT @thisYear = endYear FROM SchoolYear WHERE active = 1
SET @nextYear = @thisYear + 1

IF OBJECT_ID('tempdb..#counts') IS NOT NULL DROP TABLE #counts
SELECT c.schoolID, c.endYear, COUNT(DISTINCT e.personID) AS students
INTO #counts
FROM Enrollment e
JOIN Calendar c ON c.calendarID = e.calendarID
WHERE c.endYear IN (@thisYear, @nextYear)
  AND e.serviceType = 'P'
GROUP BY c.schoolID, c.endYear

SELECT sch.name,
       MAX(CASE WHEN k.endYear = @thisYear THEN k.students END) AS thisYear,
       MAX(CASE WHEN k.endYear = @nextYear THEN k.students END) AS nextYear
FROM #counts k
JOIN School sch ON sch.schoolID = k.schoolID
GROUP BY sch.name
ORDER BY sch.name

IF EXISTS (SELECT 1 FROM #counts WHERE endYear = @nextYear)
    PRINT 'next year already has enrollments'
ELSE
BEGIN
    PRINT 'next year has no enrollments yet'
    RAISERROR('rollover has not run', 10, 1) WITH NOWAIT
END

DROP TABLE #counts

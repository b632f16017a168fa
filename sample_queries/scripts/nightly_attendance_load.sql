/*
   Nightly attendance summary for the district data warehouse.
   Written by: Tom Reyes
*/
-- expect: HT001 SH036
USE campus_prod
SET NOCOUNT ON
SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED

DECLARE @endYear smallint
SELECT @endYear = endYear FROM SchoolYear WHERE active = 1
DECLARE @today date = CAST(GETDATE() AS date)

IF OBJECT_ID('tempdb..#students') IS NOT NULL DROP TABLE #students
IF OBJECT_ID('tempdb..#absences') IS NOT NULL
    DROP TABLE #absences

CREATE TABLE #students (
    personID int NOT NULL PRIMARY KEY CLUSTERED,
    calendarID int NOT NULL,
    schoolID int NOT NULL
)

INSERT INTO #students (personID, calendarID, schoolID)
SELECT s.personID, s.calendarID, s.schoolID
FROM student s WITH (NOEXPAND)
WHERE s.endYear = @endYear
  AND s.serviceType = 'P'
  AND s.startDate <= @today
  AND (s.endDate IS NULL OR s.endDate >= @today)

SELECT st.personID, a.date, a.status
INTO #absences
FROM #students st
JOIN Attendance a ON a.personID = st.personID AND a.calendarID = st.calendarID
WHERE a.date >= DATEADD(day, -7, @today)

SELECT sch.number AS schoolNumber, ab.date, COUNT(*) AS absences
FROM #absences ab
JOIN #students st ON st.personID = ab.personID
JOIN School sch ON sch.schoolID = st.schoolID
GROUP BY sch.number, ab.date
ORDER BY sch.number, ab.date

DROP TABLE #absences
DROP TABLE #students

-- Author: Grace Lindqvist
-- Purpose: nightly refresh of the grade level kept in the district's counselor caseload table
-- expect: CL004 JN006
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#current') IS NOT NULL DROP TABLE #current;

SELECT e.personID, e.calendarID, e.grade, c.schoolID
INTO #current
FROM Enrollment e
JOIN Calendar c ON c.calendarID = e.calendarID
WHERE c.endYear = 2026
  AND e.noShow = 0
  AND (e.endDate IS NULL OR e.endDate >= CAST(GETDATE() AS date));

UPDATE cl
SET cl.grade = cur.grade,
    cl.schoolID = cur.schoolID
FROM dbo.CounselorCaseload cl
JOIN #current cur ON cur.personID = cl.personID;

DROP TABLE #current;

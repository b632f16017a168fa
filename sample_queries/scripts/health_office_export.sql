-- Author: Gail Moreau
-- Purpose: nightly export for the health office's screening software: each student's latest
-- homeroom, absences this fall and a guardian to call. Task Scheduler runs it at 5:00.
-- expect: CL017 PR015 SH001 SH027 SH028
SET NOCOUNT ON

DECLARE @endYear smallint = (SELECT endYear FROM SchoolYear WHERE active = 1)
DECLARE @school varchar = 'Lincoln High'
DECLARE @fallStart date = '2025-08-20'

IF OBJECT_ID('tempdb..#kids') IS NOT NULL DROP TABLE #kids

SELECT s.personID, s.calendarID, s.studentNumber, s.lastName, s.firstName, s.grade
INTO #kids
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
WHERE s.endYear = @endYear
  AND sch.name = @school

SELECT k.studentNumber, k.lastName, k.firstName, k.grade,
       COALESCE((SELECT COUNT(*) FROM Attendance a
                 WHERE a.personID = k.personID AND a.calendarID = k.calendarID AND a.status = 'A'
                   AND a.date BETWEEN @fallStart AND '2025-12-18 23:59:59'), 0) AS fallAbsences,
       g.lastName AS guardianLast, g.cellPhone
FROM #kids k
OUTER APPLY (
    SELECT TOP 1 i.lastName, ct.cellPhone
    FROM RelatedPair rp
    JOIN Person p ON p.personID = rp.personID2
    JOIN [Identity] i ON i.identityID = p.currentIdentityID
    LEFT JOIN Contact ct ON ct.personID = rp.personID2
    WHERE rp.personID1 = k.personID AND rp.guardian = 1
    ORDER BY rp.seq
) g
ORDER BY k.lastName, k.firstName

DROP TABLE #kids

-- Author: Robert Kline
-- Purpose: the data set behind the SSRS truancy letter report; @schoolID and @asOf come from the report
-- expect: SH027
SELECT s.studentNumber, s.lastName, s.firstName, s.grade, sch.name AS schoolName,
       g.lastName AS guardianLast, g.firstName AS guardianFirst,
       g.addressLine1, g.city, g.state, g.zip,
       abs.unexcused
FROM student s WITH (NOEXPAND)
JOIN School sch ON sch.schoolID = s.schoolID
CROSS APPLY (
    SELECT COUNT(*) AS unexcused
    FROM Attendance a
    LEFT JOIN AttendanceExcuse x ON x.excuseID = a.excuseID
    WHERE a.personID = s.personID AND a.calendarID = s.calendarID
      AND a.date <= @asOf
      AND ISNULL(x.excuse, a.excuse) = 'U'
) abs
OUTER APPLY (
    SELECT TOP 1 cs.lastName, cs.firstName, cs.addressLine1, cs.city, cs.state, cs.zip
    FROM v_CensusContactSummary cs
    WHERE cs.personID = s.personID AND cs.guardian = 1 AND cs.mailing = 1
    ORDER BY cs.contactSequence
) g
WHERE s.schoolID = @schoolID
  AND s.endYear = 2026
  AND abs.unexcused >= 5
ORDER BY s.lastName, s.firstName

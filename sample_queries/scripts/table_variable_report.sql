-- Author: Priya Nair
-- Purpose: attendance for the students on this year's intervention list
-- expect: CL016 SC001 SH009 SH036
DECLARE @intervention TABLE (
    personID int PRIMARY KEY CLUSTERED,
    tier tinyint NOT NULL INDEX ix_tier NONCLUSTERED,
    startDate date NOT NULL
)

INSERT INTO @intervention (personID, tier, startDate)
SELECT cs.personID, CAST(cs.value AS tinyint), cs.date
FROM CustomStudent cs
JOIN CampusAttribute ca ON ca.attributeID = cs.attributeID
JOIN Enrollment e ON e.enrollmentID = cs.enrollmentID
WHERE ca.object = 'Student' AND ca.element = 'interventionTier'
  AND e.endYear = 2026

SELECT iv.personID, iv.tier, a.date, a.status
FROM @intervention iv
JOIN Attendance a ON a.personID = iv.personID
WHERE a.status IN ('A', 'T')
ORDER BY iv.personID, a.date

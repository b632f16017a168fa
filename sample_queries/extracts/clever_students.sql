-- Author: Dana Whitfield
-- Purpose: Clever students.csv, run nightly by the Data Extract Utility
-- expect: HT001 SH015
SELECT
    sch.number AS [School_id],
    s.personID AS [Student_id],
    s.studentNumber AS [Student_number],
    s.stateID AS [State_id],
    s.lastName AS [Last_name],
    s.middleName AS [Middle_name],
    s.firstName AS [First_name],
    CASE s.grade WHEN 'KG' THEN 'Kindergarten' WHEN 'PK' THEN 'PreKindergarten' ELSE s.grade END AS [Grade],
    s.gender AS [Gender],
    FORMAT(s.birthdate, 'MM/dd/yyyy') AS [DOB],
    s.raceEthnicity AS [Race],
    s.hispanicEthnicity AS [Hispanic_Latino]
FROM student s WITH (NOEXPAND)
INNER JOIN Calendar c WITH (NOLOCK) ON c.calendarID = s.calendarID
INNER JOIN School sch WITH (NOLOCK) ON sch.schoolID = c.schoolID
WHERE c.startDate <= GETDATE()
  AND c.endDate >= GETDATE()
  AND s.serviceType = 'P'
  AND (s.endDate IS NULL OR s.endDate >= GETDATE())
  AND s.stateExclude = 0
  AND c.summerSchool = 0
ORDER BY sch.number, s.lastName, s.firstName

-- Author: Ana Ruiz
-- Purpose: English learners with their home language and their teachers, for the language assessment vendor
-- expect: SH001 SH007
WITH current_students AS (
    SELECT s.personID, s.calendarID, s.studentNumber, s.lastName, s.firstName, s.grade,
           s.homePrimaryLanguage, s.schoolID
    FROM student s WITH (NOEXPAND)
    WHERE s.endYear = 2026 AND s.serviceType = 'P' AND s.noShow = 0
),
learners AS (
    SELECT cs.personID
    FROM CustomStudent cs
    JOIN CampusAttribute ca ON ca.attributeID = cs.attributeID
    JOIN current_students c ON c.personID = cs.personID
    WHERE ca.element = 'ellStatus' AND cs.value IN ('LEP', 'EL')
),
teachers AS (
    SELECT r.personID,
           STUFF((SELECT ', ' + ti.lastName
                  FROM Roster r2
                  JOIN Section se ON se.sectionID = r2.sectionID AND se.trialID = r2.trialID
                  JOIN Person tp ON tp.personID = se.teacherPersonID
                  JOIN [Identity] ti ON ti.identityID = tp.currentIdentityID
                  WHERE r2.personID = r.personID AND r2.trialID = r.trialID
                  FOR XML PATH('')), 1, 2, '') AS teacherNames
    FROM Roster r
    JOIN Trial t ON t.trialID = r.trialID AND t.active = 1
    JOIN current_students c ON c.calendarID = t.calendarID AND c.personID = r.personID
    GROUP BY r.personID, r.trialID
)
SELECT c.studentNumber, c.lastName, c.firstName, c.grade, sch.number AS school,
       ISNULL(c.homePrimaryLanguage, 'eng') AS language, t.teacherNames
FROM current_students c
JOIN learners l ON l.personID = c.personID
JOIN School sch ON sch.schoolID = c.schoolID
LEFT JOIN teachers t ON t.personID = c.personID

-- Author: Marcus Bell
-- Purpose: three district custom fields as columns, for this year's students
-- expect:
SELECT s.studentNumber, s.lastName, s.firstName,
       MAX(CASE WHEN ca.element = 'busRoute' THEN cs.value END) AS busRoute,
       MAX(CASE WHEN ca.element = 'lunchPIN' THEN cs.value END) AS lunchPIN,
       MAX(CASE WHEN ca.element = 'lockerNumber' THEN cs.value END) AS lockerNumber
FROM student s WITH (NOEXPAND)
LEFT JOIN CustomStudent cs ON cs.personID = s.personID AND cs.enrollmentID = s.enrollmentID
LEFT JOIN CampusAttribute ca ON ca.attributeID = cs.attributeID
     AND ca.element IN ('busRoute', 'lunchPIN', 'lockerNumber')
WHERE s.endYear = 2026 AND s.serviceType = 'P'
GROUP BY s.studentNumber, s.lastName, s.firstName

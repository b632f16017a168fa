-- Author: Jamie Fox
-- Purpose: this year's primary enrollments per school, one column per high school grade
-- expect:
SELECT sch.name AS school, pvt.[09] AS grade9, pvt.[10] AS grade10, pvt.[11] AS grade11, pvt.[12] AS grade12
FROM (
    SELECT c.schoolID, e.grade, e.personID
    FROM Enrollment e
    JOIN Calendar c ON c.calendarID = e.calendarID
    WHERE c.endYear = 2026 AND e.serviceType = 'P'
) AS src
PIVOT (COUNT(personID) FOR grade IN ([09], [10], [11], [12])) AS pvt
JOIN School sch ON sch.schoolID = pvt.schoolID
ORDER BY sch.name

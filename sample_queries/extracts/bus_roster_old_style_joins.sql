-- Author: Tom Reyes
-- Purpose: transportation roster, written with the old comma joins
-- expect: CL013
SELECT sch.name AS school, s.studentNumber, s.lastName, s.firstName, a.number + ' ' + a.street AS address, a.city, a.zip
FROM student s WITH (NOEXPAND), School sch, HouseholdMember hm, HouseholdLocation hl, Address a
WHERE sch.schoolID = s.schoolID
  AND hm.personID = s.personID AND hm.endDate IS NULL
  AND hl.householdID = hm.householdID AND hl.physical = 1 AND hl.endDate IS NULL
  AND a.addressID = hl.addressID
  AND s.endYear = 2026 AND s.serviceType = 'P'

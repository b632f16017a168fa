-- Author: Sam Achebe
-- Purpose: staff directory for the web site
-- expect:
SELECT se.schoolName, se.lastName, se.firstName, se.title, ct.workPhone, ct.email
FROM v_SchoolEmployment se
LEFT JOIN Contact ct ON ct.personID = se.personID
WHERE se.endDate IS NULL
ORDER BY se.schoolName, se.lastName

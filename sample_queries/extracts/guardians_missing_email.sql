-- Author: Dana Whitfield
-- Purpose: guardians of this year's students with no email on file, for the registrars to call
-- before portal sign-up; run weekly in August
-- expect: PR028
SELECT DISTINCT sp.studentNumber, si.lastName AS studentLast, si.firstName AS studentFirst,
       gi.lastName AS guardianLast, gi.firstName AS guardianFirst, c.cellPhone
FROM Enrollment e
JOIN Calendar cal ON cal.calendarID = e.calendarID
JOIN Person sp ON sp.personID = e.personID
JOIN [Identity] si ON si.identityID = sp.currentIdentityID
JOIN RelatedPair rp ON rp.personID1 = e.personID AND rp.guardian = 1
    AND (rp.endDate IS NULL OR rp.endDate >= GETDATE())
JOIN Person gp ON gp.personID = rp.personID2
JOIN [Identity] gi ON gi.identityID = gp.currentIdentityID
JOIN Contact c ON c.personID = rp.personID2
WHERE cal.endYear = 2026
  AND e.serviceType = 'P'
  AND c.email = ''
ORDER BY si.lastName, si.firstName

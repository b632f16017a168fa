-- Author: Marcus Bell
-- Purpose: guardian e-mails for the spring climate survey; juniors and seniors take their own
-- survey at school, so their families are left out, and so are contacts with a blank e-mail
-- expect: PR021
SELECT st.studentNumber, st.grade, rp.personID2 AS guardianPersonID, c.email
FROM student st WITH (NOEXPAND)
JOIN RelatedPair rp ON rp.personID1 = st.personID AND rp.guardian = 1
JOIN Contact c ON c.personID = rp.personID2
WHERE st.endYear = 2026
  AND st.serviceType = 'P'
  AND (st.grade <> '11' OR st.grade <> '12')
  AND (c.email IS NOT NULL OR c.email <> '')
  AND (rp.endDate IS NULL OR rp.endDate > GETDATE())

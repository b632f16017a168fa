-- Author: Priya Nair
-- Anti-pattern: a leading wildcard, so the name index cannot be used
-- expect: PR002
SELECT i.personID, i.lastName, i.firstName, i.birthdate
FROM [Identity] i
WHERE i.lastName LIKE '%son'

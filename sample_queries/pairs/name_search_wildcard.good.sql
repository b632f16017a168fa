-- Author: Priya Nair
-- Fix: search from the start of the name
-- expect:
SELECT i.personID, i.lastName, i.firstName, i.birthdate
FROM [Identity] i
WHERE i.lastName LIKE 'Anders%'

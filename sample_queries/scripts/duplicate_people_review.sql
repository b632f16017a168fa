-- Author: Grace Lindqvist
-- Purpose: people who may have been entered twice (same name and birth date)
-- expect: SH007
;WITH people AS (
    SELECT p.personID, i.lastName, i.firstName, i.birthdate, p.studentNumber
    FROM Person p
    JOIN [Identity] i ON i.identityID = p.currentIdentityID
    WHERE i.birthdate IS NOT NULL
)
SELECT a.personID AS firstID, b.personID AS secondID, a.lastName, a.firstName, a.birthdate,
       a.studentNumber AS firstNumber, b.studentNumber AS secondNumber
FROM people a
JOIN people b ON b.lastName = a.lastName AND b.firstName = a.firstName
             AND b.birthdate = a.birthdate AND b.personID > a.personID
ORDER BY a.lastName, a.firstName

-- Author: Tom Reyes
-- Purpose: builds one e-mail list per school, one school at a time
-- expect: SH013
SET NOCOUNT ON
DECLARE @schoolID int, @schoolName varchar(100), @count int = 0
DECLARE @list TABLE (schoolName varchar(100), email varchar(100))

DECLARE schools CURSOR LOCAL FAST_FORWARD FOR
    SELECT sch.schoolID, sch.name FROM School sch WHERE sch.districtID = 1 ORDER BY sch.name

OPEN schools
FETCH NEXT FROM schools INTO @schoolID, @schoolName
WHILE @@FETCH_STATUS = 0
BEGIN
    INSERT INTO @list (schoolName, email)
    SELECT @schoolName, ct.email
    FROM student s WITH (NOEXPAND)
    JOIN RelatedPair rp ON rp.personID1 = s.personID AND rp.guardian = 1 AND rp.endDate IS NULL
    JOIN Contact ct ON ct.personID = rp.personID2
    WHERE s.schoolID = @schoolID AND s.endYear = 2026 AND ct.email IS NOT NULL

    SET @count += @@ROWCOUNT
    RAISERROR('%s done', 0, 1, @schoolName) WITH NOWAIT
    FETCH NEXT FROM schools INTO @schoolID, @schoolName
END
CLOSE schools
DEALLOCATE schools

PRINT 'addresses: ' + CAST(@count AS varchar(10))
SELECT schoolName, email FROM @list ORDER BY schoolName, email

-- Author: Marcus Bell
-- Purpose: the district's own view of this year's students, and an extract on it
-- expect: VW001 VW002 VW005
IF OBJECT_ID('dbo.v_DistrictCurrentStudents', 'V') IS NOT NULL
    DROP VIEW dbo.v_DistrictCurrentStudents
go

CREATE VIEW dbo.v_DistrictCurrentStudents AS
SELECT s.personID, s.studentNumber, s.lastName, s.firstName, s.grade, s.schoolNumber, s.schoolName
FROM dbo.v_AdHocStudent s
WHERE s.endYear = 2026 AND s.serviceType = 'P' AND s.activeToday = 1
GO

SELECT d.studentNumber, d.lastName, d.firstName, d.grade
FROM dbo.v_DistrictCurrentStudents d
WHERE d.schoolNumber = '0301'
GO 2

GO

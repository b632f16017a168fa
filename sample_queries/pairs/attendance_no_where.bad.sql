-- Author: Robert Kline
-- Anti-pattern: the attendance view with no WHERE clause at all
-- expect: RK002 SC001 VW001
SELECT ad.personID, ad.date, ad.excuseCode
FROM v_AttendanceDetail ad
JOIN School sch ON sch.schoolID = ad.schoolID

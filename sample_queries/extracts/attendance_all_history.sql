-- Author: Robert Kline
-- Purpose: absences by excuse code for the board presentation
-- expect: SC001 VW001
SELECT ad.excuseCode, ad.excuseDescription, COUNT(*) AS marks
FROM v_AttendanceDetail ad
GROUP BY ad.excuseCode, ad.excuseDescription
ORDER BY marks DESC

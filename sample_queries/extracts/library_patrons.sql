/*
   Library patron load for Destiny.
   Created by: Marcus Bell 08/14/2019
   Runs every night at 2 am.
*/
-- expect: CL001 VW001 VW002 VW005
SELECT *
FROM v_AdHocStudent s
WHERE s.endYear = (SELECT endYear FROM SchoolYear WHERE active = 1)
  AND s.activeToday = 1
  AND s.serviceType = 'P'

-- Author: Sam Achebe
-- Fix: the roster and the section's trial
-- expect:
SELECT r.sectionID AS classSourcedId, COUNT(*) AS students
FROM Roster r
JOIN Trial t ON t.trialID = r.trialID AND t.active = 1
JOIN Calendar c ON c.calendarID = t.calendarID
WHERE c.endYear = 2026
GROUP BY r.sectionID

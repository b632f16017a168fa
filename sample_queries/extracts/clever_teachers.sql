-- Author: Dana Whitfield
-- Purpose: Clever teachers.csv: current teachers and their e-mail
-- expect: VW002
SELECT DISTINCT
    sm.schoolNumber AS School_id,
    sm.personID AS Teacher_id,
    sm.staffNumber AS Teacher_number,
    sm.lastName AS Last_name,
    sm.firstName AS First_name,
    sm.email AS Teacher_email,
    sm.username AS Username
FROM StaffMember sm
WHERE sm.teacher = 1
  AND (sm.assignmentEndDate IS NULL OR sm.assignmentEndDate >= GETDATE())
  AND sm.assignmentStartDate <= GETDATE()

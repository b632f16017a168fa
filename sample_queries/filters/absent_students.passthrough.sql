-- Author: Marcus Bell
-- Pass-through filter "Absent today", saved as one file: box A holds the joins, box B the
-- conditions, as they are typed into Campus's two boxes.
-- box a
JOIN Attendance a ON a.personID = student.personID
  AND a.calendarID = student.calendarID
-- box b
AND a.date = CAST(GETDATE() AS date)
AND a.status = 'A'

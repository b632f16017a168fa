"""N'...' is a string as '...' is: SQL Server converts it as it does the plain string wherever a
number or a date meets it, and a rule that reads a string reads both alike. sqlglot keeps N'...'
as a node of its own, not a string literal, so each rule that reads strings is checked on both."""

import pytest


@pytest.mark.parametrize("rule, sql", [
    ("PR026", "SELECT c.calendarID FROM Calendar c WHERE c.endYear = {n}'2025-26'"),
    ("PR026", "DECLARE @school varchar(10) = {n}'All'\nSELECT c.calendarID FROM Calendar c WHERE c.schoolID = @school"),
    ("PR012", "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date >= {n}'2026-02-30'"),
    ("PR018", "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.grade BETWEEN {n}'9' AND {n}'12'"),
    ("PR024", "DECLARE @name varchar(20) = {n}'Sm%'\nSELECT i.identityID FROM [Identity] i WHERE i.lastName = @name"),
    ("PR011", "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date BETWEEN {n}'2026-06-30' AND {n}'2025-08-20'"),
    ("PR021", "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.date >= {n}'2026-06-30' "
              "AND a.date <= {n}'2025-08-20'"),
    ("PR013", "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.modifiedDate <= {n}'2026-06-30'"),
    ("PR001", "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND CAST(a.modifiedDate AS date) = {n}'2026-03-02'"),
    ("CL023", "SELECT {n}'School year ' + c.endYear AS label FROM Calendar c WHERE c.calendarID = 5"),
    ("CL013", "SELECT p.studentNumber + {n}' ' + c.name AS label FROM Person p CROSS JOIN Calendar c "
              "WHERE p.personID = 5 AND c.calendarID = 5"),
    ("CL017", "DECLARE @label varchar(5)\nSELECT @label = {n}'Calendar ' + c.name FROM Calendar c WHERE c.calendarID = 5"),
    ("PR020", "DECLARE @list varchar(50) = {n}'12,14,15'\nSELECT e.personID FROM Enrollment e WHERE e.calendarID IN (@list)"),
    ("CL011", "SELECT e.personID, ISNULL(e.endDate, {n}'') AS v FROM Enrollment e WHERE e.endYear = 2027"),
    # a report's parameter, whose type the file does not say: the string makes it a list
    ("SH029", "SELECT @list = @list + c.name + {n}',' FROM Calendar c WHERE c.endYear = 2027 ORDER BY c.name"),
    ("CL015", "CREATE TABLE #roster (personID int, lastName varchar(10))\n"
              "INSERT INTO #roster (personID, lastName) VALUES (7, {n}'Featherstonehaugh')"),
], ids=lambda value: value if len(value) == 5 else None)
def test_a_unicode_string_is_read_as_the_plain_one(check, rule, sql):
    plain = [f for f in check(sql.format(n="") + "\n").findings if f.rule == rule]
    unicode = [f for f in check(sql.format(n="N") + "\n").findings if f.rule == rule]
    assert plain and len(unicode) == len(plain)
    # the same words, but for the N, and nvarchar where the text's type is named
    assert [(f.message.replace("N'", "'").replace("nvarchar", "varchar"),
             f.remediation.replace("N'", "'").replace("nvarchar", "varchar")) for f in unicode] == [
        (f.message, f.remediation) for f in plain]


@pytest.mark.parametrize("sql, error", [
    ("SELECT c.calendarID FROM Calendar c WHERE c.calendarID = N'x'",
     "error 245 (\"Conversion failed when converting the nvarchar value 'x' to data type int\")"),
    ("SELECT t.personID FROM TranscriptCourse t WHERE t.gpaValue > N'A'",
     "error 8114 (\"Error converting data type nvarchar to numeric\")"),
    ("SELECT N'Year ' + c.endYear AS label FROM Calendar c",
     "error 245 (\"Conversion failed when converting the nvarchar value ... to data type smallint\")"),
    # a varchar variable holds the plain text, whatever it was given
    ("DECLARE @school varchar(10) = N'All'\nSELECT c.calendarID FROM Calendar c WHERE c.schoolID = @school",
     "error 245 (\"Conversion failed when converting the varchar value 'All' to data type int\")"),
])
def test_sql_server_s_error_names_the_text_s_type(check, sql, error):
    (hit,) = [f for f in check(sql + "\n").findings if f.rule in ("PR026", "CL023")]
    assert f"{error}." in hit.message

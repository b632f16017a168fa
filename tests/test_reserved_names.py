"""A reserved word written bare where the query names something (AS Percent, a derived table's
alias key): sqlglot takes it for the name, SQL Server rejects the statement (error 156). Reported
where it is (PA001), not read as if it ran; in brackets it is a name like any other."""

import pytest
from checked import rejected_at

from advisor.frontend.parse import read_script


@pytest.mark.parametrize("text, near", [
    ("SELECT a.present * 100.0 / a.total AS Percent FROM #att a", "Percent"),
    ("SELECT a.present * 100.0 / a.total Percent FROM #att a", "Percent"),  # without AS
    ("SELECT e.grade AS [Grade], COUNT(*) AS order FROM Enrollment e GROUP BY e.grade", "order"),
    ("SELECT k.personID FROM (SELECT e.personID FROM Enrollment e) AS key", "key"),
    ("SELECT u.personID FROM UserAccount user JOIN Person p ON p.personID = user.personID", "user"),
    ("WITH plan AS (SELECT 1 AS x) SELECT x FROM plan", "plan"),
    ("SELECT v.a FROM (VALUES (1)) AS v (a, file)", "file"),
    # a table's name, a column's after its table's
    ("SELECT i.lastName FROM Identity i", "Identity"),
    ("SELECT i.lastName FROM dbo.Identity i", "Identity"),
    ("SELECT gs.personID, gs.percent FROM GradingScore gs WHERE gs.sectionID = 5", "percent"),
    # a column's without its table's, in a definition, in an INSERT's list
    ("SELECT percent FROM #t", "percent"),
    ("UPDATE #t SET percent = 1", "percent"),
    ("CREATE TABLE #t (personID int, key int)", "key"),
    ("INSERT INTO #t (personID, percent) VALUES (1, 2)", "percent"),
])
def test_a_reserved_word_as_a_bare_name_is_rejected_where_it_stands(text, near):
    error, pointed = rejected_at(read_script(text).statements[0], text)
    assert (f"{near} is a reserved word in T-SQL: as a name it needs brackets, [{near}], and SQL Server rejects it "
            "without (error 156)") in error
    assert pointed == near


@pytest.mark.parametrize("text", [
    "SELECT a.present * 100.0 / a.total AS [Percent], a.total AS \"Key\" FROM #att a",
    "SELECT k.personID FROM (SELECT e.personID FROM Enrollment e) AS [key]",
    "SELECT e.grade AS level, e.grade AS section, e.grade AS name, e.grade AS type FROM Enrollment e",  # not reserved
    "SELECT CAST(e.grade AS int) AS grade FROM Enrollment e",
    "EXEC dbo.p @rows = @n OUTPUT",
    "SELECT i.lastName, gs.[percent] FROM dbo.[Identity] i JOIN GradingScore gs ON gs.personID = i.personID",
    # reserved words standing as what they are
    "SELECT TOP 10 PERCENT e.grade FROM Enrollment e ORDER BY e.grade",
    "CREATE TABLE #t (personID int PRIMARY KEY, n int DEFAULT 0)",
    "SELECT USER, SESSION_USER, CURRENT_TIMESTAMP",
    "EXEC dbo.p 1, DEFAULT",
    "INSERT INTO OPENQUERY(srv, 'SELECT a FROM t') VALUES (1)",
    "SET ROWCOUNT 10",
    "SELECT dbo.LEFT(a.z) FROM Attendance a",  # a district's own function of a built-in's name
])
def test_a_name_in_brackets_or_an_unreserved_word_is_read(text):
    assert read_script(text).statements[0].understood


@pytest.mark.parametrize("text, word", [
    ("SELECT e.startDate AS Begin, e.endDate AS [End] FROM Enrollment e", "Begin"),
    ("SELECT e.endDate AS End\nFROM Enrollment e", "End"),
    ("SELECT c.startDate AS Open FROM Calendar c", "Open"),
])
def test_a_reserved_word_that_starts_a_statement_is_named_at_the_as_it_cut_short(text, word):
    """SQL Server and sqladvise both take END, BEGIN or OPEN for the start of another statement, so
    the SELECT ends at AS: the finding names the word meant as the name, at the AS."""
    error, pointed = rejected_at(read_script(text).statements[0], text)
    assert f"{word} is a reserved word in T-SQL: as a name it needs brackets, [{word}]" in error
    assert pointed == "AS"


def test_a_statement_after_an_as_with_no_name_is_not_taken_for_the_name():
    text = "SELECT e.grade AS\nSELECT 2"
    error, pointed = rejected_at(read_script(text).statements[0], text)
    assert "it ends at AS, and what follows it missing" in error and "reserved" not in error

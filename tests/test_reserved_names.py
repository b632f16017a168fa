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

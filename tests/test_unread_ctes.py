"""SH044: a CTE that nothing in its statement reads, which SQL Server compiles but never runs."""

import pytest
from checked import found

ACTIVE = "active AS (SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND e.serviceType = 'P')"


def test_a_cte_nothing_reads_is_pointed_at_by_name(check):
    sql = f"WITH {ACTIVE}\nSELECT p.studentNumber FROM Person p JOIN Enrollment e ON e.personID = p.personID"
    (finding,) = found(check, sql, "SH044")
    assert finding.span.line == 1 and sql[finding.span.start:finding.span.end] == "active"
    assert "The CTE active is never read: nothing in the statement names it" in finding.message
    assert "Read active where it was meant to be read" in finding.remediation


def test_a_cte_read_only_by_an_unread_one_is_unread_too(check):
    sql = (f"WITH {ACTIVE}, counted AS (SELECT COUNT(*) AS n FROM active)\n"
           "SELECT s.name FROM School s WHERE s.schoolID = 12")
    by_name = {f.message.split()[2]: f.message for f in found(check, sql, "SH044")}
    assert set(by_name) == {"active", "counted"}
    assert "only counted reads it, and that is never read either" in by_name["active"]
    assert "nothing in the statement names it" in by_name["counted"]


def test_only_the_unread_one_of_several_is_pointed_at(check):
    sql = (f"WITH {ACTIVE}, spare AS (SELECT s.schoolID FROM School s)\n"
           "SELECT p.studentNumber FROM Person p JOIN active a ON a.personID = p.personID")
    assert [f.message.split()[2] for f in found(check, sql, "SH044")] == ["spare"]


def test_a_schema_qualified_name_is_the_table_not_the_cte(check):
    # dbo.Person is the table even where a CTE is named Person
    sql = "WITH Person AS (SELECT p.personID FROM dbo.Person p WHERE p.personID < 10)\nSELECT x.personID FROM dbo.Person x"
    (finding,) = found(check, sql, "SH044")
    assert "The CTE Person is never read" in finding.message


@pytest.mark.parametrize("sql", [
    f"WITH {ACTIVE} SELECT p.studentNumber FROM Person p JOIN active a ON a.personID = p.personID",
    f"WITH {ACTIVE}, counted AS (SELECT COUNT(*) AS n FROM active) SELECT c.n FROM counted c",
    f"WITH {ACTIVE} SELECT p.studentNumber FROM Person p WHERE EXISTS (SELECT 1 FROM active a WHERE a.personID = p.personID)",
    f"WITH {ACTIVE} SELECT p.studentNumber FROM Person p WHERE p.personID IN (SELECT personID FROM [active])",
    f"WITH {ACTIVE} SELECT s.personID FROM (SELECT a.personID FROM active a) s",
    f"WITH {ACTIVE} SELECT 1 AS x FROM School s WHERE s.schoolID = 1 UNION ALL SELECT a.personID FROM active a",
    "WITH days AS (SELECT CAST('2025-08-15' AS date) AS d UNION ALL SELECT DATEADD(day, 1, d) FROM days "
    "WHERE d < '2025-09-01') SELECT d FROM days",
    "WITH ranked AS (SELECT r.personID, ROW_NUMBER() OVER (PARTITION BY r.personID ORDER BY r.seq) AS n "
    "FROM RelatedPair r) DELETE FROM ranked WHERE n > 1",
    "WITH open_rows AS (SELECT e.endDate FROM Enrollment e WHERE e.endYear = 2026) UPDATE open_rows SET endDate = NULL",
])
def test_a_cte_read_anywhere_in_its_statement_is_not_pointed_at(check, sql):
    assert not found(check, sql, "SH044")


def test_a_cte_named_in_brackets_on_the_next_line_is_read_too(check):
    sql = ";WITH\n[active] AS (SELECT e.personID FROM Enrollment e WITH (NOLOCK) WHERE e.endYear = 2026)\nSELECT 1 AS one"
    (finding,) = found(check, sql, "SH044")
    assert "The CTE active is never read" in finding.message

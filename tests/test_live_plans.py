"""Asking SQL Server for an estimated plan. No SQL Server runs here, so the module that talks to
the server is tested against a recording stand-in for the DB-API connection: exactly what it
sends, and what it refuses to send."""

import pytest
from conftest import ROOT, sqladvise

from advisor.frontend.parse import read_script
from advisor.plans.live import (
    SHOWPLAN_OFF,
    SHOWPLAN_ON,
    Refused,
    asked,
    estimated_plan,
    requests,
    to_plan,
)
from advisor.plans.read import read_plan, read_plan_file

PLAN = (ROOT.parent / "shared" / "plans" / "performancestudio" / "key_lookup_plan.sqlplan").read_text(encoding="utf-8")


class RecordingConnection:
    """A DB-API connection that records every statement; with SHOWPLAN on it answers with a plan,
    as SQL Server does, and it can be told to fail a statement as a server would."""

    def __init__(self, failing: str | None = None):
        self.sent: list[str] = []
        self.failing = failing
        self.showplan = False
        self.closed_cursors = 0

    def cursor(self):
        return self

    def execute(self, statement):
        self.sent.append(statement)
        if statement == SHOWPLAN_ON:
            self.showplan = True
        elif statement == SHOWPLAN_OFF:
            self.showplan = False
        elif statement == self.failing:
            raise RuntimeError("Must declare the scalar variable \"@x\".")

    def fetchall(self):
        return [(PLAN,)] if self.showplan else []

    def close(self):
        self.closed_cursors += 1


def test_it_sends_showplan_on_the_statement_and_showplan_off_and_nothing_else():
    server = RecordingConnection()
    statement = "SELECT u.Id FROM dbo.Users u WHERE u.Reputation = 2"
    document = estimated_plan(server, statement)
    assert server.sent == ["SET SHOWPLAN_XML ON", statement, "SET SHOWPLAN_XML OFF"] and server.closed_cursors == 1
    assert read_plan(document, "live").statements[0].subtree_cost is not None


def test_showplan_is_turned_off_even_when_the_server_cannot_compile_the_statement():
    statement = "SELECT u.Id FROM dbo.Users u WHERE u.Reputation = @x"
    server = RecordingConnection(failing=statement)
    with pytest.raises(RuntimeError):
        estimated_plan(server, statement)
    assert server.sent[-1] == "SET SHOWPLAN_XML OFF" and not server.showplan


@pytest.mark.parametrize(
    "statement, reason",
    [
        ("INSERT INTO #t (a) SELECT 1", "an INSERT"),
        ("UPDATE Person SET stateID = NULL", "an UPDATE"),
        ("DELETE FROM Attendance", "a DELETE"),
        ("MERGE Person AS t USING #p AS s ON t.personID = s.personID WHEN MATCHED THEN DELETE;", "a MERGE"),
        ("CREATE TABLE #t (a int)", "a CREATE"),
        ("DROP TABLE Attendance", "a DROP"),
        ("TRUNCATE TABLE Attendance", "a TRUNCATE"),
        ("EXEC dbo.usp_nightly", "EXECUTE, which runs code"),
        ("SELECT p.personID INTO #people FROM Person p", "writes rows"),
    ],
)
def test_a_statement_that_would_change_anything_is_refused_before_anything_is_sent(statement, reason):
    server = RecordingConnection()
    with pytest.raises(Refused, match=reason):
        estimated_plan(server, statement)
    assert server.sent == []


def test_reading_statements_are_not_refused():
    for statement in ("WITH x AS (SELECT 1 AS a) SELECT a FROM x", "SELECT a FROM t UNION ALL SELECT b FROM u"):
        server = RecordingConnection()
        estimated_plan(server, statement)
        assert server.sent[1] == statement


SCRIPT = """DECLARE @endYear int = 2026
DECLARE @unused int
DECLARE @from date = DATEFROMPARTS(@endYear - 1, 7, 1)
SET NOCOUNT ON
SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID
WHERE c.endYear = @endYear AND a.date >= @from
DECLARE @endYear2 int
SELECT s.schoolID FROM School s
"""


def test_a_statement_is_sent_after_the_declarations_of_the_variables_it_reads():
    """@from's DECLARE reads @endYear, so both go, in the script's order; @unused does not."""
    (first, second) = requests(read_script(SCRIPT))
    assert first[0] == 5 and first[1].startswith("SELECT a.personID")
    assert first[2] == "DECLARE @endYear int = 2026\nDECLARE @from date = DATEFROMPARTS(@endYear - 1, 7, 1)"
    assert second[0] == 7 and second[2] == ""


def test_a_cursor_is_asked_about_the_query_it_is_declared_for():
    script = read_script("DECLARE @y int = 2026\nDECLARE c CURSOR LOCAL FAST_FORWARD FOR\n"
                         "  SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = @y\nOPEN c\n")
    assert requests(script) == [(2, "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = @y",
                                 "DECLARE @y int = 2026")]


def test_a_statement_sp_executesql_runs_is_sent_after_its_parameters_declared():
    """What SQL Server Profiler captures from a report: the parameters are sp_executesql's second string."""
    script = read_script("exec sp_executesql N'SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.grade = @grade',"
                         " N'@grade nvarchar(4)', @grade = N'09'\n")
    inner = [asked for asked in requests(script) if asked[1].startswith("SELECT")]
    assert inner == [(3, "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.grade = @grade",
                      "DECLARE @grade NVARCHAR(4)")]


def test_the_latest_declaration_of_a_variable_is_the_one_sent():
    written = [(1, "DECLARE", "DECLARE @x int"), (2, "SELECT", "SELECT 1 WHERE @x = 1"),
               (3, "DECLARE", "DECLARE @x date"), (4, "SELECT", "SELECT 2 WHERE @x = '2026-01-01'")]
    assert [declarations for _, _, declarations in to_plan(written)] == ["DECLARE @x int", "DECLARE @x date"]


def test_the_declarations_go_in_the_same_batch_as_the_statement():
    server = RecordingConnection()
    statement = "SELECT u.Id FROM dbo.Users u WHERE u.Reputation = @x"
    estimated_plan(server, statement, "DECLARE @x int = 2")
    assert server.sent == [SHOWPLAN_ON, f"DECLARE @x int = 2\n{statement}", SHOWPLAN_OFF]


def test_declarations_that_are_anything_else_are_refused_before_anything_is_sent():
    server = RecordingConnection()
    with pytest.raises(Refused, match="not only DECLAREs"):
        estimated_plan(server, "SELECT 1", "DECLARE @x int\nDELETE FROM Attendance")
    assert server.sent == []


def test_the_plan_keeps_the_statement_asked_about_not_its_declarations():
    """A DECLARE with a value is a statement of the plan too (StatementType ASSIGN)."""
    plan = read_plan_file(ROOT.parent / "shared" / "plans" / "performancestudio" / "eager_table_spool_plan.sqlplan")
    assert any(s.text.startswith("DECLARE") for s in plan.statements)
    kept = asked(plan)
    assert kept and not any(s.text.startswith("DECLARE") for s in kept)
    assert len(kept) == len(plan.statements) - sum(s.text.startswith("DECLARE") for s in plan.statements)


@pytest.mark.parametrize(
    "arguments, said",
    [
        (["--url", "mssql+pyodbc://sa:Pa55word@127.0.0.1:1/Campus?driver=FreeTDS"], "Unable to connect"),
        (["--url", "mssql+pyodbc://sa:Pa55word@127.0.0.1:1/Campus?driver=NoSuchDriver"], "is not installed"),
        (["--url", "postgresql+psycopg://u:Pa55word@127.0.0.1:1/db", "--plan", "x.sqlplan"], "give one of them"),
    ],
)
def test_a_server_that_cannot_be_asked_is_one_line_exit_3_without_the_password(tmp_path, arguments, said):
    (tmp_path / "q.sql").write_text("SELECT p.personID FROM Person p WHERE p.personID = 5\n")
    run = sqladvise("check", "q.sql", *arguments, cwd=tmp_path)
    assert run.code == 3 and said in run.stderr and "Pa55word" not in run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_file_that_only_changes_things_is_not_sent_anywhere(tmp_path):
    (tmp_path / "q.sql").write_text("DELETE FROM Attendance WHERE attendanceID = 5\n")
    run = sqladvise("check", "q.sql", "--url", "mssql+pyodbc://sa:x@127.0.0.1:1/Campus?driver=FreeTDS", cwd=tmp_path)
    assert run.code == 3 and "nothing to ask the server to plan" in run.stderr


def test_the_catalog_pull_s_environment_variable_does_not_send_every_check_to_a_server(tmp_path):
    (tmp_path / "a.sql").write_text("SELECT s.schoolID FROM School s\n")
    (tmp_path / "b.sql").write_text("SELECT c.calendarID FROM Calendar c\n")
    run = sqladvise("check", "a.sql", "b.sql", cwd=tmp_path,
                    env={"SQLADVISE_DATABASE_URL": "mssql+pyodbc://sa:x@127.0.0.1:1/Campus?driver=FreeTDS"})
    assert run.code == 0 and "plan" not in run.stderr

"""sqladvise catalog pull: a district's catalog read from a live database, read-only, through
SQLAlchemy. SQLite and PostgreSQL run here; SQL Server does not, so its path is shown by the
connection it would open and by the driver's own refusals."""

import hashlib
import json
import sqlite3

import psycopg
import pytest
import sqlglot
from conftest import ROOT, sqladvise
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlglot import exp

from advisor.catalog.load import from_document, load
from advisor.catalog.pull import exported
from advisor.connection import read_only
from bench.risk.cluster import cluster

ATTENDANCE_ROWS = 150_000  # enough for sqladvise to call an unscoped read of it costly

SCHEMA = """
CREATE TABLE Calendar (
    calendarID integer NOT NULL, schoolID int NOT NULL, endYear smallint NOT NULL, name varchar(30),
    CONSTRAINT PK_Calendar PRIMARY KEY (calendarID)
);
CREATE TABLE Attendance (
    attendanceID int NOT NULL, personID int NOT NULL,
    calendarID int NOT NULL, date smalldatetime NOT NULL, status char(1),
    CONSTRAINT PK_Attendance PRIMARY KEY (attendanceID),
    CONSTRAINT FK_Attendance_Calendar FOREIGN KEY (calendarID) REFERENCES Calendar (calendarID)
);
CREATE INDEX IX_Attendance_calendar ON Attendance (calendarID, date);
CREATE VIEW v_LocalAbsences AS
    SELECT a.personID, a.date, c.endYear, c.schoolID
    FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID
    WHERE a.status = 'A';
"""


@pytest.fixture
def district_db(tmp_path):
    path = tmp_path / "district.db"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO Calendar VALUES (?, ?, ?, ?)", [(c, c % 8, 2017 + c % 10, f"cal {c}") for c in range(80)])
        db.executemany("INSERT INTO Attendance VALUES (?, ?, ?, ?, ?)",
                       ((a, a % 3000, a % 80, f"2025-{1 + a % 12:02}-15", "AT"[a % 2]) for a in range(ATTENDANCE_ROWS)))
        db.execute("ANALYZE")
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_pull_from_sqlite_writes_a_catalog_whose_own_view_is_expanded_and_flagged(tmp_path, district_db):
    before = digest(district_db)
    run = sqladvise("catalog", "pull", "--url", f"sqlite:///{district_db}", "-o", "district.json", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "wrote district.json: 2 tables, 1 view" in run.stderr
    assert digest(district_db) == before  # read-only: not even the statistics changed
    catalog, warnings = load(tmp_path / "district.json")
    assert warnings == [] and not catalog.approximate
    attendance = catalog.table("Attendance")
    assert attendance.rows == ATTENDANCE_ROWS and catalog.table("Calendar").rows == 80  # from sqlite_stat1
    assert attendance.column("date").type == "smalldatetime" and attendance.column("status").type == "char(1)"
    assert [(i.name, i.columns, i.unique) for i in attendance.indexes] == [
        ("PK_Attendance", ("attendanceID",), True), ("IX_Attendance_calendar", ("calendarID", "date"), False)]
    assert [(k.name, k.references, k.referenced_columns) for k in attendance.foreign_keys] == [
        ("FK_Attendance_Calendar", "Calendar", ("calendarID",))]
    # Calendar's INTEGER PRIMARY KEY is its rowid: rows are stored in key order, as under a clustered index
    assert [i.clustered for i in catalog.table("Calendar").indexes] == [True]
    view = catalog.view("v_LocalAbsences")
    assert view.definition.startswith("CREATE VIEW [dbo].[v_LocalAbsences] AS") and view.columns[-1] == "schoolID"

    (tmp_path / "absences.sql").write_text("-- Author: Dana Whitfield\nSELECT v.personID, v.date FROM v_LocalAbsences v\n")
    check = sqladvise("check", "--format", "json", "--catalog", "district.json", "absences.sql", cwd=tmp_path)
    (file,) = check.json()["files"]
    scope = next(f for f in file["findings"] if f["rule"] == "SC001")
    assert "Attendance (150k rows) for every school year" in scope["message"]  # pulled rows, bundled knowledge
    assert any("Attendance (in v_LocalAbsences)" in driver for driver in file["risk"]["drivers"])


def test_the_url_can_come_from_the_environment_and_a_missing_one_is_a_usage_error(tmp_path, district_db):
    run = sqladvise("catalog", "pull", "-o", "district.json", cwd=tmp_path,
                    env={"SQLADVISE_DATABASE_URL": f"sqlite:///{district_db}"})
    assert run.code == 0 and (tmp_path / "district.json").exists()
    missing = sqladvise("catalog", "pull", "-o", "other.json", cwd=tmp_path)
    assert missing.code == 3 and "--url" in missing.stderr and not (tmp_path / "other.json").exists()


def test_a_database_without_statistics_is_sized_by_the_bundled_catalog(tmp_path):
    path = tmp_path / "fresh.db"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA + "CREATE TABLE LocalTally (tallyID int PRIMARY KEY, n int);")
    run = sqladvise("catalog", "pull", "--url", f"sqlite:///{path}", "-o", "district.json", cwd=tmp_path)
    assert run.code == 0 and "3 tables have no row count" in run.stderr and "run ANALYZE" in run.stderr
    assert json.loads((tmp_path / "district.json").read_text())["tables"][0]["rows"] is None
    (tmp_path / "q.sql").write_text("SELECT a.personID FROM Attendance a\n")
    note = sqladvise("check", "--format", "json", "--catalog", "district.json", "q.sql", cwd=tmp_path).json()["summary"]["catalog"]
    assert note["sized_from_bundled"] == ["Attendance", "Calendar"] and note["unsized"] == ["LocalTally"]


@pytest.mark.parametrize(
    "url, said",
    [
        ("sqlite:///missing.db", "sqlite:///missing.db: no such SQLite database file"),
        ("not a url", "the --url is not a database URL"),
        ("nosuchdb://u:Pa55word@host/x", "SQLAlchemy has no dialect or driver 'nosuchdb'"),
        # SQL Server's two ways to fail before a login: no such ODBC driver, no server listening
        ("mssql+pyodbc://sa:Pa55word@127.0.0.1:1/Campus?driver=NoSuchDriver", "the ODBC driver 'NoSuchDriver' is not installed"),
        ("mssql+pyodbc://sa:Pa55word@127.0.0.1:1/Campus?driver=FreeTDS", "Unable to connect: Adaptive Server is unavailable"),
    ],
)
def test_a_database_that_cannot_be_read_is_one_line_exit_3_without_the_password(tmp_path, url, said):
    run = sqladvise("catalog", "pull", "--url", url, "-o", "district.json", cwd=tmp_path)
    assert run.code == 3 and said in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "Pa55word" not in run.stdout + run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no catalog, and no SQLite file created


def test_sql_server_is_asked_for_a_read_only_connection():
    url, options = read_only(make_url("mssql+pyodbc://sa:pw@campus-db/Campus?driver=FreeTDS"))
    (connection_string,), _ = create_engine(url).dialect.create_connect_args(url)
    assert "ApplicationIntent=ReadOnly" in connection_string and "DRIVER={FreeTDS}" in connection_string
    assert options["connect_args"]["timeout"] > 0  # an unreachable server fails instead of hanging


def test_sqlite_is_opened_read_only(district_db):
    url, options = read_only(make_url(f"sqlite:///{district_db}"))
    with create_engine(url, **options).connect() as connection:
        with pytest.raises(OperationalError, match="readonly database"):
            connection.exec_driver_sql("CREATE TABLE scratch (a int)")


def test_postgresql_pull_reads_its_statistics_and_a_wrong_password_is_one_line(tmp_path):
    settings = {"listen_addresses": "'127.0.0.1'", "shared_buffers": "128MB", "effective_cache_size": "1GB"}
    with cluster(settings, password="right-Pa55") as local:
        with psycopg.connect(local, autocommit=True) as db:
            db.execute("CREATE TABLE attendance (attendanceid int PRIMARY KEY, calendarid int NOT NULL, status char(1))")
            db.execute("INSERT INTO attendance SELECT g, g % 40, 'A' FROM generate_series(1, 20000) g")
            db.execute("CREATE INDEX ix_attendance_calendar ON attendance (calendarid) INCLUDE (status)")
            db.execute("CREATE VIEW v_absent AS SELECT attendanceid FROM attendance WHERE status = 'A'")
            db.execute("ANALYZE")
        port = local.split("port=")[1].split()[0]
        good = sqladvise("catalog", "pull", "--url", f"postgresql+psycopg://postgres:right-Pa55@127.0.0.1:{port}/postgres",
                         "-o", "pg.json", cwd=tmp_path)
        bad = sqladvise("catalog", "pull", "--url", f"postgresql+psycopg://postgres:wrong-Pa55@127.0.0.1:{port}/postgres",
                        "-o", "bad.json", cwd=tmp_path)
    assert good.code == 0, good.stderr
    catalog, _ = load(tmp_path / "pg.json")
    table = catalog.table("attendance")
    assert table.rows == 20000 and table.pages > 0
    assert [(i.columns, i.include) for i in table.indexes][1] == (("calendarid",), ("status",))
    assert "FROM attendance" in catalog.view("v_absent").definition
    assert bad.code == 3 and "password authentication failed" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert "wrong-Pa55" not in bad.stderr and not (tmp_path / "bad.json").exists()


class RecordingServer:
    """Stands in for a SQL Server connection: records what it is sent, answers with what the export
    script returns (schema_fixtures/tests/export_example.json)."""

    def __init__(self):
        self.sent = []

    def exec_driver_sql(self, statement):
        self.sent.append(statement)
        return self

    def scalar(self):
        return (ROOT / "schema_fixtures" / "tests" / "export_example.json").read_text()


def test_sql_server_is_sent_the_export_script_s_query_and_nothing_else():
    server = RecordingServer()
    document = exported(server)
    (statement,) = server.sent
    (query,) = sqlglot.parse(statement, read="tsql")
    script = sqlglot.parse(sqladvise("catalog", "export-script").stdout, read="tsql")
    assert [type(s) for s in script] == [exp.Set, exp.Select] and query == script[1]  # the same SELECT as in SSMS
    catalog, warnings = from_document(document, "pulled")
    assert warnings == [] and catalog.table("Enrollment").rows == 318406

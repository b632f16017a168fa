"""SH039: BEGIN TRAN with no COMMIT or ROLLBACK after it, around changes to Campus's tables."""

from functools import partial

import psycopg
import pytest
import sqlglot

from bench.risk.cluster import cluster
from tests.checked import found

_hits = partial(found, rule="SH039")
_FIX = "UPDATE Enrollment SET noShow = 1 WHERE personID = 5 AND endYear = 2027\n"
_LOOK = "SELECT e.personID, e.noShow FROM Enrollment e WHERE e.personID = 5 AND e.endYear = 2027\n"


@pytest.mark.parametrize(("script", "changed"), [
    ("BEGIN TRAN\n" + _FIX + _LOOK, "Enrollment"),
    # the inner COMMIT ends the inner transaction only
    ("BEGIN TRAN\nBEGIN TRANSACTION fix\n" + _FIX + "COMMIT TRAN fix\n", "Enrollment"),
    # rolling back to a savepoint ends no transaction
    ("BEGIN TRAN\nSAVE TRAN before_fix\n" + _FIX + "ROLLBACK TRAN before_fix\n", "Enrollment"),
    # a DELETE through its alias, and an INSERT: the tables by their names
    ("BEGIN TRAN\nDELETE a FROM Attendance a WHERE a.calendarID = 7 AND a.status = 'X'\n"
     "INSERT INTO AttendanceExcuse (excuseID) VALUES (1)\n", "Attendance and AttendanceExcuse"),
])
def test_a_transaction_left_open_around_changes_is_reported_at_its_begin(check, script, changed):
    (hit,) = _hits(check, script)
    assert hit.span.line == 1 and hit.span.end_column == 10  # BEGIN TRAN, the outermost
    assert hit.message.startswith(f"This transaction is never committed or rolled back in the script: the locks it "
                                  f"takes to change {changed} stay held")


@pytest.mark.parametrize("script", [
    "BEGIN TRAN\n" + _FIX + _LOOK + "COMMIT\n",
    "BEGIN TRAN\n" + _FIX + "ROLLBACK TRANSACTION\n",
    "BEGIN TRY\n  BEGIN TRAN\n  " + _FIX + "  COMMIT TRANSACTION\nEND TRY\nBEGIN CATCH\n"
    "  IF @@TRANCOUNT > 0 ROLLBACK TRAN\n  THROW;\nEND CATCH\n",
    "BEGIN TRAN\nBEGIN TRAN\n" + _FIX + "COMMIT\nCOMMIT\n",
    # only a temp table or table variable changed, or nothing: no lock a Campus user waits on
    "CREATE TABLE #fix (personID int)\nDECLARE @t TABLE (a int)\nBEGIN TRAN\nINSERT INTO #fix (personID) VALUES (5)\n"
    "INSERT INTO @t (a) VALUES (1)\nUPDATE #fix SET personID = 6\n",
    "BEGIN TRAN\n" + _LOOK,
    _FIX,
])
def test_a_transaction_ended_in_the_script_or_changing_nothing_of_campus_is_not(check, script):
    assert _hits(check, script) == []


def test_an_open_transaction_blocks_another_session_until_it_commits():
    """What the rule warns of, in a real database: the row an uncommitted UPDATE changed cannot be
    changed by another session, which waits until the first commits."""
    with cluster() as local, psycopg.connect(local, autocommit=True) as setup:
        setup.execute("CREATE TABLE Enrollment (personID int, endYear int, noShow int)")
        setup.execute("INSERT INTO Enrollment VALUES (5, 2027, 0)")
        update = sqlglot.transpile(_FIX, read="tsql", write="postgres")[0]
        with psycopg.connect(local) as fixer, psycopg.connect(local, autocommit=True) as teacher:
            fixer.execute(update)  # psycopg begins a transaction, left open as BEGIN TRAN without COMMIT leaves it
            teacher.execute("SET lock_timeout = '500ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                teacher.execute("UPDATE Enrollment SET noShow = 0 WHERE personID = 5")
            fixer.commit()
            teacher.execute("UPDATE Enrollment SET noShow = 0 WHERE personID = 5")
            assert teacher.execute("SELECT noShow FROM Enrollment").fetchall() == [(0,)]

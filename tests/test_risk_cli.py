"""Timeout risk as a user sees it: the JSON risk object, the terminal line, --timeout,
--district-size and the settings file."""

import pytest
from conftest import sqladvise

ALL_ATTENDANCE = b"-- Author: Robert Kline\nSELECT a.personID, a.date, a.status FROM Attendance a\n"
TWO_STATEMENTS = ALL_ATTENDANCE + b"SELECT sch.name FROM School sch\n"
RISK_KEYS = {"band", "p_timeout", "estimated_seconds", "timeout_seconds", "crosses_timeout_in_years", "drivers"}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "all.sql").write_bytes(ALL_ATTENDANCE)
    (tmp_path / "two.sql").write_bytes(TWO_STATEMENTS)
    return tmp_path


def risk(run) -> dict:
    assert run.code in (0, 1), run.stderr
    return run.json()["files"][0]["risk"]


def test_every_file_has_the_design_risk_object_and_one_entry_per_statement(folder):
    found = risk(sqladvise("check", "--format", "json", str(folder / "two.sql")))
    assert RISK_KEYS <= set(found)
    assert found["band"] in ("low", "watch", "elevated", "high")
    assert found["never_ends"] is False
    assert 0 <= found["p_timeout"] <= 1 and found["timeout_seconds"] == 600
    assert [s["line"] for s in found["statements"]] == [2, 3]
    for statement in found["statements"]:
        assert RISK_KEYS <= set(statement)
    assert found["estimated_seconds"] == pytest.approx(sum(s["estimated_seconds"] for s in found["statements"]), abs=0.01)


def test_timeout_changes_the_chance_and_the_band(folder):
    default = risk(sqladvise("check", "--format", "json", str(folder / "all.sql")))
    tight = risk(sqladvise("check", "--format", "json", "--timeout", "1", str(folder / "all.sql")))
    assert tight["timeout_seconds"] == 1 and tight["p_timeout"] > default["p_timeout"]
    assert tight["band"] == "high" and tight["crosses_timeout_in_years"] == 0


def test_a_zero_timeout_is_a_usage_error(folder):
    run = sqladvise("check", "--timeout", "0", str(folder / "all.sql"))
    assert run.code == 3 and run.stderr.startswith("sqladvise: error:") and "Traceback" not in run.stderr


def test_district_size_scales_the_estimate(folder):
    small = risk(sqladvise("check", "--format", "json", "--district-size", "2000", str(folder / "all.sql")))
    large = risk(sqladvise("check", "--format", "json", "--district-size", "50000", str(folder / "all.sql")))
    assert large["estimated_seconds"] > 10 * small["estimated_seconds"]
    assert "1.2M Attendance rows" in small["drivers"][0] and "30.0M Attendance rows" in large["drivers"][0]


def test_the_terminal_shows_band_time_drivers_and_the_crossing_year(folder):
    # A limit a little above today's estimate: passed as history grows, not yet.
    now = risk(sqladvise("check", "--format", "json", str(folder / "all.sql")))["estimated_seconds"]
    limit = f"{now * 1.6:.0f}"
    expected = risk(sqladvise("check", "--format", "json", "--timeout", limit, str(folder / "all.sql")))
    assert expected["crosses_timeout_in_years"] is not None
    lines = sqladvise("check", "--timeout", limit, str(folder / "all.sql")).stdout.splitlines()
    risk_line = next(line for line in lines if " risk · about " in line)
    years = expected["crosses_timeout_in_years"]
    assert risk_line.strip().startswith(f"{expected['band']} risk · about ")
    assert f"% chance of passing the {limit} s ad hoc timeout" in risk_line
    assert risk_line.endswith(f"· likely past it in {years} year{'s' if years != 1 else ''}")
    assert any("drivers: reads all 15.0M Attendance rows: no year or calendar limit" in line for line in lines)


def test_the_settings_file_sets_the_timeout_and_the_command_line_wins(folder):
    (folder / ".sqladvise.toml").write_text("timeout = 900\ndistrict-size = 2000\n")
    from_file = risk(sqladvise("check", "--format", "json", "all.sql", cwd=folder))
    assert from_file["timeout_seconds"] == 900 and "1.2M Attendance rows" in from_file["drivers"][0]
    overridden = risk(sqladvise("check", "--format", "json", "--timeout", "60", "all.sql", cwd=folder))
    assert overridden["timeout_seconds"] == 60


def test_pyproject_tool_table_is_read_from_a_parent_folder(folder):
    (folder / "pyproject.toml").write_text("[tool.sqladvise]\ntimeout = 1200\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "q.sql").write_bytes(ALL_ATTENDANCE)
    assert risk(sqladvise("check", "--format", "json", "q.sql", cwd=folder / "sub"))["timeout_seconds"] == 1200


def test_a_script_that_never_ends_says_so_in_json_and_on_the_terminal(tmp_path):
    script = tmp_path / "weeks.sql"
    script.write_text("DECLARE @i int = 1\nWHILE @i <= 10\nBEGIN\n    INSERT INTO #weeks (n) VALUES (@i)\nEND\n")
    found = risk(sqladvise("check", "--format", "json", "--timeout", "300", str(script)))
    assert found["never_ends"] is True and found["estimated_seconds"] == found["timeout_seconds"] == 300
    assert (found["band"], found["p_timeout"], found["crosses_timeout_in_years"]) == ("high", 1.0, 0)
    lines = sqladvise("check", str(script)).stdout.splitlines()
    assert any(line.strip().startswith("high risk · never ends · 100% chance of passing the 10 min ad hoc timeout")
               for line in lines)
    assert any("drivers: the WHILE loop on line 2 never ends (SH035)" in line for line in lines)

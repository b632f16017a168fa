"""Settings files as a district keeps them: nearest wins, --config overrides, every key does its job,
and a bad key or value is one line naming the file and the key, exit 3."""

import pytest
from conftest import sqladvise

# SC001 (error) on Attendance, CL001 (warning) for the *, no author (OW001, info)
UNSCOPED = b"SELECT * FROM Attendance a\n"
CLEAN = b"-- Author: Dana Whitfield\nSELECT sch.schoolID, sch.name FROM School sch\n"


def rules(run) -> list[set[str]]:
    assert run.code in (0, 1), run.stderr
    return [{x["rule"] for x in f["findings"]} for f in run.json()["files"]]


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "new").mkdir()
    for folder in ("legacy", "new"):
        (tmp_path / folder / "q.sql").write_bytes(UNSCOPED)
    return tmp_path


def test_the_nearest_settings_file_wins_for_each_file(repo):
    (repo / "pyproject.toml").write_text('[tool.sqladvise]\nignore = ["OW001"]\n')
    (repo / "legacy" / ".sqladvise.toml").write_text('ignore = ["columns", "OW001"]\n')
    run = sqladvise("check", "--format", "json", "legacy", "new", cwd=repo)
    found = run.json()["files"]
    assert {x["rule"] for x in found[0]["findings"]} >= {"SC001"} and "CL001" not in {x["rule"] for x in found[0]["findings"]}
    assert {"SC001", "CL001"} <= {x["rule"] for x in found[1]["findings"]}
    assert not any(x["rule"] == "OW001" for f in found for x in f["findings"])


def test_config_option_names_one_file_for_every_input(repo):
    (repo / "legacy" / ".sqladvise.toml").write_text('ignore = ["columns"]\n')
    (repo / "strict.toml").write_text('select = ["CL001"]\n')
    found = rules(sqladvise("check", "--format", "json", "--config", "strict.toml", "legacy", "new", cwd=repo))
    assert found == [{"CL001"}, {"CL001"}]


@pytest.mark.parametrize("named, says", [("missing.toml", "missing.toml: no such settings file"), ("legacy", "legacy: not a file"),
                                         ("/proc/self/mem", "/proc/self/mem: cannot be read: ")])  # EIO, without [Errno 5]
def test_a_config_option_that_names_no_settings_file_is_one_line(repo, named, says):
    run = sqladvise("check", "--config", named, "new", cwd=repo)
    assert run.code == 3 and run.stderr.startswith(f"sqladvise: error: {says}") and "Errno" not in run.stderr


def test_select_ignore_and_the_more_specific_selector_wins(repo):
    (repo / ".sqladvise.toml").write_text('select = ["scope", "OW001"]\nignore = ["SC001"]\n')
    assert rules(sqladvise("check", "--format", "json", "new", cwd=repo)) == [{"OW001"}]
    (repo / ".sqladvise.toml").write_text('select = ["SC001"]\nignore = ["scope"]\n')
    assert rules(sqladvise("check", "--format", "json", "new", cwd=repo)) == [{"SC001"}]
    # the command line's --select replaces the file's; its --ignore adds to it
    assert rules(sqladvise("check", "--format", "json", "--select", "columns,SC001", "--ignore", "CL001", "new",
                           cwd=repo)) == [{"SC001"}]


def test_severity_and_fail_on_decide_the_exit_code(repo):
    (repo / ".sqladvise.toml").write_text('[severity]\nscope = "warning"\nunscoped-history = "info"\n')
    run = sqladvise("check", "--format", "json", "new", cwd=repo)
    severities = {f["rule"]: f["severity"] for f in run.json()["files"][0]["findings"]}
    assert severities["SC001"] == "info"  # the rule's own entry is more specific than its category's
    (repo / ".sqladvise.toml").write_text('ignore = ["scope", "risk"]\nfail-on = "warning"\n')
    assert sqladvise("check", "new", cwd=repo).code == 0  # CL001 on a table is information
    (repo / ".sqladvise.toml").write_text('ignore = ["scope", "risk"]\nfail-on = "warning"\n[severity]\nCL001 = "warning"\n')
    assert sqladvise("check", "new", cwd=repo).code == 1  # now a warning, and warnings fail the run
    assert sqladvise("check", "--fail-on", "error", "new", cwd=repo).code == 0  # the command line wins


def test_exclude_globs_leave_files_out_even_when_named(repo):
    (repo / ".sqladvise.toml").write_text('exclude = ["legacy"]\n')
    run = sqladvise("check", "--format", "json", "legacy/q.sql", ".", cwd=repo)
    assert [f["path"] for f in run.json()["files"]] == ["new/q.sql"]
    assert run.json()["summary"]["excluded"] == 1  # named, then found in its folder: one file
    assert "1 file excluded by the settings" in sqladvise("check", "legacy/q.sql", ".", cwd=repo).stdout


def test_catalog_path_is_read_relative_to_the_settings_file(repo, tmp_path):
    from conftest import ROOT

    (repo / "catalogs").mkdir()
    (repo / "catalogs" / "tiny.json").write_text((ROOT / "schema_fixtures" / "tests" / "small_district.json").read_text())
    (repo / ".sqladvise.toml").write_text('catalog = "catalogs/tiny.json"\n')
    summary = sqladvise("check", "--format", "json", "q.sql", cwd=repo / "new").json()["summary"]
    assert summary["catalog"]["origin"].endswith("tiny.json")


@pytest.mark.parametrize("content, says", [
    ('select = ["SC999"]\n', "select: 'SC999' is not a rule or category"),
    ('ignore = "nothing"\n', "ignore: 'nothing' is not a rule or category"),
    ('fail-on = "fatal"\n', "fail-on: must be one of error, warning, info"),
    ('[severity]\nSC001 = "loud"\n', "severity: must be one of error, warning, info"),
    ('catalog = "missing.json"\n', "catalog: no catalog file at"),
    ("exclude = 3\n", "exclude: must be a list of file patterns"),
    ("district_size = 8000\n", "district_size: not a setting sqladvise reads"),
    ("timeout = 'ten minutes'\n", "timeout: must be seconds"),
    ("district-size = -5\n", "district-size: must be students"),
    ("timeout = \n", "not readable TOML"),
    ("timeout = nan\n", "timeout: must be seconds, from 1 to 604,800 (a week), not nan"),
    ("timeout = inf\n", "timeout: must be seconds, from 1 to 604,800 (a week), not inf"),
    ("timeout = 0.5\n", "timeout: must be seconds, from 1"),
    ("district-size = 9223372036854775807\n", "district-size: must be students, a whole number from 1 to 2,000,000"),
])
def test_a_bad_key_or_value_is_one_line_naming_file_and_key(repo, content, says):
    (repo / ".sqladvise.toml").write_text(content)
    run = sqladvise("check", "new", cwd=repo)
    assert run.code == 3 and says in run.stderr and str(repo / ".sqladvise.toml") in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_pyproject_errors_name_the_tool_table(repo):
    (repo / "pyproject.toml").write_text("[tool.sqladvise]\ntimout = 900\n")
    run = sqladvise("check", "new", cwd=repo)
    assert run.code == 3 and "pyproject.toml: tool.sqladvise.timout: not a setting" in run.stderr


@pytest.mark.parametrize("content", ['tool = "sqladvise"\n', '[project]\nname = "district-sql"\n'])
def test_a_pyproject_without_a_tool_sqladvise_table_is_passed_over(repo, content):
    (repo / "new" / "pyproject.toml").write_text(content)
    (repo / ".sqladvise.toml").write_text('ignore = ["CL001"]\n')  # found above it
    found = rules(sqladvise("check", "--format", "json", "new", cwd=repo))
    assert found == [{"SC001", "OW001", "RK002"}]


def test_a_tool_sqladvise_that_is_not_a_table_is_one_line(repo):
    (repo / "pyproject.toml").write_text('[tool]\nsqladvise = "strict"\n')
    run = sqladvise("check", "new", cwd=repo)
    assert run.code == 3 and "pyproject.toml: tool.sqladvise: must be a table of settings, not 'strict'" in run.stderr


@pytest.mark.parametrize("option, value, says", [
    ("--timeout", "nan", "--timeout: must be seconds, from 1 to 604,800 (a week), not nan"),
    ("--timeout", "inf", "--timeout: must be seconds, from 1 to 604,800 (a week), not inf"),
    ("--timeout", "0", "--timeout: must be seconds, from 1"),
    ("--district-size", "0", "--district-size: must be students, a whole number from 1 to 2,000,000, not 0"),
    ("--district-size", "3000000", "--district-size: must be students"),
])
def test_a_timeout_or_district_size_past_its_limits_is_a_usage_error(repo, option, value, says):
    run = sqladvise("check", option, value, "new", cwd=repo)
    assert run.code == 3 and says in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_time_limit_past_its_limits_is_a_usage_error(repo):
    for value in ("nan", "inf", "0.01"):
        run = sqladvise("batch", "--time-limit", value, "new", cwd=repo)
        assert run.code == 3 and "--time-limit: must be seconds, from 0.1 to 604,800 (a week)" in run.stderr


def test_unknown_rule_on_the_command_line_is_a_usage_error(repo):
    run = sqladvise("check", "--select", "SC001,nope", "new", cwd=repo)
    assert run.code == 3 and "--select: 'nope' is not a rule or category" in run.stderr

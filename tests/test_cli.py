"""sqladvise as a user runs it: the installed command, its output and its exit codes."""

import codecs
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from conftest import ROOT, sqladvise

GOOD = b"-- Author: Dana Whitfield\nSELECT sch.schoolID, sch.name FROM School sch\n"
BAD = b"-- Author: Dana Whitfield\nSELECT s.personID, a.date\nFROM student s WITH (NOEXPAND)\nJOIN Attendance a ON a.personID = s.personID\nWHERE s.endYear = 2026\n"
WARNING_ONLY = b"-- Author: Dana Whitfield\nSELECT sch.name FROM School sch WITH (NOLOCK)\n"


@pytest.fixture
def files(tmp_path):
    def make(**contents: bytes):
        for name, data in contents.items():
            (tmp_path / f"{name}.sql").write_bytes(data)
        return tmp_path

    return make


def test_a_clean_file_exits_0(files):
    folder = files(good=GOOD)
    run = sqladvise("check", str(folder / "good.sql"))
    assert run.code == 0, run.stderr
    assert "no findings" in run.stdout and run.stderr == ""


def test_findings_at_or_above_fail_on_exit_1(files):
    folder = files(bad=BAD, warn=WARNING_ONLY)
    assert sqladvise("check", str(folder / "bad.sql")).code == 1  # an error
    assert sqladvise("check", str(folder / "warn.sql")).code == 0  # a warning, under the default --fail-on error
    assert sqladvise("check", "--fail-on", "warning", str(folder / "warn.sql")).code == 1
    assert sqladvise("check", "--fail-on", "info", str(folder / "warn.sql")).code == 1


def test_an_input_that_cannot_be_analysed_exits_2_and_the_others_are_still_checked(files):
    folder = files(good=GOOD, bad=BAD, binary=b"\x00\x01\x02" * 50)
    run = sqladvise("check", "--format", "json", str(folder), str(folder / "missing.sql"))
    assert run.code == 2
    document = run.json()
    paths = [f["path"] for f in document["files"]]
    assert paths == [str(folder / "bad.sql"), str(folder / "binary.sql"), str(folder / "good.sql"), str(folder / "missing.sql")]
    assert document["summary"]["unanalysable"] == [str(folder / "binary.sql"), str(folder / "missing.sql")]
    assert "SC001" in {f["rule"] for f in document["files"][0]["findings"]}


def test_a_file_whose_every_statement_fails_exits_2(files):
    folder = files(broken=b"SELECT FROM WHERE\nSELECT (((\n")
    run = sqladvise("check", str(folder / "broken.sql"))
    assert run.code == 2 and "PA001" in run.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["check"], "Missing argument"),
        (["check", "--fail-on", "sometimes", "x.sql"], "'sometimes' is not one of"),
        (["check", "--format", "xml", "x.sql"], "'xml' is not one of"),
        (["check", "--catalog", "nowhere.json", "x.sql"], "nowhere.json: cannot read the catalog"),
        (["check", "--bogus", "x.sql"], "No such option"),
        (["explain", "ZZ999"], "no rule 'ZZ999'"),
    ],
)
def test_usage_and_configuration_errors_exit_3_with_one_line(args, message):
    run = sqladvise(*args)
    assert run.code == 3
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_a_bad_catalog_file_exits_3_naming_the_place(tmp_path):
    catalog = tmp_path / "district.json"
    catalog.write_text('{"format": "sqladvise-catalog", "version": 1, "tables": [{"name": "T", "rows": "many"}]}')
    run = sqladvise("check", "--catalog", str(catalog), str(ROOT / "sample_queries" / "pairs"))
    assert run.code == 3 and f"{catalog}: $.tables[0].rows: expected a whole number" in run.stderr


def test_json_follows_the_contract(files):
    folder = files(bad=BAD)
    document = sqladvise("check", "--format", "json", str(folder / "bad.sql")).json()
    assert set(document) == {"tool", "files", "summary"}
    assert document["tool"]["name"] == "sqladvise" and document["tool"]["version"]
    (file,) = document["files"]
    assert (file["path"], file["statements"], file["parsed"]) == (str(folder / "bad.sql"), 1, 1)
    assert file["ownership"]["author"] == "Dana Whitfield"
    assert "supported by its author, Dana Whitfield" in file["ownership"]["note"]
    categories = {"parse", "view", "scope", "join", "columns", "predicate", "shape", "hint", "risk", "ownership"}
    for finding in file["findings"]:
        assert set(finding) == {"rule", "category", "severity", "message", "remediation", "objects",
                                "line", "column", "end_line", "end_column", "fingerprint"}
        assert finding["category"] in categories and finding["severity"] in ("error", "warning", "info")
        assert finding["line"] <= finding["end_line"]
    scope = next(f for f in file["findings"] if f["rule"] == "SC001")
    assert (scope["line"], scope["column"], scope["end_column"], scope["objects"]) == (4, 6, 15, ["Attendance"])
    summary = document["summary"]
    assert summary["catalog"]["approximate"] is True and "approximation" in summary["catalog"]["note"]
    assert summary["findings"]["error"] >= 1 and summary["exit_code"] == 1


def test_standard_input_and_utf16_from_ssms(files):
    data = codecs.BOM_UTF16_LE + BAD.decode().replace("\n", "\r\n").encode("utf-16-le")
    run = sqladvise("check", "--format", "json", "-", stdin=data)
    (file,) = run.json()["files"]
    assert file["path"] == "<stdin>" and "SC001" in {f["rule"] for f in file["findings"]}


def test_folders_are_searched_for_sql_files_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "b" / "deep.SQL").write_bytes(GOOD)
    (tmp_path / "a" / "notes.txt").write_text("not sql")
    (tmp_path / ".git" / "hidden.sql").write_bytes(BAD)
    document = sqladvise("check", "--format", "json", str(tmp_path)).json()
    assert [f["path"] for f in document["files"]] == [str(tmp_path / "a" / "b" / "deep.SQL")]


def test_a_file_named_more_than_once_is_checked_once_where_first_named(tmp_path):
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "q.sql").write_bytes(BAD)
    (tmp_path / "sql" / "r.sql").write_bytes(GOOD)
    (tmp_path / "same.sql").symlink_to(tmp_path / "sql" / "q.sql")
    run = sqladvise("check", "--format", "json", "sql/q.sql", "sql", "./sql/q.sql", "same.sql", cwd=tmp_path)
    document = run.json()
    assert [f["path"] for f in document["files"]] == ["sql/q.sql", "sql/r.sql"]
    once = sqladvise("check", "--format", "json", "sql", cwd=tmp_path).json()
    assert document["summary"] == once["summary"]


def test_a_named_pipe_in_a_folder_is_passed_over(tmp_path):
    (tmp_path / "q.sql").write_bytes(GOOD)
    os.mkfifo(tmp_path / "pipe.sql")  # reading it would wait for a writer for ever
    document = sqladvise("check", "--format", "json", str(tmp_path)).json()
    assert [f["path"] for f in document["files"]] == [str(tmp_path / "q.sql")]


def test_a_file_name_saved_in_another_encoding_is_reported_and_its_settings_apply(tmp_path):
    folder = tmp_path / os.fsdecode(b"r\xe9sum\xe9s")  # Latin-1 bytes, not UTF-8
    folder.mkdir()
    (folder / ".sqladvise.toml").write_text('ignore = ["CL001"]\n')
    (folder / os.fsdecode(b"caf\xe9.sql")).write_text("SELECT * FROM School sch\n")
    for output_format, named in (("json", "r\ufffdsum\ufffds/caf\ufffd.sql"), ("text", "r\ufffdsum\ufffds/caf\ufffd.sql"),
                                 ("sarif", "r%E9sum%E9s/caf%E9.sql")):  # a URI: the name's own bytes, percent-encoded
        run = sqladvise("check", "--format", output_format, "--output", "report.out", str(tmp_path), cwd=tmp_path)
        assert run.code == 0 and run.stderr == ""
        assert named in (tmp_path / "report.out").read_text(encoding="utf-8")
    results = json.loads((tmp_path / "report.out").read_text(encoding="utf-8"))["runs"][0]["results"]
    (uri,) = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results}
    assert (tmp_path / os.fsdecode(unquote_to_bytes(uri))).is_file()  # a code-scanning viewer finds the file
    (file,) = sqladvise("check", "--format", "json", str(tmp_path)).json()["files"]
    assert "CL001" not in {f["rule"] for f in file["findings"]}  # the settings beside the file
    assert sqladvise("check", "--write-baseline", "b.json", str(tmp_path), cwd=tmp_path).code == 0
    assert sqladvise("batch", "--report", "r.html", str(tmp_path), cwd=tmp_path).code == 0


def test_an_empty_folder_is_reported(tmp_path):
    run = sqladvise("check", str(tmp_path))
    assert run.code == 2 and "This folder could not be analysed: it holds no .sql, .rdl or .rsd files." in run.stdout
    assert "name other files on the command line" in run.stdout


@pytest.mark.parametrize("text", [b"", b"\r\n\r\n", b"-- to do\n/* later */\n", b"\xef\xbb\xbf"])
def test_a_file_with_no_sql_is_said_to_hold_none_and_nothing_more(tmp_path, text):
    """No author to name where there is no SQL to own: one finding, PA003."""
    (tmp_path / "blank.sql").write_bytes(text)
    (file,) = sqladvise("check", "--format", "json", "blank.sql", cwd=tmp_path).json()["files"]
    assert [f["rule"] for f in file["findings"]] == ["PA003"]


def test_a_path_that_is_not_there_is_reported_with_what_to_check(tmp_path):
    (tmp_path / "q.sql").write_bytes(GOOD)
    document = sqladvise("check", "--format", "json", "q.sql", "missing.sql", cwd=tmp_path).json()
    missing = document["files"][1]
    assert [f["rule"] for f in missing["findings"]] == ["PA002"]
    assert missing["findings"][0]["message"] == "This path could not be analysed: no such file or folder."
    assert "a relative path is read from the folder sqladvise runs in" in missing["findings"][0]["remediation"]
    assert document["files"][0]["path"] == "q.sql" and document["files"][0]["statements"] == 1


@pytest.mark.parametrize("command", ["check", "batch"])
@pytest.mark.parametrize("name, says", [
    ("", "an empty path names no file or folder"),  # "$FILE" left empty: not the folder the run is in
    ("a" * 300 + ".sql", "cannot be read: File name too long"),
])
def test_a_path_that_can_name_no_file_is_reported_and_the_others_still_run(tmp_path, command, name, says):
    (tmp_path / "q.sql").write_bytes(GOOD)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "unnamed.sql").write_bytes(GOOD)
    run = sqladvise(command, "--format", "json", name, "q.sql", cwd=tmp_path)
    assert run.code == 2 and "internal error" not in run.stderr
    rows = run.json()["files" if command == "check" else "filters"]
    assert len(rows) == 2 and "unnamed" not in run.stdout
    assert says in json.dumps(rows[0])
    # nor as where to write a report or a baseline
    for option in ("-o", "--write-baseline"):
        written = sqladvise("check", option, "a" * 300 + ".txt", "q.sql", cwd=tmp_path)
        assert written.code == 3 and "File name too long" in written.stderr


def test_a_link_to_nothing_is_reported_as_such(tmp_path):
    (tmp_path / "gone.sql").symlink_to(tmp_path / "moved.sql")
    (tmp_path / "self.sql").symlink_to(tmp_path / "self.sql")
    for name in ("gone.sql", "self.sql"):
        (finding,) = sqladvise("check", "--format", "json", name, cwd=tmp_path).json()["files"][0]["findings"]
        assert "a link to a file that is not there, or to itself" in finding["message"]
        assert finding["remediation"] == "Point the link at the file, or name the file itself."
    # and so it is where a report, a baseline or the settings follow the link (no internal error)
    (tmp_path / ".sqladvise.toml").write_text('exclude = ["legacy/**"]\n')
    for options in (["--format", "sarif"], ["-o", "report.txt"], ["--write-baseline", "b.json"], []):
        run = sqladvise("check", *options, "self.sql", cwd=tmp_path)
        assert run.code == 2 and "internal error" not in run.stderr
    # a baseline asked for where a link to itself is: written there, as asked
    (tmp_path / "q.sql").write_bytes(GOOD)
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    run = sqladvise("check", "--write-baseline", "loop.json", "q.sql", cwd=tmp_path)
    assert run.code == 0 and json.loads((tmp_path / "loop.json").read_text())
    (tmp_path / "q.sql").write_bytes(GOOD)
    files = sqladvise("check", "--format", "json", ".", cwd=tmp_path).json()["files"]  # in a folder too: none is passed over
    rules = {f["path"]: {x["rule"] for x in f["findings"]} for f in files}
    assert set(rules) == {"gone.sql", "q.sql", "self.sql"}
    assert "PA002" in rules["gone.sql"] & rules["self.sql"] and "PA002" not in rules["q.sql"]


def test_a_fix_of_several_lines_is_indented_under_its_first(files):
    """VW001's FROM list: each of its lines under the fix's text, not at the start of the line,
    where it would read as a line of the report."""
    folder = files(view=b"SELECT s.personID, s.grade FROM v_AdHocStudent s WHERE s.calendarID = 5\n")
    lines = sqladvise("check", "--select", "VW001", str(folder / "view.sql")).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("    fix: "))
    assert lines[at] == "    fix: Read the base tables directly:"
    assert lines[at + 1].startswith("         FROM dbo.")
    assert lines[at + 2].startswith("         JOIN dbo.") and lines[at + 3] == ""


def _on_a_terminal(*args: str) -> list[str]:
    """What sqladvise prints with its standard output a terminal (rich's colours taken out)."""
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    primary, secondary = pty.openpty()
    running = subprocess.Popen([str(Path(sys.executable).parent / "sqladvise"), *args], stdout=secondary,
                               stderr=subprocess.DEVNULL, env=env)
    os.close(secondary)
    shown = b""
    while chunk := _read(primary):  # read as it prints: a full terminal would hold it up
        shown += chunk
    os.close(primary)
    running.wait(timeout=120)
    return re.sub(r"\x1b\[[0-9;]*m", "", shown.decode("utf-8")).replace("\r", "").splitlines()


def _read(terminal: int) -> bytes:
    try:
        return os.read(terminal, 65536)
    except OSError:  # the other end is closed: all is read
        return b""


def test_on_a_terminal_files_are_apart_and_a_fix_of_several_lines_is_indented(files):
    folder = files(one=b"SELECT s.personID, s.grade FROM v_AdHocStudent s WHERE s.calendarID = 5\n",
                   two=b"SELECT s.personID, s.grade FROM v_AdHocStudent s WHERE s.calendarID = 6\n")
    lines = _on_a_terminal("check", "--select", "VW001", str(folder / "one.sql"), str(folder / "two.sql"))
    second = next(i for i, line in enumerate(lines) if line.startswith(str(folder / "two.sql")))
    assert lines[second - 1] == "" and lines[second - 2].startswith("         JOIN dbo.")
    fix = next(i for i, line in enumerate(lines) if line.startswith("    fix: "))
    assert lines[fix + 1].startswith("         FROM dbo.")


def test_the_text_report_shows_each_finding_in_place(files):
    folder = files(bad=BAD)
    run = sqladvise("check", str(folder / "bad.sql"))
    lines = run.stdout.splitlines()
    assert lines[0] == f"{folder / 'bad.sql'}  author: Dana Whitfield · 1 statement, 1 read"
    at = next(i for i, line in enumerate(lines) if " SC001 " in line)
    assert lines[at].startswith("  error SC001 scope 4:6  Attendance (15.0M rows) is read for every school year")
    assert lines[at + 1] == "    4 │ JOIN Attendance a ON a.personID = s.personID"
    assert lines[at + 2] == "      │      ^^^^^^^^^^"
    assert lines[at + 3].startswith("    fix: ")
    assert "1 file · 1 statement, 1 read · 2 errors" in run.stdout
    assert "supported by its author" in run.stdout and "approximation" in run.stdout
    assert "\x1b[" not in run.stdout  # no colour codes when not on a terminal


def test_a_report_written_to_a_file_on_windows_is_whole_and_utf8(tmp_path):
    """Windows writes a redirected report in its code page, which has no │ and no Vietnamese ư."""
    (tmp_path / "học_sinh.sql").write_text("-- Author: Nguyễn Thị Hương\nSELECT a.personID FROM Attendance a -- điểm danh\n",
                                           encoding="utf-8")
    run = sqladvise("check", "học_sinh.sql", cwd=tmp_path, env={"PYTHONIOENCODING": "cp1252"})
    assert run.code == 1 and run.stderr == ""
    assert "author: Nguyễn Thị Hương" in run.stdout and "2 │ SELECT a.personID FROM Attendance a -- điểm danh" in run.stdout
    batch = sqladvise("batch", "--format", "csv", ".", cwd=tmp_path, env={"PYTHONIOENCODING": "cp1252"})
    assert batch.code == 1 and "học_sinh.sql" in batch.stdout and "Nguyễn Thị Hương" in batch.stdout


def test_a_long_line_is_quoted_around_its_mark(tmp_path):
    ids = ",".join(str(n) for n in range(1, 20001))  # generated SQL: one line of about 110,000 characters
    (tmp_path / "ids.sql").write_text(f"-- Author: Dana Whitfield\nSELECT a.personID FROM Attendance a WHERE a.personID IN ({ids})"
                                      " AND a.calendarID = 5 AND YEAR(a.date) = 2026\n")
    lines = sqladvise("check", "ids.sql", cwd=tmp_path).stdout.splitlines()
    assert max(len(line) for line in lines) < 400
    at = next(i for i, line in enumerate(lines) if " PR007 " in line)
    assert lines[at + 1].startswith("    2 │ SELECT a.personID FROM Attendance a WHERE a.personID IN (1,2,3,") and lines[at + 1].endswith("…")
    quoted, mark = lines[at + 1], lines[at + 2]
    assert quoted[mark.index("^"):].startswith("a.personID IN") and mark.count("^") == len("a.personID")
    at = next(i for i, line in enumerate(lines) if " PR001 " in line)  # at the far end of the line
    quoted, mark = lines[at + 1], lines[at + 2]
    assert quoted.startswith("    2 │ …") and quoted.endswith("AND YEAR(a.date) = 2026")
    assert quoted[mark.index("^"):].startswith("YEAR(a.date)") and mark.count("^") == len("YEAR(a.date)")


def test_district_size_scales_severity(files):
    folder = files(bad=BAD)
    small = sqladvise("check", "--format", "json", "--district-size", "2000", str(folder / "bad.sql")).json()
    scope = next(f for f in small["files"][0]["findings"] if f["rule"] == "SC001")
    assert scope["severity"] == "warning" and "1.2M rows" in scope["message"]
    assert small["summary"]["catalog"]["students"] == 2000


def test_a_district_catalog_replaces_the_bundled_one(files):
    folder = files(bad=BAD)
    catalog = ROOT / "schema_fixtures" / "tests" / "small_district.json"
    document = sqladvise("check", "--format", "json", "--catalog", str(catalog), str(folder / "bad.sql")).json()
    scope = next(f for f in document["files"][0]["findings"] if f["rule"] == "SC001")
    assert scope["severity"] == "warning" and "400k rows" in scope["message"]
    assert document["summary"]["catalog"]["approximate"] is False


def test_an_unknown_column_is_an_error_only_on_what_the_districts_catalog_describes(files):
    folder = files(typo=b"SELECT a.dat, s.activYear FROM Attendance a JOIN student s WITH (NOEXPAND)\n"
                        b"ON s.personID = a.personID AND s.calendarID = a.calendarID WHERE s.endYear = 2026\n")
    catalog = ROOT / "schema_fixtures" / "tests" / "small_district.json"
    document = sqladvise("check", "--format", "json", "--catalog", str(catalog), str(folder / "typo.sql")).json()
    unknown = {f["message"].split(" has no column ")[0]: f["severity"] for f in document["files"][0]["findings"]
               if f["rule"] == "CL003"}
    assert unknown == {"Attendance": "error", "student": "info"}  # student comes from the bundled catalog


def test_an_unknown_table_fails_the_check_with_the_districts_catalog_and_not_with_the_bundled_one(files):
    folder = files(typo=b"-- Author: Pat Lee\nSELECT s.studentNumber FROM studnet s WHERE s.endYear = 2026\n")
    catalog = ROOT / "schema_fixtures" / "tests" / "small_district.json"
    district = sqladvise("check", "--format", "json", "--catalog", str(catalog), str(folder / "typo.sql"))
    (finding,) = [f for f in district.json()["files"][0]["findings"] if f["rule"] == "CL004"]
    assert finding["severity"] == "error" and district.code == 1
    assert finding["remediation"].startswith("Did you mean student?")
    bundled = sqladvise("check", "--format", "json", str(folder / "typo.sql"))
    assert [f["severity"] for f in bundled.json()["files"][0]["findings"] if f["rule"] == "CL004"] == ["info"]
    assert bundled.code == 0


def test_explain_prints_the_rule_documentation():
    run = sqladvise("explain", "sc001")
    assert run.code == 0
    for heading in ("SC001 unscoped-history", "scope, warning by default.", "Why it matters", "How to fix it",
                    "When it does not matter", "Flagged:", "Not flagged:", "JOIN Attendance a ON"):
        assert heading in run.stdout
    assert sqladvise("explain", "unscoped-history").stdout == run.stdout
    assert "PA005 unused-suppression" in sqladvise("explain", "PA005").stdout and "warning, off by default" in sqladvise("explain", "PA005").stdout


def test_rules_lists_every_rule_as_a_table_or_as_json():
    from advisor.checks.registry import rule_docs

    docs = rule_docs()
    table = sqladvise("rules")
    assert table.code == 0 and all(rule_id in table.stdout for rule_id in docs)
    listed = sqladvise("rules", "--format", "json").json()
    assert [entry["id"] for entry in listed] == list(docs)
    unused = next(entry for entry in listed if entry["id"] == "PA005")
    assert (unused["category"], unused["severity"], unused["enabled"]) == ("parse", "warning", False)
    assert all(entry["why"] and entry["fix"] and entry["examples"] for entry in listed)


def test_version():
    run = sqladvise("--version")
    assert run.code == 0 and run.stdout.startswith("sqladvise ")


def test_a_fault_in_sqladvise_on_one_file_is_one_line_exit_4_and_the_other_files_still_run(files, with_fault, capsys):
    folder = files(good=GOOD, bad=BAD)
    assert with_fault("bad.sql", "check", "--format", "json", str(folder)) == 4
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "internal error while checking" in captured.err and "Traceback" not in captured.err
    import json

    document = json.loads(captured.out)
    assert [f.get("internal_error") for f in document["files"]] == ["ValueError: injected fault", None]
    assert document["files"][1]["path"].endswith("good.sql")


def test_a_plain_check_loads_only_what_it_uses(files):
    """A pre-commit run on one file should feel instant: rich is loaded only for a terminal, the
    database libraries only to pull a catalog or ask a server, and the plan modules only for a plan."""
    import subprocess
    import sys as system

    folder = files(good=GOOD)
    program = (
        "import sys, io\n"
        f"sys.argv = ['sqladvise', 'check', {str(folder / 'good.sql')!r}]\n"
        "from advisor.cli import main\n"
        "sys.stdout = io.StringIO()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('rich', 'sqlalchemy', 'pyodbc', 'defusedxml', 'advisor.plans.')\n"
        "sys.stderr.write(' '.join(sorted(n for n in sys.modules if n.startswith(heavy))))\n"
    )
    done = subprocess.run([system.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.stderr == ""


def test_what_a_command_loads_is_left_out_of_garbage_collection_and_the_collector_runs_after(files):
    """Collecting among the modules and the catalog, which live as long as the process, is wasted
    start-up time: check and batch load them with the collector paused, then freeze them. The
    collector must be running again afterwards, also when the command stops at a usage error."""
    import subprocess
    import sys as system

    folder = files(good=GOOD)
    (folder / "bad.toml").write_text("[tool.sqladvise\n")
    program = (
        "import gc, io, sys\n"
        "from advisor.cli import main\n"
        "def run(*args):\n"
        "    sys.argv = ['sqladvise', *args]\n"
        "    sys.stdout = io.StringIO()\n"
        "    try:\n        main()\n    except SystemExit as done:\n        code = done.code\n"
        "    sys.stdout = sys.__stdout__\n"
        "    print(code, gc.isenabled(), gc.get_freeze_count() > 10000)\n"
        "    gc.unfreeze()\n"
        f"run('check', {str(folder / 'good.sql')!r})\n"
        f"run('check', '--config', {str(folder / 'bad.toml')!r}, {str(folder / 'good.sql')!r})\n"
        f"run('batch', {str(folder / 'good.sql')!r}, '--format', 'json')\n"
    )
    done = subprocess.run([system.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.stdout.split("\n")[:3] == ["0 True True", "3 True True", "0 True True"], done.stdout + done.stderr


def test_every_dataclass_has_a_docstring():
    """Without one, Python builds a docstring from the class's signature when the module is
    imported, which costs about a millisecond a class at every start."""
    import dataclasses
    import importlib
    import pkgutil

    import advisor

    bare = []
    for module in pkgutil.walk_packages(advisor.__path__, "advisor."):
        if module.name.endswith("__main__"):
            continue  # importing it runs the command
        loaded = importlib.import_module(module.name)
        bare += [f"{module.name}.{name}" for name, value in vars(loaded).items()
                 if dataclasses.is_dataclass(value) and isinstance(value, type) and value.__module__ == module.name
                 and (value.__dict__.get("__doc__") or "").startswith(f"{name}(")]
    assert bare == []

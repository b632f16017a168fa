"""The real pre-commit, in a district's SQL repository, with sqladvise as its hook.

pre-commit installs a hook repository from a git commit, so the test commits a snapshot of this
working tree (uncommitted changes included) to a throwaway repository and points the district's
config at it. Installing the hook's environment needs the package registry, as pre-commit
always does.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GOOD = "-- Author: Dana Whitfield\nSELECT sch.schoolID, sch.name FROM School sch\n"
BAD = ("-- Author: Dana Whitfield\nSELECT s.personID, a.date\nFROM student s WITH (NOEXPAND)\n"
       "JOIN Attendance a ON a.personID = s.personID\nWHERE s.endYear = 2026\n")
BAD_REPORT = ('<Report xmlns="http://schemas.microsoft.com/sqlserver/reporting/2016/01/reportdefinition">\n'
              "<Author>Dana Whitfield</Author><DataSets><DataSet Name=\"Absences\"><Query>\n"
              f"<CommandText>{BAD.split(chr(10), 1)[1]}</CommandText></Query></DataSet></DataSets></Report>\n")


def git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)


def snapshot_of_this_project(folder: Path) -> str:
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "snapshot")
    return git(folder, "rev-parse", "HEAD").stdout.strip()


def test_the_hook_passes_a_good_file_and_blocks_a_bad_one_with_its_findings(tmp_path):
    hooks = tmp_path / "sqladvise"
    rev = snapshot_of_this_project(hooks)
    district = tmp_path / "district-sql"
    district.mkdir()
    git(district, "init", "-q")
    (district / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: sqladvise\n"
    )
    environment = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never",
                   "GIT_AUTHOR_NAME": "Dana", "GIT_AUTHOR_EMAIL": "dana@example.org",
                   "GIT_COMMITTER_NAME": "Dana", "GIT_COMMITTER_EMAIL": "dana@example.org"}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=district, env=environment, check=True,
                   capture_output=True)

    def commit(name: str, text: str) -> subprocess.CompletedProcess:
        (district / name).write_text(text)
        subprocess.run(["git", "add", name, ".pre-commit-config.yaml"], cwd=district, check=True)
        return subprocess.run(["git", "commit", "-m", f"add {name}"], cwd=district, env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    good = commit("roster.sql", GOOD)
    assert good.returncode == 0, good.stdout
    assert "sqladvise" in good.stdout and "Passed" in good.stdout

    bad = commit("attendance.sql", BAD)
    assert bad.returncode != 0
    assert "Failed" in bad.stdout and "attendance.sql" in bad.stdout
    assert "error SC001 scope 4:6  Attendance" in bad.stdout  # the finding itself, where the author sees it
    assert "roster.sql" not in bad.stdout  # only the staged file is checked
    report = commit("Absences.RDL", BAD_REPORT)  # an SSRS report definition, named as Report Builder may
    assert report.returncode != 0 and "Absences.RDL" in report.stdout and "error SC001 scope 5:6  Attendance" in report.stdout
    log = subprocess.run(["git", "log", "--format=%s"], cwd=district, capture_output=True, text=True).stdout
    assert log.split() == ["add", "roster.sql"]  # the bad commits did not happen

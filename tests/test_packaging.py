"""A district installs sqladvise from a wheel, not from a checkout: the rule docs and the bundled
catalog must travel inside it."""

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_the_wheel_carries_rules_and_catalog_and_runs_from_anywhere(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("sqladvise-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "advisor/_data/schema_fixtures/campus.json" in names
    assert "advisor/_data/rules/SC001-unscoped-history.toml" in names
    assert "advisor/catalog/export.sql" in names  # `sqladvise catalog export-script` prints it
    assert not [n for n in names if n.startswith(("tests/", "sample_queries/"))]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "district-sql"
    elsewhere.mkdir()
    (elsewhere / "extract.sql").write_text("SELECT s.personID FROM student s WHERE s.endYear = 2026\n")
    run = subprocess.run([venv / "bin" / "sqladvise", "check", "extract.sql"], cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "VW004" in run.stdout
    script = subprocess.run([venv / "bin" / "sqladvise", "catalog", "export-script"], cwd=elsewhere,
                            capture_output=True, text=True, timeout=120)
    assert script.returncode == 0 and "FROM sys.tables AS t" in script.stdout
    where = subprocess.run([venv / "bin" / "python", "-c", "import advisor; print(advisor.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True)
    assert str(venv) in where.stdout

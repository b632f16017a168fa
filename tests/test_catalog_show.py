"""sqladvise catalog show: a catalog's largest tables, its views and their depth, what it lacks."""

from conftest import ROOT, sqladvise

from advisor.catalog.load import load, load_bundled
from advisor.catalog.summary import summarise

SMALL = ROOT / "schema_fixtures" / "tests" / "small_district.json"


def test_views_are_measured_the_way_checks_expand_them():
    bundled = load_bundled()
    summary = summarise(bundled, bundled)
    assert summary.largest[0][1] == max(t.rows for t in bundled.tables.values())
    views = {view.name: view for view in summary.views}
    assert views["v_OneRosterEnrollments"].levels == 3 and views["student"].levels == 1 and views["student"].indexed
    assert set(views["v_AdHocStudent"].base_tables) >= {"Person", "Identity", "Enrollment", "Calendar"}
    assert summary.missing_tables == () and summary.missing_views == ()


def test_a_district_catalog_shows_what_it_lacks_against_the_bundled_one():
    catalog, _ = load(SMALL)
    summary = summarise(catalog, load_bundled())
    assert [name for name, _ in summary.largest] == ["Attendance", "BusStop", "Calendar", "School"]
    assert "student" in summary.missing_views and "Enrollment" in summary.missing_tables
    assert "Attendance" not in summary.missing_tables


def test_the_command_prints_the_summary_and_a_bad_file_is_one_line_exit_3(tmp_path):
    run = sqladvise("catalog", "show", str(SMALL))
    assert run.code == 0 and "Largest tables" in run.stdout and "v_SchoolAttendance" in run.stdout
    assert "Not in this catalog, but in the bundled Campus catalog" in run.stdout
    bundled = sqladvise("catalog", "show")
    assert bundled.code == 0 and "v_OneRosterEnrollments" in bundled.stdout
    (tmp_path / "bad.json").write_text('{"format": "sqladvise-catalog", "version": 1, "tables": [{"name": "T", "rows": -1}]}')
    bad = sqladvise("catalog", "show", str(tmp_path / "bad.json"))
    assert bad.code == 3 and "$.tables[0]" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_an_export_shows_its_server_its_functions_and_its_untrusted_keys():
    run = sqladvise("catalog", "show", str(ROOT / "schema_fixtures" / "tests" / "export_example.json"))
    assert run.code == 0
    assert "3 tables, 1 view, 2 functions (1 scalar, 1 inline)." in run.stdout
    assert "Server: SQL Server 15.0.4382.1, Standard Edition (64-bit), compatibility level 150" in run.stdout
    assert "Untrusted foreign keys" in run.stdout and "Enrollment.FK_Enrollment_Person" in run.stdout
    assert "FK_Enrollment_Calendar" not in run.stdout

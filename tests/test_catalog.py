import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import ROOT, rules_of

from advisor.catalog.bundle import build, render
from advisor.catalog.load import CatalogError, bundled_path, load

SCHEMA = json.loads((ROOT / "schema_fixtures" / "catalog.schema.json").read_text())
SMALL = ROOT / "schema_fixtures" / "tests" / "small_district.json"


def test_the_bundled_catalog_is_built_from_its_sources():
    assert bundled_path().read_text(encoding="utf-8") == render(build()), "run python -m advisor.catalog.bundle"


@pytest.mark.parametrize("arguments, code", [(["--check"], 0), (["--help"], 2), (["--chek"], 2)])
def test_the_bundler_writes_only_when_run_bare(arguments, code):
    """--check compares; any other argument is a mistake, told so, and nothing is rewritten."""
    before = bundled_path().stat().st_mtime_ns
    run = subprocess.run([sys.executable, "-m", "advisor.catalog.bundle", *arguments], capture_output=True, text=True)
    assert run.returncode == code
    assert ("usage: python -m advisor.catalog.bundle [--check]" in run.stderr) is (code == 2)
    assert bundled_path().stat().st_mtime_ns == before


@pytest.mark.parametrize("path", [bundled_path(), SMALL], ids=["bundled", "small district"])
def test_catalogs_follow_the_published_schema(path):
    jsonschema.validate(json.loads(path.read_text()), SCHEMA)


def test_the_bundled_catalog_holds_the_campus_objects(catalog):
    for name in ["Person", "Identity", "Enrollment", "Calendar", "School", "SchoolYear", "Attendance",
                 "Roster", "Section", "Course", "GradingScore", "RelatedPair", "Contact", "TranscriptCourse"]:
        assert catalog.table(name) is not None, name
    for name in ["student", "v_AdHocStudent", "v_CensusContactSummary", "v_AttendanceDetail",
                 "v_AttDayDetail_Federal", "v_CumGPAFull", "v_TranscriptDetail", "v_CourseSection",
                 "StaffMember", "Individual", "v_OneRosterEnrollments"]:
        assert catalog.view(name) is not None, name
    assert catalog.view("STUDENT").indexed  # names are case-insensitive, as on the server
    assert catalog.approximate and catalog.profile.students == 25_000



def test_the_bundled_attendance_view_gives_a_row_for_each_mark(check, catalog):
    """It finds the section a mark was taken in by the student's class in that period, not a row
    for every class the student had that day."""
    statements = check("SELECT ad.attendanceID, ad.sectionID FROM v_AttendanceDetail ad").risk.statements
    assert statements[0].risk.rows == pytest.approx(catalog.table("Attendance").rows, rel=0.1)

def test_sizes_follow_the_district_size(catalog):
    attendance = catalog.table("Attendance")
    bigger = catalog.sized_for(50_000).table("Attendance")
    assert bigger.rows == 2 * attendance.rows
    assert bigger.growth_per_year == 2 * attendance.growth_per_year > 0
    assert catalog.sized_for(50_000).table("GradingTask").rows == catalog.table("GradingTask").rows  # fixed
    assert catalog.table("SchoolYear").growth_per_year == 0


def test_a_district_catalog_with_its_own_counts(tmp_path):
    catalog, warnings = load(SMALL)
    assert (catalog.table("attendance").rows, catalog.approximate, warnings) == (400_000, False, [])
    assert catalog.sized_for(99_999) is catalog  # its counts are its own


def write(tmp_path, document) -> str:
    path = tmp_path / "district.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


BASE = {"format": "sqladvise-catalog", "version": 1, "tables": [{"name": "T", "rows": 5}]}


@pytest.mark.parametrize(
    "change, where, what",
    [
        ({"format": "other"}, "$.format", 'expected "sqladvise-catalog"'),
        ({"version": 2}, "$.version", "reads version 1"),
        ({"tables": {}}, "$.tables", "expected a list, found an object"),
        ({"tables": [{"name": "T"}]}, "$.tables[0]", "give 'rows' (null when unknown) or 'volume'"),
        ({"tables": [{"name": "T", "rows": -1}]}, "$.tables[0].rows", "expected a number from 0 to 1,000,000,000,000, found -1"),
        # past what any district holds, and past what an estimate's arithmetic can hold
        ({"tables": [{"name": "T", "rows": 10**400}]}, "$.tables[0].rows", "from 0 to 1,000,000,000,000, found a larger one"),
        ({"profile": {"students": 10**300}, "tables": [{"name": "T", "volume": {"per": "student", "rate": 1}}]},
         "$.profile.students", "from 0 to 2,000,000, found a larger one"),
        ({"profile": {"history_years": 500}}, "$.profile.history_years", "from 0 to 100"),
        ({"profile": {"new_people_per_year": 1e6}}, "$.profile.new_people_per_year", "from 0 to 10"),
        ({"profile": {}, "tables": [{"name": "T", "volume": {"per": "student", "rate": 1e300}}]}, "$.tables[0].volume.rate",
         "found a larger one"),
        ({"tables": [{"name": "T", "rows": "many"}]}, "$.tables[0].rows", "a whole number"),
        ({"tables": [{"name": "T", "rows": 1, "scope": {"x": "decade"}}]}, "$.tables[0].scope.x", "one of year"),
        ({"tables": [{"name": "T", "volume": {"per": "student", "rate": 1}}]}, "$.tables[0].volume", "needs the catalog's profile"),
        ({"views": [{"name": "v"}]}, "$.views[0]", "'definition' is required"),
        ({"tables": [{"name": "T", "rows": 1, "columns": [{"name": "a"}]}]}, "$.tables[0].columns[0]", "'type' is required"),
        ({"server": {"compatibility_level": "150"}}, "$.server.compatibility_level", "a whole number"),
        ({"functions": [{"name": "f", "kind": "procedure"}]}, "$.functions[0].kind", "one of scalar, inline, multi_statement"),
        ({"tables": [{"name": "T", "rows": 1, "foreign_keys": [{"name": "fk", "columns": ["a"], "references": {"table": "U"}}]}]},
         "$.tables[0].foreign_keys[0].references", "'columns' is required"),
        ({"tables": [{"name": "T", "rows": 1, "columns": [{"name": "a", "type": "int", "collation": 1}]}]},
         "$.tables[0].columns[0].collation", "a non-empty string"),
        ({"tables": [{"name": "T", "rows": 1, "indexes": [{"name": "ix", "columns": []}]}]},
         "$.tables[0].indexes[0].columns", "at least one column"),
        ({"tables": [{"name": "T", "rows": 1, "foreign_keys": [{"name": "fk", "columns": [], "references": {"table": "U", "columns": []}}]}]},
         "$.tables[0].foreign_keys[0].columns", "at least one column"),
        ({"tables": [{"name": "T", "rows": 1, "shares": {"kind": {"P": "most"}}}]}, "$.tables[0].shares.kind.P", "a number"),
        ({"tables": [{"name": "T", "rows": 1, "year_names": "name"}]}, "$.tables[0].year_names", "expected a list"),
    ],
)
def test_a_bad_catalog_names_the_file_the_place_and_the_fault(tmp_path, change, where, what):
    path = write(tmp_path, {**BASE, **change})
    with pytest.raises(CatalogError) as raised:
        load(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {where}: ") and what in message
    with pytest.raises(jsonschema.ValidationError):  # the published schema agrees
        jsonschema.validate({**BASE, **change}, SCHEMA)


def test_a_name_with_half_a_utf16_pair_is_refused(tmp_path):
    """A JSON escape of a lone surrogate (\\udcff) is valid JSON but no character: no report could
    name the table. The one rule besides shares that the published schema cannot say."""
    path = write(tmp_path, {**BASE, "tables": [{"name": "T", "rows": 1, "scope": {"term\udcff": "term"}}]})
    with pytest.raises(CatalogError, match=r"\$\.tables\[0\]\.scope\.term\ufffd holds \\udcff, half of a UTF-16 pair"):
        load(path)


def test_shares_that_add_up_to_more_than_all_the_rows_are_refused(tmp_path):
    """The one rule the published schema cannot say."""
    path = write(tmp_path, {**BASE, "tables": [{"name": "T", "rows": 1, "shares": {"kind": {"P": 0.9, "S": 0.2}}}]})
    with pytest.raises(CatalogError, match=r"\$\.tables\[0\]\.shares\.kind: the shares add up to 1\.1, more than 1"):
        load(path)


@pytest.mark.parametrize(
    "text, what",
    [("{not json", "not valid JSON at line 1, column 2"), ("", "not valid JSON"), ("\udcff", "not UTF-8")],
)
def test_an_unreadable_catalog_says_why(tmp_path, text, what):
    path = tmp_path / "district.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(CatalogError, match=what):
        load(path)


def test_unknown_fields_are_tolerated_with_a_warning(tmp_path):
    path = write(tmp_path, {**BASE, "exported_by": "dba", "tables": [{"name": "T", "rows": 1, "owner": "x"}]})
    _, warnings = load(path)
    assert warnings == [f"{path}: $.exported_by: unknown field, ignored", f"{path}: $.tables[0].owner: unknown field, ignored"]


def test_a_teacher_schedule_reads_the_bundled_schedule_view_by_year(check):
    """v_SectionSchedule holds who teaches each section, in which room and in which school year,
    as district schedule exports read it: no unknown columns, and endYear limits it to a year."""
    report = check("SELECT ss.teacherPersonID, ss.courseName, ss.periodName, ss.roomName FROM v_SectionSchedule ss\n"
                   "WHERE ss.endYear = 2027 AND ss.schoolID = 20\n")
    assert not {"CL003", "SC001"} & rules_of(report)

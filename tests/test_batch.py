"""sqladvise batch: a district's saved filters read from files, CSV and JSON Lines, pass-throughs
checked inside Campus's query with findings placed back in their boxes, bad rows skipped."""

import csv
import io
import json
from datetime import date

import jsonschema
import pytest
from conftest import ROOT, sarif_schema, sqladvise

from advisor.analysis.history import school_year
from advisor.filters import Filter
from advisor.filters.passthrough import WRAPPER, Boxes, split_boxes, wrap
from advisor.filters.read import read_inputs
from advisor.filters.wizard import UnknownPrefix, Wizard, generate

FILTERS = ROOT / "sample_queries" / "filters"


def rows(run) -> list[dict]:
    return run.json()["filters"]


def test_a_pass_through_file_is_checked_inside_campus_s_query_and_placed_on_its_own_lines(tmp_path):
    (tmp_path / "absent.sql").write_text(
        "-- Author: Dana Whitfield\n-- box a\n\nJOIN Attendance a ON a.personID = student.personID\n"
        "-- box b\nAND a.status = 'A'\n"
    )
    (row,) = rows(sqladvise("batch", "absent.sql", cwd=tmp_path))
    assert (row["kind"], row["owner"], row["status"]) == ("passthrough", "Dana Whitfield", "checked")
    where = {f["rule"]: (f["box"], f["line"], f["column"]) for f in row["findings"]}
    assert where["SC001"] == ("A", 4, 6)  # "Attendance" on line 4 of the file the author saved
    assert where["SC002"][0] == WRAPPER  # the toolbar's year: All Years reads every year
    assert row["risk"]["band"] in ("low", "watch", "elevated", "high")


def test_a_box_marked_again_goes_on_with_its_lines_where_they_were_saved(tmp_path):
    # notes between the boxes, then more of box A: each line keeps its own place in the file
    (tmp_path / "absent.sql").write_text(
        "-- Author: Dana Whitfield\n-- box a\nJOIN Attendance a ON a.personID = student.personID\n"
        "-- box b\nAND a.status = 'A'\n-- box a\nJOIN Enrollment e ON e.personID = student.personID\n"
    )
    boxes = split_boxes((tmp_path / "absent.sql").read_text())
    assert boxes.numbered("A") == [(3, "JOIN Attendance a ON a.personID = student.personID"),
                                   (7, "JOIN Enrollment e ON e.personID = student.personID")]
    assert boxes.numbered("B") == [(5, "AND a.status = 'A'")] and boxes.marker_line == 2
    run = sqladvise("check", "--format", "json", "absent.sql", cwd=tmp_path)
    assert run.code == 1, run.stderr
    lines = {(f["rule"], f["line"]) for f in run.json()["files"][0]["findings"]}
    assert ("SC001", 3) in lines and ("SC001", 7) in lines  # Attendance and Enrollment, on their own lines
    (row,) = rows(sqladvise("batch", "absent.sql", cwd=tmp_path))
    assert {("SC001", "A", 3), ("SC001", "A", 7)} <= {(f["rule"], f["box"], f["line"]) for f in row["findings"]}


def test_wrapping_keeps_every_line_s_place():
    boxes = Boxes("JOIN Attendance a\n  ON a.personID = student.personID", "AND a.status = 'A'", (10, 11), (20,), "-- Author: X")
    wrapped = wrap(boxes, 2027)
    lines = wrapped.sql.splitlines()
    assert lines[0] == "-- Author: X" and "FROM student WITH (NOEXPAND)" in lines[2]
    assert "(0 = 2027 OR student.endYear = 2027)" in wrapped.sql
    assert [(p.box, p.line) for p in wrapped.places] == [
        (None, 1), (WRAPPER, 2), (WRAPPER, 3), ("A", 10), ("A", 11), (WRAPPER, 6), (WRAPPER, 7), ("B", 20)]
    assert split_boxes("SELECT 1\n") is None
    assert split_boxes("-- BOX B\nAND 1 = 1\n-- Box A\nJOIN x ON 1 = 1\n") == Boxes("JOIN x ON 1 = 1", "AND 1 = 1", (4,), (2,),
                                                                                 marker_line=1)


def test_the_toolbar_year_is_the_school_year_in_progress():
    assert school_year(date(2026, 11, 29)) == 2027 and school_year(date(2026, 3, 1)) == 2026


def test_the_documented_examples_read_as_their_readme_says():
    found = read_inputs([str(FILTERS)])
    assert [(f.kind, f.owner) for f in found if isinstance(f, Filter)] == [("passthrough", None)]
    table = read_inputs([str(FILTERS / "district_filters.csv"), str(FILTERS / "district_filters.jsonl")])
    assert [(f.name, getattr(f, "kind", None)) for f in table] == [
        ("Clever roster", "sql"), ("Absent all year", "passthrough"), ("Honor roll", "wizard"),
        ("Library patrons", "sql"), ("Bus riders", "passthrough")]
    assert table[0].origin.endswith("district_filters.csv:2") and table[1].origin.endswith(":7")
    assert table[2].wizard.fields[-1] == "gpa.cumGpa" and table[2].wizard.conditions == ("activeEnrollment.grade = '12'",)


def test_an_owner_from_the_export_counts_as_the_author(tmp_path):
    (tmp_path / "f.csv").write_text("name,owner,kind,sql\nSchools,Dana Whitfield,sql,SELECT sch.name FROM School sch\n"
                                    "Schools again,,sql,SELECT sch.name FROM School sch\n")
    found = rows(sqladvise("batch", "f.csv", cwd=tmp_path))
    assert [row["owner"] for row in found] == ["Dana Whitfield", None]
    assert [[f["rule"] for f in row["findings"]] for row in found] == [[], ["OW001"]]


@pytest.mark.parametrize("content, origin, says", [
    ("name,kind,sql\nA,report,SELECT 1\n", ":2", "unknown kind 'report'"),
    ("name,kind,sql\n,sql,SELECT 1\n", ":2", "no name"),
    ("name,kind,sql\nA,sql,   \n", ":2", "empty SQL"),
    ("name,kind,box_a,box_b\nA,passthrough,,\n", ":2", "both boxes are empty"),
    ('name,kind,sql\nA,sql,"SELECT 1\n', ":2", "broken CSV quoting"),
    ("filter,type,text\nA,sql,SELECT 1\n", ":1", "its header has no name or kind column (it has: filter, type, text)"),
    ("name,kind,sql\n", "", "no filters in it: a header line and nothing more"),
])
def test_a_bad_row_is_reported_and_the_others_still_run(tmp_path, content, origin, says):
    (tmp_path / "bad.csv").write_text(content)
    (tmp_path / "good.csv").write_text("name,kind,sql\nSchools,sql,SELECT sch.name FROM School sch\n")
    run = sqladvise("batch", "bad.csv", "good.csv", cwd=tmp_path)
    bad, good = rows(run)
    assert bad["status"] == "bad input" and says in bad["problem"] and bad["origin"] == "bad.csv" + origin
    assert good["status"] == "checked" and run.code == 2
    assert f"bad.csv{origin}: " in run.stderr and says in run.stderr


def test_a_csv_header_is_read_in_any_case(tmp_path):
    (tmp_path / "f.csv").write_text(" Name ,KIND,Sql\nSchools,sql,SELECT sch.name FROM School sch\n")
    (row,) = rows(sqladvise("batch", "f.csv", cwd=tmp_path))
    assert (row["name"], row["status"]) == ("Schools", "checked")


def test_json_lines_with_text_where_a_list_is_and_an_empty_dump_are_bad_input(tmp_path):
    (tmp_path / "f.jsonl").write_text('{"name": "Lists", "kind": "sql", "sql": ["SELECT 1"]}\n')
    (tmp_path / "empty.jsonl").write_text("\n")
    run = sqladvise("batch", "f.jsonl", "empty.jsonl", cwd=tmp_path)
    listed, empty = rows(run)
    assert listed["status"] == "bad input" and listed["problem"] == "sql should be text, not a JSON list or object"
    assert empty["status"] == "bad input" and "no filters in it" in empty["problem"] and run.code == 2


def test_json_lines_with_a_line_that_is_not_utf8_or_not_json(tmp_path):
    (tmp_path / "f.jsonl").write_bytes(
        b'{"name": "Schools", "kind": "sql", "sql": "SELECT sch.name FROM School sch"}\n'
        b'{"name": "Caf\xe9", "kind": "sql", "sql": "SELECT 1"}\n'
        b'not json\n\n'
        b'{"name": "Riders", "kind": "passthrough", "box_b": "AND student.grade = \'09\'"}\n'
        b'{"name": "Half \\udcff", "kind": "sql", "sql": "SELECT 1"}\n'  # valid JSON, but no character
    )
    found = rows(sqladvise("batch", "f.jsonl", cwd=tmp_path))
    assert [(r["origin"], r["status"]) for r in found] == [
        ("f.jsonl:1", "checked"), ("f.jsonl:2", "bad input"), ("f.jsonl:3", "bad input"), ("f.jsonl:5", "checked"),
        ("f.jsonl:6", "bad input")]
    assert "not UTF-8" in found[1]["problem"] and "not a JSON object" in found[2]["problem"]
    assert found[4]["problem"] == "$.name holds \\udcff, half of a UTF-16 pair, which is no character"


def test_a_filter_that_takes_too_long_becomes_an_error_row(tmp_path):
    values = " OR ".join(f"s.personID = {i}" for i in range(4000))  # about a second to check
    (tmp_path / "long.sql").write_text(f"-- Author: Dana Whitfield\nSELECT s.personID FROM student s WITH (NOEXPAND) WHERE {values}\n")
    (tmp_path / "short.sql").write_text("-- Author: Dana Whitfield\nSELECT sch.name FROM School sch\n")
    run = sqladvise("batch", "--time-limit", "0.2", "--jobs", "1", ".", cwd=tmp_path)
    long, short = rows(run)
    assert long["status"] == "error" and "stopped after 0.2 s" in long["problem"] and long["risk"] is None
    assert short["status"] == "checked" and run.code == 4


def test_csv_output_is_a_row_per_filter_and_safe_in_a_spreadsheet(tmp_path):
    (tmp_path / "f.csv").write_text("name,owner,kind,sql\n=HYPERLINK(\"x\"),Dana,sql,SELECT a.personID FROM Attendance a\n")
    run = sqladvise("batch", "--format", "csv", "f.csv", cwd=tmp_path)
    (row,) = list(csv.DictReader(io.StringIO(run.stdout)))
    assert row["name"] == "'=HYPERLINK(\"x\")" and row["status"] == "checked"
    assert row["band"] in ("low", "watch", "elevated", "high") and "SC001" in row["rules"].split()
    assert int(row["error"]) >= 1 and run.code == 1 and row["never_ends"] == "false"


def test_csv_says_which_filter_never_ends_where_its_seconds_are_the_timeout(tmp_path):
    (tmp_path / "weeks.sql").write_text("DECLARE @i int = 1\nWHILE @i <= 10\nBEGIN\n    INSERT INTO #weeks (n) VALUES (@i)\nEND\n")
    (row,) = list(csv.DictReader(io.StringIO(sqladvise("batch", "--format", "csv", "weeks.sql", cwd=tmp_path).stdout)))
    assert (row["never_ends"], row["band"], float(row["estimated_seconds"])) == ("true", "high", 600)


def test_the_order_is_the_input_order_whatever_the_processes(tmp_path):
    for number in range(12):
        (tmp_path / f"f{number:02}.sql").write_text(f"-- Author: A{number}\nSELECT sch.name FROM School sch\n")
    one = sqladvise("batch", "--jobs", "1", ".", cwd=tmp_path)
    two = sqladvise("batch", "--jobs", "2", ".", cwd=tmp_path)
    assert one.stdout == two.stdout and [r["owner"] for r in rows(two)] == [f"A{n}" for n in range(12)]


def test_sarif_points_at_the_file_a_filter_came_from(tmp_path):
    (tmp_path / "absent.sql").write_text("-- Author: Dana Whitfield\n-- box a\nJOIN Attendance a ON a.personID = student.personID\n")
    (tmp_path / "f.csv").write_text("name,kind,sql\nSchools,sql,SELECT sch.name FROM School sch\n"
                                    "History,sql,SELECT a.personID FROM Attendance a\nBroken,report,x\n")
    run = sqladvise("batch", "--format", "sarif", "absent.sql", "f.csv", cwd=tmp_path)
    document = json.loads(run.stdout)
    jsonschema.validate(document, sarif_schema())
    (sarif_run,) = document["runs"]
    places = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif_run["results"]}
    assert ("SC001", "absent.sql", 3) in places  # the box line in the file the author saved
    assert ("SC001", "f.csv", 3) in places  # the row the filter is on
    history = next(r for r in sarif_run["results"] if r["partialFingerprints"]["sqladvise/filter"] == "History")
    assert history["message"]["text"].startswith("Filter 'History' (line 1): ")
    (notice,) = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert "f.csv:4: unknown kind 'report'" in notice["message"]["text"] and run.code == 2


def test_a_wizard_filter_is_checked_as_the_query_it_becomes_and_findings_land_on_its_fields(tmp_path):
    (tmp_path / "w.jsonl").write_text(json.dumps({
        "name": "Honor roll", "owner": "Priya Nair", "kind": "wizard",
        "fields": ["student.lastName", "student.firstName", "gpa.cumGpa"],
        "conditions": ["student.grade = '12'"]}) + "\n")
    (row,) = rows(sqladvise("batch", "w.jsonl", cwd=tmp_path))
    assert row["status"] == "checked" and row["kind"] == "wizard"
    where = {(f["rule"], f["box"], f["line"]) for f in row["findings"]}
    assert ("VW001", "fields", 1) in where  # the student view, brought in by the first field
    assert ("VW003", "fields", 3) in where  # GPA: after hours, brought in by gpa.cumGpa
    assert row["advice"] and any("Force Order" in advice for advice in row["advice"])


def test_what_the_wizard_writes_between_its_views_is_not_judged(tmp_path):
    """The wizard joins its views, LEFT JOINs them and adds DISTINCT, as sqladvise can only guess:
    a join on part of a key (JN002) and a condition that makes the LEFT JOIN an inner one (SH012)
    are not the author's to fix. The same query written as SQL is judged on both."""
    fields, conditions = ["student.lastName", "attendance.date"], ["attendance.status = 'A'"]
    (tmp_path / "w.jsonl").write_text(json.dumps({"name": "Absent", "kind": "wizard", "fields": fields,
                                                  "conditions": conditions}) + "\n")
    (row,) = rows(sqladvise("batch", "w.jsonl", cwd=tmp_path))
    wizard_rules = {f["rule"] for f in row["findings"]}
    assert {"SC001", "VW001"} <= wizard_rules and not wizard_rules & {"JN002", "SH004", "SH012"}
    written = generate(Wizard(tuple(fields), tuple(conditions)), {"student": "v_AdHocStudent",
                                                                   "attendance": "v_AttendanceDetail"}).sql
    (tmp_path / "as_sql.sql").write_text(written)
    (row,) = rows(sqladvise("batch", "as_sql.sql", cwd=tmp_path))
    assert {"JN002", "SH012"} <= {f["rule"] for f in row["findings"]}


def test_wizard_fields_come_from_the_catalog_s_prefix_map():
    catalog_prefixes = {"student": "v_AdHocStudent", "gpa": "v_CumGPAFull"}
    wrapped = generate(Wizard(("student.lastName", "GPA.cumGpa"), ("student.grade = '12'",)), catalog_prefixes)
    assert wrapped.sql.splitlines() == [
        "SELECT DISTINCT", "  student.lastName,", "  GPA.cumGpa", "FROM v_AdHocStudent student",
        "LEFT JOIN v_CumGPAFull GPA ON GPA.personID = student.personID", "WHERE 1 = 1", "  AND (student.grade = '12')"]
    assert [(p.box, p.line) for p in wrapped.places][1:5] == [("fields", 1), ("fields", 2), ("fields", 1), ("fields", 2)]
    indexed = generate(Wizard(("hist.endYear",)), {"hist": "student"}, frozenset({"student"}))
    assert "FROM student hist WITH (NOEXPAND)" in indexed.sql  # as Campus's own code reads the indexed view
    quoted = generate(Wizard(("student.email",), ("student.email = 'dana.whitfield@district.org'",)), catalog_prefixes)
    assert "AND (student.email = 'dana.whitfield@district.org')" in quoted.sql  # a value, not a field
    with pytest.raises(UnknownPrefix, match="'lunch' is not one the catalog maps"):
        generate(Wizard(("lunch.status",)), catalog_prefixes)


def test_a_wizard_item_over_several_lines_or_with_a_comment_keeps_its_place(tmp_path):
    (tmp_path / "w.jsonl").write_text(json.dumps({
        "name": "Ninth and tenth", "owner": "Priya Nair", "kind": "wizard",
        "fields": ["student.lastName,\nstudent.firstName", "gpa.cumGpa"],
        "conditions": ["student.grade = '09'\n  OR student.grade = '10' -- both grades", "student.lastName LIKE 'A%'"]}) + "\n")
    (row,) = rows(sqladvise("batch", "w.jsonl", cwd=tmp_path))
    where = {(f["rule"], f["box"], f["line"]) for f in row["findings"]}
    assert "PA001" not in {rule for rule, _, _ in where}  # the comment hides no parenthesis
    assert ("VW001", "fields", 1) in where and ("VW003", "fields", 2) in where
    assert ("SC001", "fields", 1) in where  # grades limit no year


def test_a_wizard_field_the_catalog_cannot_place_is_a_bad_input_row(tmp_path):
    (tmp_path / "w.csv").write_text('name,kind,fields\nLunch,wizard,"student.lastName\nlunch.status"\nEmpty,wizard,\n')
    run = sqladvise("batch", "w.csv", cwd=tmp_path)
    lunch, empty = rows(run)
    assert lunch["status"] == "bad input" and "'lunch' is not one the catalog maps" in lunch["problem"]
    assert empty["status"] == "bad input" and "no fields" in empty["problem"] and run.code == 2


def test_a_filter_sqladvise_fails_on_is_an_error_row_and_the_rest_run(tmp_path, with_fault, capsys):
    (tmp_path / "f.csv").write_text("name,kind,sql\nFirst,sql,SELECT sch.name FROM School sch\n"
                                    "Victim,sql,SELECT 1\nLast,sql,SELECT sch.name FROM School sch\n")
    code = with_fault(":3", "batch", "--jobs", "1", str(tmp_path / "f.csv"))
    found = json.loads(capsys.readouterr().out)["filters"]
    assert [(row["name"], row["status"]) for row in found] == [("First", "checked"), ("Victim", "error"), ("Last", "checked")]
    assert found[1]["problem"] == "ValueError: injected fault" and code == 4


def test_a_finding_that_starts_in_campus_s_part_and_runs_into_a_box_is_on_the_box(tmp_path):
    """Box B's OR without parentheses mixes with the AND of Campus's WHERE: PR009's condition
    starts there, but the OR the author can put in parentheses is on box B's line. A finding on
    Campus's part alone stays there."""
    (tmp_path / "grades.sql").write_text("-- Author: Dana Whitfield\n-- box b\n\n"
                                         "  AND student.grade = '09' OR student.grade = '10'\n")
    (row,) = rows(sqladvise("batch", "grades.sql", cwd=tmp_path))
    where = {f["rule"]: (f["box"], f["line"], f["column"], f["end_line"]) for f in row["findings"]}
    assert where["PR009"] == ("B", 4, 3, 4)
    assert where["SC001"][0] == WRAPPER  # student, read in Campus's FROM
    (file,) = sqladvise("check", "--format", "json", "grades.sql", cwd=tmp_path).json()["files"]
    checked = {f["rule"]: f for f in file["findings"]}
    assert (checked["PR009"]["line"], checked["PR009"]["column"]) == (4, 3)
    assert not checked["PR009"]["message"].startswith("In the query Campus runs around the boxes")
    assert checked["SC001"]["line"] == 2 and checked["SC001"]["message"].startswith("In the query Campus runs")


def test_check_reads_a_pass_through_file_as_campus_runs_it_and_reports_it_as_saved(tmp_path):
    (tmp_path / "absent.sql").write_text(
        "-- Author: Dana Whitfield\n-- box a\n\nJOIN Attendance a ON a.personID = student.personID\n"
        "-- box b\nAND a.status = 'A'  -- sqladvise: ignore CL001\n"
    )
    run = sqladvise("check", "--format", "json", "absent.sql", cwd=tmp_path)
    (file,) = run.json()["files"]
    where = {f["rule"]: (f["line"], f["column"], f["end_column"], f["message"]) for f in file["findings"]}
    assert where["SC001"][:3] == (4, 6, 15)  # "Attendance", where the author typed it
    assert where["SC002"][:2] == (2, 1) and where["SC002"][3].startswith("In the query Campus runs around the boxes: ")
    assert file["parsed"] == 1 and file["ownership"]["author"] == "Dana Whitfield"
    assert [s["line"] for s in file["risk"]["statements"]] == [2]
    text = sqladvise("check", "absent.sql", cwd=tmp_path).stdout
    assert "4 │ JOIN Attendance a ON a.personID = student.personID" in text  # the file's own line, quoted


def test_a_pass_through_s_join_is_told_to_move_to_box_b_for_campus_s_distinct_stays(tmp_path, check):
    """Campus writes SELECT DISTINCT around the boxes: the author can change the join in box A,
    not the DISTINCT, in a saved file and in a dump alike."""
    boxes = ("-- Author: Dana Whitfield\n-- box a\nJOIN Attendance a ON a.personID = student.personID "
             "AND a.calendarID = student.calendarID\n-- box b\nAND a.date = CAST(GETDATE() AS date)\n")
    (tmp_path / "absent.sql").write_text(boxes)
    (found,) = [f for f in check(boxes).findings if f.rule == "SH004"]
    assert found.remediation.startswith("Test for a match in box B instead of joining in box A: AND EXISTS (SELECT 1 "
                                        "FROM Attendance a WHERE a.personID = student.personID AND ")
    assert "drop the DISTINCT" not in found.remediation
    (row,) = rows(sqladvise("batch", "absent.sql", cwd=tmp_path))
    assert [f["remediation"] for f in row["findings"] if f["rule"] == "SH004"] == [found.remediation]
    plain = "SELECT DISTINCT s.personID FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID\n"
    (written,) = [f for f in check(plain).findings if f.rule == "SH004"]
    assert written.remediation.endswith("and drop the DISTINCT.")


def test_a_pass_through_s_grouped_view_is_not_given_campus_s_toolbar_conditions_to_copy(check):
    """The students of a pass-through are limited by the toolbar's conditions, which Campus writes
    with each run's calendar and year: SC003's fix cannot quote them for the author to copy."""
    boxes = ("-- Author: Dana Whitfield\n-- box a\nLEFT JOIN v_CumGPAFull g ON g.personID = student.personID\n"
             "-- box b\nAND student.grade = '12'\n")
    (grouped,) = [f for f in check(boxes).findings if f.rule == "SC003"]
    assert grouped.remediation.startswith("Read TranscriptCourse, Identity and Person in place of the view, limited to")
    assert "0 = " not in grouped.remediation


def test_a_pass_through_whose_box_b_or_reaches_campus_s_conditions_is_told_to_add_parentheses_first(check):
    """AND x.status = 'T' OR x.code = 'TU' in box B ORs the whole WHERE, Campus's conditions too: an
    EXISTS of the conditions on the joined tables would quote Campus's, which the author cannot move."""
    boxes = ("-- Author: Dana Whitfield\n-- box a\nJOIN Attendance a ON a.personID = student.personID AND a.calendarID = "
             "student.calendarID\nJOIN AttendanceExcuse x ON x.excuseID = a.excuseID\n-- box b\n{}\n")
    (mixed,) = [f for f in check(boxes.format("AND x.status = 'T' OR x.code = 'TU'")).findings if f.rule == "SH004"]
    assert mixed.remediation.startswith("Put box B's OR in parentheses first (AND (... OR ...))")
    assert "student.endYear" not in mixed.remediation  # nothing of what Campus writes
    (kept,) = [f for f in check(boxes.format("AND (x.status = 'T' OR x.code = 'TU')")).findings if f.rule == "SH004"]
    assert kept.remediation.startswith("Test for a match in box B instead of joining in box A: AND EXISTS (SELECT 1 FROM "
                                       "Attendance a JOIN AttendanceExcuse x ON x.excuseID = a.excuseID WHERE ")
    assert kept.remediation.count("student.") == 2  # the join's two columns, nothing of what Campus writes


def test_a_pass_through_s_join_to_a_view_of_a_row_per_contact_is_told_to_move_to_box_b(check):
    """The usual box A: the contact summary, a row per related person, to keep the students who
    have a guardian with a district e-mail."""
    boxes = ("-- Author: Dana Whitfield\n-- box a\nJOIN v_CensusContactSummary cs ON cs.personID = student.personID\n"
             "-- box b\nAND cs.guardian = 1 AND cs.email LIKE '%@district.org'\n")
    (found,) = [f for f in check(boxes).findings if f.rule == "SH004"]
    assert (found.span.line, found.objects) == (3, ("v_CensusContactSummary",))
    assert found.remediation.startswith(
        "Test for a match in box B instead of joining in box A: AND EXISTS (SELECT 1 FROM v_CensusContactSummary cs "
        "WHERE cs.personID = student.personID AND cs.guardian = 1 AND cs.email LIKE '%@district.org'), in place of "
        "the join and of box B's conditions on its columns.")

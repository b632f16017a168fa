"""SSRS report definitions (.rdl) and shared data sets (.rsd): each data set's query checked as
SQL, its findings placed on the XML's lines, and the data sets it cannot read named."""

import html
import json
from pathlib import Path

import pytest
from conftest import ROOT, rules_of, sqladvise

from advisor.frontend.decode import decode
from advisor.frontend.ssrs import read_definition

SAMPLE = ROOT / "sample_queries" / "reports" / "chronic_absence.rdl"
NAMESPACE = "http://schemas.microsoft.com/sqlserver/reporting/2016/01/reportdefinition"


def report(*data_sets: str, author: str = "", sources: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Report xmlns="{NAMESPACE}">\n{author}{sources}'
            f"<DataSets>\n{''.join(data_sets)}</DataSets>\n</Report>\n")


def data_set(name: str, query: str, command_type: str = "", source: str = "Campus") -> str:
    kind = f"<CommandType>{command_type}</CommandType>" if command_type else ""
    return (f'<DataSet Name="{name}">\n<Query>\n<DataSourceName>{source}</DataSourceName>{kind}\n'
            f"<CommandText>{query}</CommandText>\n</Query>\n</DataSet>\n")


def test_a_report_s_findings_are_its_queries_findings_placed_on_the_xml(check):
    text = decode(SAMPLE.read_bytes()).text
    whole = check(SAMPLE.read_bytes(), SAMPLE.name)
    read = read_definition(text).read()
    assert [d.name for d in read] == ["SchoolYears", "Schools", "ChronicAbsence"]
    expected, placed = [], []
    for query in read:
        alone = check(query.sql, "alone.sql")
        expected += sorted((f.rule, f.message, query.sql[f.span.start:f.span.end]) for f in alone.findings
                           if f.rule != "OW001")
    for found in whole.findings:
        if found.rule not in ("OW001", "PA007", "CL018"):  # those a report has, and its queries alone have not
            placed.append((found.rule, found.message, html.unescape(text[found.span.start:found.span.end])))
    assert sorted(placed) == sorted(expected) and len(placed) == 5
    excuse = next(f for f in whole.findings if f.rule == "VW005" and "excuse" in f.message)
    # after two escaped characters on its line: the columns are the file's, where &lt;&gt; takes 8
    line = text.splitlines()[excuse.span.line - 1]
    assert line[excuse.span.column - 1:excuse.span.end_column] == "ad.excuse &lt;&gt; 'E'"
    assert whole.author == "Renee Alvarez, Student Services" and whole.statements == whole.parsed == 3


def test_line_breaks_and_characters_of_any_script_keep_their_places(check):
    query = "SELECT s.lastName -- élève &amp; 学生\r\nFROM student s WITH (NOLOCK) WHERE s.endYear = 2026"
    text = report(data_set("Élèves", query)).replace("\n", "\r\n")
    found = check(text.encode("utf-8-sig"), "eleves.rdl")
    (nolock,) = [f for f in found.findings if f.rule == "HT001"]
    line = text.split("\r\n")[nolock.span.line - 1]
    assert line[nolock.span.column - 1:nolock.span.end_column] == "NOLOCK"
    utf16 = check(text.encode("utf-16"), "eleves.rdl")  # as some tools save it
    assert [(f.rule, f.span.line, f.span.column) for f in utf16.findings] == \
        [(f.rule, f.span.line, f.span.column) for f in found.findings]


def test_each_data_set_runs_on_its_own(check):
    """What one data set declares is gone in the next, where the same name is a report parameter."""
    declared = "DECLARE @year int = 2026\nSELECT sy.label FROM SchoolYear sy WHERE sy.endYear = @year"
    parameter = "SELECT sy.label FROM SchoolYear sy WHERE sy.endYear = @year"
    found = check(report(data_set("One", declared), data_set("Two", declared), data_set("Three", parameter)), "years.rdl")
    assert found.statements == found.parsed == 5 and rules_of(found) == set()  # no SH024, no SH023
    as_a_script = check(f"{declared}\n{declared}\nGO\n{parameter}", "years.sql")
    assert {"SH023", "SH024"} <= rules_of(as_a_script)


def test_data_sets_with_no_query_to_read_are_named_with_why(check):
    sources = ("<DataSources><DataSource Name=\"Cube\"><ConnectionProperties><DataProvider>OLEDB-MD</DataProvider>"
               "</ConnectionProperties></DataSource></DataSources>\n")
    text = report(
        data_set("Letters", "dbo.usp_AttendanceLetters", "StoredProcedure"),
        data_set("Built", '="SELECT s.lastName FROM student s WHERE s.schoolID = " &amp; Parameters!School.Value'),
        data_set("Cube", "SELECT [Measures].[Absences] ON COLUMNS FROM [Attendance]", source="Cube"),
        author="<Author>Dana Whitfield</Author>\n", sources=sources)
    shared = ('<DataSet Name="Students">\n<SharedDataSet>\n<SharedDataSetReference>/Shared Datasets/Students'
              "</SharedDataSetReference>\n</SharedDataSet>\n</DataSet>\n")
    found = check(text.replace("</DataSets>", shared + "</DataSets>"), "letters.rdl")
    notes = [f for f in found.findings if f.rule == "PA007"]
    assert [f.span.line for f in notes] == [6, 12, 18, 24] and rules_of(found) == {"PA007"}  # no PA003: the notes say why
    assert "Data set Letters is not checked: it runs the stored procedure dbo.usp_AttendanceLetters" in notes[0].message
    assert "an expression that builds the SQL" in notes[1].message
    assert "Cube reads through the OLEDB-MD provider, not SQL Server" in notes[2].message
    assert "its query is the shared data set /Shared Datasets/Students" in notes[3].message and ".rsd" in notes[3].remediation
    assert found.statements == 0 and found.unanalysable is None and found.author == "Dana Whitfield"


def test_a_report_with_no_author_is_told_where_to_name_one(check):
    found = check(report(data_set("Schools", "SELECT sch.name FROM School sch")), "schools.rdl")
    (owner,) = [f for f in found.findings if f.rule == "OW001"]
    assert owner.remediation.startswith("Fill in the report's Author") and (owner.span.line, owner.span.column) == (7, 14)  # at its query


def test_a_report_s_query_carries_suppressions_and_its_header_author(check):
    query = ("-- Author: Dana Whitfield\nSELECT a.personID FROM Attendance a -- sqladvise: ignore SC001\n"
             "WHERE a.status = 'A'")
    found = check(report(data_set("Absences", query)), "absences.rdl")
    assert found.author == "Dana Whitfield"
    assert [f.suppressed for f in found.findings if f.rule == "SC001"] == ["inSource"]


def test_not_a_report_definition(tmp_path):
    (tmp_path / "broken.rdl").write_text(report(data_set("A", "SELECT 1")).replace("</DataSets>", ""))
    (tmp_path / "empty.rdl").write_text(f'<Report xmlns="{NAMESPACE}"><Body /></Report>')
    plan = next((ROOT.parent / "shared" / "plans").rglob("*.sqlplan"))
    (tmp_path / "plan.sql").write_bytes(plan.read_bytes())  # a plan saved under the wrong name
    run = sqladvise("check", "--format", "json", ".", cwd=tmp_path)
    files = {f["path"]: f for f in run.json()["files"]}
    (broken,) = files["broken.rdl"]["findings"]
    assert broken["rule"] == "PA002" and "not well-formed XML (mismatched tag, line 11)" in broken["message"]
    (plan_finding,) = files["plan.sql"]["findings"]
    assert plan_finding["rule"] == "PA002" and "its root element is ShowPlanXML" in plan_finding["message"]
    assert "--plan" in plan_finding["remediation"]
    assert [f["rule"] for f in files["empty.rdl"]["findings"]] == ["PA003"]
    assert run.code == 2


def test_a_folder_s_reports_are_checked_and_a_filter_review_leaves_them_out(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "Absences.RDL").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "roster.sql").write_text("-- Author: Dana Whitfield\nSELECT sch.name FROM School sch\n")
    checked = sqladvise("check", "--format", "json", ".", cwd=tmp_path).json()["files"]
    assert [f["path"] for f in checked] == ["roster.sql", "reports/Absences.RDL"]
    reviewed = sqladvise("batch", "--format", "json", ".", cwd=tmp_path).json()["filters"]
    assert [f["origin"] for f in reviewed] == ["roster.sql"]


def test_a_report_definition_on_standard_input():
    run = sqladvise("check", "--format", "json", "-", stdin=SAMPLE.read_bytes())
    (file,) = run.json()["files"]
    assert file["ownership"]["author"] == "Renee Alvarez, Student Services" and file["statements"] == 3
    assert {(f["rule"], f["line"]) for f in file["findings"]} >= {("SC001", 68), ("CL018", 64), ("PA007", 103)}


def test_a_text_report_parameter_arrives_as_nvarchar(check):
    """SSRS sends a String parameter as nvarchar: compared with a varchar column, the column converts."""
    query = "SELECT p.personID FROM Person p WHERE p.studentNumber = @Student"
    passed = "<QueryParameters><QueryParameter Name=\"@Student\"><Value>=Parameters!Student.Value</Value></QueryParameter></QueryParameters>"

    def parameter(multi: str) -> str:
        return (f'<ReportParameters><ReportParameter Name="Student"><DataType>String</DataType>{multi}</ReportParameter>'
                "</ReportParameters>\n")

    text = report(data_set("Student", query).replace("<DataSourceName>", passed + "<DataSourceName>"))
    single = check(text.replace("</Report>", parameter("") + "</Report>"), "student.rdl")
    (converted,) = [f for f in single.findings if f.rule == "PR004"]
    assert "@Student is a report parameter, which SSRS sends as nvarchar, and nvarchar outranks it" in converted.message
    assert converted.remediation.startswith("Convert the parameter, not the column: compare Person.studentNumber with "
                                            "CAST(@Student AS varchar(15))")
    several = check(text.replace("</Report>", parameter("<MultiValue>true</MultiValue>") + "</Report>"), "student.rdl")
    assert "PR004" not in rules_of(several)  # written into the query as a list: no one type is assumed
    assert "PR004" not in rules_of(check(f"-- Author: Dana Whitfield\n{query}"))  # a variable of no known type


def test_a_report_s_data_sets_run_at_the_same_time_unless_in_one_transaction(check):
    heavy = (data_set("Absences", "SELECT a.personID, a.[date] FROM Attendance a"),
             data_set("Grades", "SELECT g.personID, g.score FROM GradingScore g"))
    side_by_side = check(report(*heavy), "heavy.rdl").risk
    seconds = [statement.risk.estimated_seconds for statement in side_by_side.statements]
    assert len(seconds) == 2 and min(seconds) > 0.5
    assert side_by_side.risk.estimated_seconds == pytest.approx(max(seconds), rel=1e-3)
    single = ('<DataSources><DataSource Name="Campus"><Transaction>true</Transaction><ConnectionProperties>'
              "<DataProvider>SQL</DataProvider></ConnectionProperties></DataSource></DataSources>\n")
    one_after_another = check(report(*heavy, sources=single), "heavy.rdl").risk
    assert one_after_another.risk.estimated_seconds == pytest.approx(sum(seconds), rel=1e-3)


def test_a_data_set_is_measured_against_its_own_query_timeout(check):
    absences = data_set("Absences", "SELECT a.personID, a.[date] FROM Attendance a")
    light = data_set("Years", "SELECT sy.label FROM SchoolYear sy")

    def timed(seconds: str) -> str:
        return absences.replace("<CommandText>", f"<Timeout>{seconds}</Timeout><CommandText>")

    free = check(report(absences, light), "absences.rdl").risk
    heavy = free.statements[0].risk
    assert free.risk.timeout_seconds == heavy.timeout_seconds == 600 and free.risk.limit == "report execution timeout"
    limit = max(round(heavy.estimated_seconds / 2), 1)
    bound = check(report(timed(str(limit)), light), "absences.rdl").risk
    own, other = (statement.risk for statement in bound.statements)
    assert (own.timeout_seconds, own.limit) == (limit, "query timeout of data set Absences")
    assert own.estimated_seconds == heavy.estimated_seconds and own.p_timeout > heavy.p_timeout
    assert (other.timeout_seconds, other.limit) == (600, "report execution timeout")
    # the report fails when its slowest data set passes its own timeout
    assert (bound.risk.timeout_seconds, bound.risk.p_timeout) == (limit, own.p_timeout)
    for no_limit_of_its_own in ("0", "", "1000000"):  # 0 or none: the report's execution timeout alone stops it
        again = check(report(timed(no_limit_of_its_own), light), "absences.rdl").risk
        assert again.statements[0].risk == heavy and again.risk == free.risk
    strict = check(report(timed("1"), light), "absences.rdl")
    (hit,) = [f for f in strict.findings if f.rule == "RK001"]
    assert "chance of passing the 1 s query timeout of data set Absences" in hit.message
    assert "Dataset Properties > Query" in hit.remediation
    alone = check("-- Author: Dana Whitfield\nSELECT a.personID, a.[date] FROM Attendance a", "absences.sql").risk.risk
    assert alone.limit == "ad hoc timeout" and alone.timeout_seconds == 600


def test_the_json_names_the_timeout(tmp_path):
    query = data_set("Absences", "SELECT a.personID, a.[date] FROM Attendance a").replace(
        "<CommandText>", "<Timeout>1</Timeout><CommandText>")
    (tmp_path / "absences.rdl").write_text(report(query), encoding="utf-8")
    (tmp_path / "absences.sql").write_text("SELECT a.personID, a.[date] FROM Attendance a", encoding="utf-8")
    run = sqladvise("check", "--format", "json", str(tmp_path))
    risks = {Path(file["path"]).name: file["risk"] for file in json.loads(run.stdout)["files"]}
    assert (risks["absences.rdl"]["timeout"], risks["absences.rdl"]["timeout_seconds"]) == \
        ("query timeout of data set Absences", 1)
    assert risks["absences.rdl"]["statements"][0]["timeout"] == "query timeout of data set Absences"
    assert (risks["absences.sql"]["timeout"], risks["absences.sql"]["timeout_seconds"]) == ("ad hoc timeout", 600)


def test_a_report_fails_when_any_data_set_passes_its_own_timeout(check):
    """The report's time is its slowest data set's; its chance, the larger of that passing the
    execution timeout and of a faster data set passing a shorter timeout of its own."""
    slow = data_set("Absences", "SELECT a.personID, a.[date] FROM Attendance a ORDER BY a.[date]")
    fast = data_set("Grades", "SELECT g.personID, g.score FROM GradingScore g")
    seconds = [s.risk.estimated_seconds for s in check(report(slow, fast), "two.rdl").risk.statements]
    assert seconds[0] > 3 * seconds[1] > 3
    limit = int(seconds[1] / 1.5)
    both = check(report(slow, fast.replace("<CommandText>", f"<Timeout>{limit}</Timeout><CommandText>")), "two.rdl").risk
    grades = both.statements[1].risk
    assert both.risk.estimated_seconds == pytest.approx(seconds[0], rel=1e-3)
    assert both.risk.p_timeout == pytest.approx(grades.p_timeout, abs=1e-4) and grades.p_timeout > 0.5
    assert (both.risk.timeout_seconds, both.risk.limit) == (limit, "query timeout of data set Grades")


def test_only_a_multi_value_parameter_is_taken_as_every_value(check):
    query = "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.schoolID IN (@School)"
    passed = "<QueryParameters><QueryParameter Name=\"@School\"><Value>=Parameters!School.Value</Value></QueryParameter></QueryParameters>"

    def drivers(multi: str) -> tuple[str, ...]:
        parameter = (f'<ReportParameters><ReportParameter Name="School"><DataType>Integer</DataType>{multi}'
                     "</ReportParameter></ReportParameters>\n")
        text = report(data_set("Students", query).replace("<DataSourceName>", passed + "<DataSourceName>"))
        return check(text.replace("</Report>", parameter + "</Report>"), "students.rdl").risk.risk.drivers

    assert "multi-value parameter" in drivers("<MultiValue>true</MultiValue>")[0]
    assert not any("multi-value" in driver for driver in drivers(""))


def test_a_multi_value_parameter_is_a_list_only_in_in(check):
    """SSRS writes the values picked into the query as a list: c.schoolID = @Schools is
    c.schoolID = 12,14 once two are picked."""
    passed = ('<QueryParameters><QueryParameter Name="@Schools"><Value>=Parameters!Schools.Value</Value></QueryParameter>'
              "</QueryParameters>")
    parameters = ('<ReportParameters><ReportParameter Name="Schools"><DataType>Integer</DataType>{}</ReportParameter>'
                  "</ReportParameters>\n")

    def found(*queries: str, multi: str = "<MultiValue>true</MultiValue>", given: int = 1) -> list:
        """The PR016 findings of a report with a data set for each query, the first `given` of
        them given the report parameter Schools as @Schools."""
        sets = [data_set(f"Set{at}", query).replace("<DataSourceName>", (passed if at < given else "") + "<DataSourceName>")
                for at, query in enumerate(queries)]
        text = report(*sets).replace("</Report>", parameters.format(multi) + "</Report>")
        return [f for f in check(text, "schools.rdl").findings if f.rule == "PR016"]

    students = "SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND "
    (hit,) = found(students + "s.schoolID = @Schools")
    assert hit.severity == "error" and hit.message.startswith(
        "@Schools is given a report parameter that takes several values: SSRS writes the values picked into data set "
        "Set0's query as a list, which only IN (@Schools) takes. s.schoolID = @Schools stops the data set with an error")
    assert hit.remediation.startswith("Write s.schoolID IN (@Schools).")
    (split,) = found(students + "s.schoolID IN (SELECT CAST(x.value AS int) FROM STRING_SPLIT(@Schools, ',') x)")
    assert split.remediation.startswith("Use @Schools only inside IN (@Schools).")
    assert found(students + "s.schoolID IN (@Schools, 0)") == []
    assert found("again:\n" + students + "s.schoolID IN (@Schools)") == []  # a label: a statement with no tree
    assert found(students + "s.schoolID = @Schools", multi="") == []  # one value
    # a data set that is not given the parameter names a variable of its own
    (only,) = found(students + "s.schoolID = @Schools", "DECLARE @Schools int = 5\n" + students + "s.schoolID = @Schools")
    assert "data set Set0's" in only.message


def shown(fields: list[str], used: str, query: str = "SELECT s.studentNumber, s.lastName, s.grade FROM School s") -> str:
    listed = "".join(f'<Field Name="{name}"><DataField>{name}</DataField></Field>' for name in fields)
    data = data_set("Students", query).replace("</Query>", f"</Query><Fields>{listed}</Fields>" if fields else "</Query>")
    return report(data).replace("</Report>", f"<Body><Value>{used}</Value></Body></Report>")


def test_columns_the_report_never_shows(check):
    def unshown(text: str) -> list[str]:
        return [f.message for f in check(text, "students.rdl").findings if f.rule == "CL018"]

    fields = ["studentNumber", "lastName", "grade"]
    (message,) = unshown(shown(fields, "=Fields!studentNumber.Value"))
    assert message.startswith("Data set Students returns lastName and grade, which the report never shows or uses")
    assert unshown(shown(fields, '=Fields!studentNumber.Value &amp; Fields("lastName").Value &amp; Fields!grade.Value')) == []
    assert unshown(shown([], "=1")) == []  # a data set that lists no fields: not known
    assert len(unshown(shown(fields[:2], "=Fields!studentNumber.Value &amp; Fields!lastName.Value"))) == 1  # grade has no field
    prepared = ("SELECT s.personID INTO #these FROM School s\n"
                "SELECT s.studentNumber, s.lastName, s.grade FROM School s JOIN #these t ON t.personID = s.personID")
    (message,) = unshown(shown(fields, "=Fields!studentNumber.Value", prepared))  # the rows it returns: its last SELECT's
    assert "returns lastName and grade" in message
    listed = shown(fields, "=Fields!studentNumber.Value").replace(
        "<Body>", "<ReportParameters><ReportParameter Name=\"Student\"><ValidValues><DataSetReference><DataSetName>Students"
                  "</DataSetName><ValueField>lastName</ValueField><LabelField>grade</LabelField></DataSetReference>"
                  "</ValidValues></ReportParameter></ReportParameters><Body>")
    assert unshown(listed) == []  # a parameter's list of values shows them


def test_rows_the_report_server_filters(check):
    filters = ("<Filters><Filter><FilterExpression>=Fields!schoolID.Value</FilterExpression><Operator>Equal</Operator>"
               "<FilterValues><FilterValue>=Parameters!School.Value</FilterValue></FilterValues></Filter>"
               "<Filter><FilterExpression>=Fields!grade.Value</FilterExpression><Operator>In</Operator><FilterValues>"
               "<FilterValue>09</FilterValue><FilterValue>10</FilterValue></FilterValues></Filter></Filters>")

    def filtered(query: str) -> list:
        text = report(data_set("Students", query)).replace("</Query>\n</DataSet>", f"</Query>\n{filters}</DataSet>")
        return [f for f in check(text, "s.rdl").findings if f.rule == "SC006"]

    (large,) = filtered("SELECT s.studentNumber, s.schoolID, s.grade FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026")
    assert ("filters the rows of data set Students itself (Fields!schoolID.Value = Parameters!School.Value; "
            "Fields!grade.Value IN (09, 10))") in large.message and large.severity == "warning"
    assert (large.span.line, large.span.column) == (7, 95)  # at the query's WHERE condition
    (small,) = filtered("SELECT sch.schoolID, sch.name FROM School sch")
    assert small.severity == "info"
    region = report(data_set("Students", "SELECT sch.schoolID FROM School sch")).replace(
        "</Report>", f"<Body><Tablix>{filters}<DataSetName>Students</DataSetName></Tablix></Body></Report>")
    assert "SC006" not in rules_of(check(region, "s.rdl"))  # a table's filters: one data set shown several ways


def test_a_shared_data_set(check):
    text = ('<SharedDataSet xmlns="http://schemas.microsoft.com/sqlserver/reporting/2010/01/shareddatasetdefinition">\n'
            '<DataSet Name="">\n<Query>\n<DataSourceReference>Campus</DataSourceReference>\n'
            "<CommandText>SELECT a.personID FROM Attendance a</CommandText>\n</Query>\n</DataSet>\n</SharedDataSet>\n")
    found = check(text, "absences.rsd")
    (scope,) = [f for f in found.findings if f.rule == "SC001"]
    assert (scope.span.line, scope.span.column) == (5, 37)  # <CommandText>SELECT a.personID FROM Attendance
    timed = check(text.replace("</Query>", "<Timeout>1</Timeout></Query>"), "absences.rsd").risk.risk
    assert (timed.timeout_seconds, timed.limit) == (1, "query timeout of the shared data set")


def test_sarif_points_at_the_report_s_lines():
    run = sqladvise("check", "--format", "sarif", str(SAMPLE.relative_to(ROOT)))
    results = json.loads(run.stdout)["runs"][0]["results"]
    scope = next(r for r in results if r["ruleId"] == "SC001")
    location = scope["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "sample_queries/reports/chronic_absence.rdl"
    assert location["region"]["startLine"] == 68

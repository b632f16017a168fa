"""Reading SQL Server's own plans: the real ones in ../shared/plans (three public collections, MIT),
safely, in every encoding SSMS and other tools save, with findings where the file names say what
the plan shows."""

import io
import json
import re

import pytest
from conftest import ROOT, sqladvise

from advisor.analysis import analyse
from advisor.catalog.load import load_bundled
from advisor.frontend.parse import read_script
from advisor.pipeline import Checker
from advisor.plans.attach import match
from advisor.plans.findings import plan_findings
from advisor.plans.read import PlanError, read_plan, read_plan_file
from advisor.report import plan_report
from advisor.risk.timing import TimeModel
from advisor.sources import Source

PLANS = ROOT.parent / "shared" / "plans"
FILES = sorted(PLANS.glob("*/*.sqlplan"))

# File names that say what the plan shows, and the finding each must produce.
LABELLED = [
    ("performancestudio/convert_implicit_plan.sqlplan", "PL001"),
    ("performancestudio/implicit_convert_seek_plan.sqlplan", "PL001"),
    ("performancestudio/mismatched_data_type_plan.sqlplan", "PL001"),
    ("showplan-dotnet/multi-convert.sqlplan", "PL001"),
    ("performancestudio/missing-join-predicate.sqlplan", "PL002"),
    ("performancestudio/eager_index_spool_plan.sqlplan", "PL003"),
    ("html-query-plan/inequality_index.sqlplan", "PL003"),
    ("performancestudio/leading_wildcard_like_plan.sqlplan", "PL004"),
    ("performancestudio/non_sargable_function_plan.sqlplan", "PL004"),
    ("performancestudio/key_lookup_plan.sqlplan", "PL005"),
    ("html-query-plan/KeyLookup.sqlplan", "PL005"),
    ("html-query-plan/rid_lookup.sqlplan", "PL005"),
    ("performancestudio/spill_plan.sqlplan", "PL006"),
    ("performancestudio/exchange_spill_plan.sqlplan", "PL006"),
    ("html-query-plan/HashSpillDetails.sqlplan", "PL006"),
    ("html-query-plan/spilltotempdb.sqlplan", "PL006"),
    ("showplan-dotnet/spill-warning.sqlplan", "PL006"),
    ("html-query-plan/index_spool.sqlplan", "PL007"),
    ("performancestudio/eager_index_spool_plan.sqlplan", "PL007"),
    ("performancestudio/tvf_plan.sqlplan", "PL008"),
    ("showplan-dotnet/table-valued-function.sqlplan", "PL008"),
    ("performancestudio/table_variable_plan.sqlplan", "PL008"),
    ("performancestudio/udf_plan.sqlplan", "PL009"),
    ("performancestudio/compile_memory_exceeded_plan.sqlplan", "PL010"),
    ("performancestudio/local_variable_plan.sqlplan", "PL011"),
]


def test_the_shared_plans_are_there():
    assert len(FILES) > 100 and {p.parent.name for p in FILES} == {"html-query-plan", "performancestudio", "showplan-dotnet"}


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(PLANS)) for p in FILES])
def test_every_plan_loads_with_its_statements_and_operators(path):
    plan = read_plan_file(path)
    assert plan.statements
    assert all(op.physical for s in plan.statements for op in s.operators)
    findings = plan_findings(plan)  # no crash on any real plan, in either report
    plan_report.text(plan, findings, io.StringIO())
    assert len(json.loads(plan_report.as_json(plan, findings))["statements"]) == len(plan.statements)


@pytest.mark.parametrize("label, rule", LABELLED, ids=[f"{label}-{rule}" for label, rule in LABELLED])
def test_a_plan_named_for_what_it_shows_produces_that_finding(label, rule):
    plan = read_plan_file(PLANS / label)
    assert rule in {f.rule for f in plan_findings(plan)}


def test_statement_and_operator_facts_are_read():
    (statement,) = read_plan_file(PLANS / "performancestudio" / "convert_implicit_plan.sqlplan").statements
    assert (statement.subtree_cost, statement.estimator_version, statement.optimization_level) == (14.5403, 160, "FULL")
    assert statement.actual and statement.elapsed_ms == 215
    lookup = next(op for op in statement.operators if op.lookup)
    assert lookup.physical == "Clustered Index Seek" and lookup.table == "[dbo].[UsersBad]"
    scan = next(op for op in statement.operators if op.physical == "Index Scan")
    assert (scan.actual_rows, scan.actual_elapsed_ms, scan.actual_cpu_ms) == (1, 215, 215)
    (estimated,) = read_plan_file(PLANS / "showplan-dotnet" / "estimated-execution-plan.sqlplan").statements
    assert not estimated.actual and all(op.actual_rows is None for op in estimated.operators)
    timeout = read_plan_file(PLANS / "html-query-plan" / "adaptive_join.sqlplan").statements[0]
    assert timeout.early_abort == "TimeOut"
    (udf,) = read_plan_file(PLANS / "performancestudio" / "udf_plan.sqlplan").statements
    assert udf.serial_reason == "TSQLUserDefinedFunctionsNotParallelizable"
    missing = read_plan_file(PLANS / "html-query-plan" / "inequality_index.sqlplan").statements[0].missing_indexes[0]
    assert missing.impact > 10 and (missing.equality or missing.inequality)


def test_a_plans_io_share_is_what_its_operators_spend_on_pages():
    (udf,) = read_plan_file(PLANS / "performancestudio" / "udf_plan.sqlplan").statements
    seek = next(op for op in udf.operators if op.table == "[dbo].[Badges]" and op.physical == "Index Seek")
    # 5,688 seeks: the CPU each time; the reads cost far less than a random read each
    assert seek.executions == pytest.approx(5687.95)
    assert seek.own_io_cost == pytest.approx(seek.own_cost - seek.executions * seek.cpu_cost)
    assert seek.own_io_cost < seek.executions * seek.io_cost
    (scan,) = read_plan_file(PLANS / "html-query-plan" / "clustered index scan.sqlplan").statements
    assert scan.io_cost == pytest.approx(scan.operators[0].io_cost)
    # under TOP (1) every operator is scaled down, and its reads keep their share
    (top,) = read_plan_file(PLANS / "performancestudio" / "missing-join-predicate.sqlplan").statements
    table_scan = next(op for op in top.operators if op.physical == "Clustered Index Scan")
    assert table_scan.own_io_cost == pytest.approx(table_scan.own_cost * 759.022 / (759.022 + 26.9884))
    assert top.io_cost == pytest.approx(0.0215444, abs=1e-6)
    assert all(s.io_cost <= s.subtree_cost for f in FILES for s in read_plan_file(f).statements if s.subtree_cost)


def test_several_statements_per_batch_and_several_batches_are_read_in_order():
    plan = read_plan_file(PLANS / "showplan-dotnet" / "multi-batch-with-multi-statements.sqlplan")
    assert len(plan.statements) > 2 and [s.index for s in plan.statements] == list(range(1, len(plan.statements) + 1))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_any_encoding_whatever_the_declaration_says(encoding):
    text = (PLANS / "performancestudio" / "key_lookup_plan.sqlplan").read_text(encoding="utf-8")
    lying = text.replace('encoding="utf-8"', 'encoding="utf-16"', 1)  # as some tools write them
    plan = read_plan(lying.encode(encoding), "plan.sqlplan")
    assert plan.statements[0].subtree_cost is not None


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE ShowPlanXML [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<ShowPlanXML xmlns="http://schemas.microsoft.com/sqlserver/2004/07/showplan">&c;</ShowPlanXML>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE ShowPlanXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ShowPlanXML xmlns="http://schemas.microsoft.com/sqlserver/2004/07/showplan">&secret;</ShowPlanXML>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_entities_are_refused_with_a_clear_error(tmp_path, document):
    path = tmp_path / "evil.sqlplan"
    path.write_text(document)
    with pytest.raises(PlanError, match="declares a DTD or XML entities"):
        read_plan_file(path)
    run = sqladvise("plan", str(path))
    assert run.code == 3 and len(run.stderr.strip().splitlines()) == 1 and "root:" not in run.stdout + run.stderr


@pytest.mark.parametrize(
    "content, said",
    [(b"not xml at all", "not a readable XML document"), (b"<html><body/></html>", "not a SQL Server plan"),
     (b"\x81\x82\xff", "neither UTF-16 nor UTF-8")],
)
def test_a_file_that_is_not_a_plan_is_one_line_exit_3(tmp_path, content, said):
    path = tmp_path / "q.sqlplan"
    path.write_bytes(content)
    run = sqladvise("plan", str(path))
    assert run.code == 3 and said in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_an_empty_path_names_no_plan_rather_than_the_folder_the_run_is_in(tmp_path):
    run = sqladvise("plan", "", cwd=tmp_path)
    assert run.code == 3 and run.stderr.strip() == "sqladvise: error: '': an empty path names no plan file"


def test_the_plan_command_reports_for_people_and_for_tools():
    path = PLANS / "performancestudio" / "missing-join-predicate.sqlplan"
    people = sqladvise("plan", str(path))
    assert people.code == 1 and "error PL002 plan" in people.stdout and "cost 0.02" in people.stdout
    document = json.loads(sqladvise("plan", "--format", "json", str(path)).stdout)
    (statement,) = document["statements"]
    assert statement["estimator_version"] == 160 and statement["operators"][0]["physical"] == "Top"
    assert {f["rule"] for f in statement["findings"]} >= {"PL002"}
    clean = sqladvise("plan", str(PLANS / "showplan-dotnet" / "simple.sqlplan"))
    assert clean.code == 0



@pytest.mark.parametrize("odd", ["NaN", "INF", "-1", "1E+308"])
def test_a_number_no_plan_holds_is_read_as_absent(tmp_path, odd):
    """A plan edited by hand or cut short: a cost, row count or node id that is negative, NaN,
    infinite or past a googol is not taken (real plans reach 1e44 rows)."""
    text = (PLANS / "html-query-plan" / "KeyLookup.sqlplan").read_text(encoding="utf-8-sig")
    for attribute in ("StatementSubTreeCost", "EstimateRows", "EstimatedTotalSubtreeCost", "NodeId"):
        text = re.sub(f'{attribute}="[^"]*"', f'{attribute}="{odd}"', text)
    plan = read_plan(text, "edited.sqlplan")
    assert plan.statements[0].subtree_cost is None and plan.statements[0].operators[0].estimated_rows == 0.0
    (tmp_path / "edited.sqlplan").write_text(text, encoding="utf-8")
    (tmp_path / "q.sql").write_text(plan.statements[0].text + "\n")
    assert sqladvise("plan", "edited.sqlplan", cwd=tmp_path).code in (0, 1)
    run = sqladvise("check", "--format", "json", "--plan", "edited.sqlplan", "q.sql", cwd=tmp_path)
    assert run.code in (0, 1) and run.stderr == "" and run.json()["files"][0]["risk"] is not None


def test_check_with_a_plan_uses_its_costs_and_puts_its_findings_on_the_statement(tmp_path):
    query = tmp_path / "posts.sql"
    query.write_text("-- Author: Dana Whitfield\nDECLARE @user int = 22656\n"
                     "SELECT TOP (1) c.Id FROM dbo.Posts AS p\nJOIN dbo.Comments AS c ON p.OwnerUserId = c.UserId\n"
                     "WHERE p.OwnerUserId = 22656\n")
    plan = PLANS / "performancestudio" / "missing-join-predicate.sqlplan"
    run = sqladvise("check", "--format", "json", str(query), "--plan", str(plan))
    (file,) = run.json()["files"]
    (statement,) = file["risk"]["statements"]
    assert statement["source"] == "plan" and file["risk"]["source"] == "plan"
    assert statement["estimated_cost"] == pytest.approx(0.0238, abs=1e-4)
    assert statement["estimated_seconds"] == pytest.approx(TimeModel().seconds(0.0237982, 0.0215444), abs=1e-3)
    assert any("of the plan's cost" in driver for driver in statement["drivers"])
    joined = next(f for f in file["findings"] if f["rule"] == "PL002")
    assert (joined["line"], joined["severity"]) == (3, "error") and run.code == 1
    static = sqladvise("check", "--format", "json", str(query)).json()["files"][0]["risk"]
    assert static["source"] == "static" and "PL002" not in str(static)


def test_plan_statements_are_matched_by_their_text_not_only_their_order(tmp_path):
    query = tmp_path / "three.sql"
    query.write_text("select top 1 * from Comments\nselect top 1 * from Users\nselect top 1 * from Posts\n")
    plan = read_plan_file(PLANS / "showplan-dotnet" / "multi-batch-with-multi-statements.sqlplan")
    checker = Checker(load_bundled())
    checker.check(Source(str(query), query.read_bytes()), plan=plan)  # no crash with USE statements in the plan
    queries = analyse(read_script(query.read_text()), checker.catalog, checker.views)
    matched = match(queries, plan)
    assert [matched[q.statement.index].text for q in queries] == [
        "select top 1 * from Comments", "select top 1 * from Users", "select top 1 * from Posts"]


@pytest.mark.parametrize(
    "arguments, said",
    [(["a.sql", "b.sql"], "a plan goes with one SQL file"), (["a.sql"], "not a SQL Server plan")],
)
def test_a_plan_that_cannot_be_used_is_one_line_exit_3(tmp_path, arguments, said):
    for name in ("a.sql", "b.sql"):
        (tmp_path / name).write_text("SELECT 1 AS one\n")
    (tmp_path / "bad.sqlplan").write_text("<html/>")
    run = sqladvise("check", *arguments, "--plan", "bad.sqlplan", cwd=tmp_path)
    assert run.code == 3 and said in run.stderr and len(run.stderr.strip().splitlines()) == 1

"""Views from a district's catalog: expanded through any depth, but never forever."""

import json

from advisor.catalog.load import load
from advisor.pipeline import Checker
from advisor.sources import Source


def catalog_with(tmp_path, views):
    document = {
        "format": "sqladvise-catalog", "version": 1,
        "tables": [{"name": "Attendance", "rows": 9_000_000, "history": True,
                    "columns": [{"name": "personID", "type": "int"}, {"name": "calendarID", "type": "int"}],
                    "scope": {"calendarID": "calendar"}}],
        "views": [{"name": name, "definition": definition} for name, definition in views.items()],
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document))
    catalog, _ = load(path)
    return catalog


def check(catalog, sql):
    return Checker(catalog).check(Source("q.sql", sql.encode()))


def test_views_that_refer_to_each_other_do_not_loop(tmp_path):
    catalog = catalog_with(tmp_path, {
        "v_a": "CREATE VIEW v_a AS SELECT b.personID FROM v_b b",
        "v_b": "CREATE VIEW v_b AS SELECT a.personID FROM v_a a",
    })
    report = check(catalog, "SELECT x.personID FROM v_a x")
    assert report.parsed == 1  # analysed, with the cycle cut where it closes


def test_a_chain_of_views_deeper_than_the_limit_stops_there(tmp_path):
    views = {f"v_{i}": f"CREATE VIEW v_{i} AS SELECT x.personID, x.calendarID FROM v_{i + 1} x" for i in range(30)}
    views["v_30"] = "CREATE VIEW v_30 AS SELECT a.personID, a.calendarID FROM Attendance a"
    report = check(catalog_with(tmp_path, views), "SELECT q.personID FROM v_0 q")
    assert report.parsed == 1
    nested = next(f for f in report.findings if f.rule == "VW002")
    assert nested.severity == "warning" and "17 levels of views before sqladvise stops expanding them" in nested.message
    assert "(v_16: views nest more than 16 deep)" in nested.message
    assert nested.remediation == "Read the base tables the query needs, or the lowest view that has the columns."


def test_a_view_whose_definition_cannot_be_read_is_left_unexpanded(tmp_path):
    catalog = catalog_with(tmp_path, {"v_broken": "CREATE VIEW v_broken AS SELECT FROM WHERE"})
    report = check(catalog, "SELECT b.personID FROM v_broken b")
    assert report.parsed == 1 and not [f for f in report.findings if f.rule.startswith("PA")]


def test_a_districts_own_view_over_a_large_table_is_judged_through_its_definition(tmp_path):
    catalog = catalog_with(tmp_path, {"v_absences": "CREATE VIEW v_absences AS SELECT a.personID, a.calendarID FROM Attendance a"})
    unlimited = check(catalog, "SELECT v.personID FROM v_absences v")
    limited = check(catalog, "SELECT v.personID FROM v_absences v WHERE v.calendarID = 7")
    assert "SC001" in {f.rule for f in unlimited.findings}
    assert "SC001" not in {f.rule for f in limited.findings}


def test_a_view_the_script_creates_is_expanded_where_the_script_reads_it(check):
    sql = """CREATE VIEW dbo.v_ThisYear AS
SELECT ad.personID, ad.date, ad.endYear FROM dbo.v_AttendanceDetail ad
GO
SELECT t.personID FROM dbo.v_ThisYear t
GO
SELECT t.personID FROM dbo.v_ThisYear t WHERE t.endYear = 2026"""
    findings = [(f.rule, f.span.line, f.severity) for f in check(sql).findings if f.rule in ("SC001", "VW002")]
    # The view itself reads every year, when a query reads it: that query must limit it.
    assert ("SC001", 2, "info") in findings
    assert ("SC001", 4, "error") in findings and ("VW002", 4, "info") in findings  # this one does not
    assert not any(rule == "SC001" and line == 6 for rule, line, _ in findings)  # this one does

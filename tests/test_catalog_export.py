"""The catalog export script a DBA runs in SSMS: read-only, catalog views only, and its output is
exactly the catalog file format."""

import json

import jsonschema
import sqlglot
from conftest import ROOT, sqladvise
from sqlglot import exp

from advisor.catalog.load import load

EXAMPLE = ROOT / "schema_fixtures" / "tests" / "export_example.json"  # what the script returns, as SSMS saves it
# SQL Server's catalog views and DMVs the script may read: metadata, never rows of user tables.
CATALOG_VIEWS = {"tables", "schemas", "columns", "types", "indexes", "index_columns", "views", "sql_modules",
                 "dm_db_partition_stats", "foreign_keys", "foreign_key_columns", "objects", "databases"}


def script() -> str:
    run = sqladvise("catalog", "export-script")
    assert run.code == 0
    return run.stdout


def test_the_script_reads_only_catalog_views_and_changes_nothing():
    statements = sqlglot.parse(script(), read="tsql")
    assert [type(s) for s in statements] == [exp.Set, exp.Select]
    named = {cte.alias.lower() for s in statements for cte in s.find_all(exp.CTE)}  # the script's own steps
    read = {(table.db.lower(), table.name.lower()) for s in statements for table in s.find_all(exp.Table)
            if table.db or table.name.lower() not in named}
    assert read and all(schema == "sys" and name in CATALOG_VIEWS for schema, name in read), read
    forbidden = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Command, exp.Into)
    assert not [node for s in statements for node in s.find_all(*forbidden)]


def test_the_script_returns_every_field_the_catalog_format_reads():
    text = script()
    for field in ("format", "version", "description", "approximate", "tables", "views", "schema", "name",
                  "columns", "type", "nullable", "primary_key", "indexes", "include", "unique", "clustered", "rows",
                  "definition", "indexed", "server", "product_version", "edition", "compatibility_level",
                  "collation", "foreign_keys", "references.table", "references.columns", "trusted", "pages",
                  "schemabound", "functions", "kind"):
        assert f"AS [{field}]" in text, field


def test_its_output_loads_without_a_warning_and_validates_against_the_schema():
    document = json.loads(EXAMPLE.read_text())
    schema = json.loads((ROOT / "schema_fixtures" / "catalog.schema.json").read_text())
    jsonschema.validate(document, schema)
    catalog, warnings = load(EXAMPLE)
    assert warnings == [] and not catalog.approximate
    enrollment = catalog.table("Enrollment")
    assert enrollment.rows == 318406 and [i.name for i in enrollment.indexes if i.clustered] == ["IX_Enrollment_calendar"]
    assert catalog.view("v_EnrollmentYear").columns == ("personID", "calendarID", "endYear", "schoolID")
    assert (catalog.server.compatibility_level, catalog.server.collation) == (150, "SQL_Latin1_General_CP1_CI_AS")
    assert enrollment.pages == 2561 and enrollment.column("grade").collation == "SQL_Latin1_General_CP1_CI_AS"
    assert enrollment.column("endYear").collation is None
    assert [(k.references, k.referenced_columns, k.trusted) for k in enrollment.foreign_keys] == [
        ("Calendar", ("calendarID",), True), ("Person", ("personID",), False)]
    assert {name: f.kind for name, f in catalog.functions.items()} == {
        "fn_formatstudentnumber": "scalar", "fn_yearenrollments": "inline"}


def test_a_query_on_the_exported_catalog_expands_its_own_view_with_campus_knowledge_added(tmp_path):
    (tmp_path / "q.sql").write_text("-- Author: Dana Whitfield\nSELECT v.personID FROM v_EnrollmentYear v\n")
    run = sqladvise("check", "--format", "json", "--catalog", str(EXAMPLE), "q.sql", cwd=tmp_path)
    document = run.json()
    (file,) = document["files"]
    assert "Enrollment (in v_EnrollmentYear)" in " ".join(file["risk"]["drivers"])
    # the export's own row count, and the bundled catalog's knowledge that Enrollment keeps every year
    scope = next(f for f in file["findings"] if f["rule"] == "SC001")
    assert "Enrollment (318k rows) for every school year" in scope["message"]
    lacked = document["summary"]["catalog"]["from_bundled"]
    assert "Attendance" in lacked and "Enrollment" not in lacked and "student" in lacked
    assert "objects it lacks come from the bundled approximation" in document["summary"]["catalog"]["note"]

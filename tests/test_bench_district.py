"""The bench's synthetic district on a real PostgreSQL 15 cluster, at a tiny size: built as the
catalog says, consistent the way district data is, and the sample queries measured on it."""

import re
from pathlib import Path

import psycopg
import pytest

from advisor.catalog.load import load_bundled
from bench.risk.cluster import cluster
from bench.risk.district import CURRENT_YEAR, build, shape_for
from bench.risk.measure import measure
from bench.risk.queryset import load

ROOT = Path(__file__).resolve().parent.parent
STUDENTS = 300


@pytest.fixture(scope="module")
def district():
    catalog = load_bundled()
    shape = shape_for(catalog, STUDENTS)
    with cluster() as dsn, psycopg.connect(dsn) as connection:
        failed_views = build(connection, shape, say=lambda _: None)
        yield shape, connection, failed_views


def one(connection, sql: str):
    return connection.execute(sql).fetchone()[0]


def test_every_table_holds_the_catalogs_rows_and_every_view_exists(district):
    shape, connection, failed_views = district
    for name, rows in shape.rows.items():
        assert one(connection, f'SELECT count(*) FROM "dbo"."{name}"') == rows, name
    assert failed_views == {}
    views = one(connection, "SELECT count(*) FROM information_schema.views WHERE table_schema = 'dbo'")
    assert views == len(shape.catalog.views)


def test_history_is_kept_by_school_year_up_to_the_current_one(district):
    shape, connection, _ = district
    years = connection.execute('SELECT endyear, count(*) FROM "dbo"."enrollment" GROUP BY 1 ORDER BY 1').fetchall()
    assert [year for year, _ in years] == list(range(CURRENT_YEAR - shape.years + 1, CURRENT_YEAR + 1))
    assert len({count for _, count in years}) == 1  # the same students' worth every year


def test_the_active_school_year_is_the_current_one(district):
    _, connection, _ = district
    assert one(connection, 'SELECT endyear FROM "dbo"."schoolyear" WHERE active = 1') == CURRENT_YEAR


def test_rows_point_at_rows_of_their_own_year(district):
    _, connection, _ = district
    mismatched = one(connection, 'SELECT count(*) FROM "dbo"."attendance" a JOIN "dbo"."calendar" c ON c.calendarid = a.calendarid '
                                 "WHERE a.date < make_date(c.endyear - 1, 8, 1) OR a.date > make_date(c.endyear, 7, 1)")
    assert mismatched == 0


def test_a_students_attendance_is_in_the_calendar_they_are_enrolled_in(district):
    _, connection, _ = district
    unmatched = one(connection, 'SELECT count(*) FROM "dbo"."attendance" a WHERE NOT EXISTS (SELECT 1 FROM "dbo"."enrollment" e '
                                "WHERE e.personid = a.personid AND e.calendarid = a.calendarid)")
    assert unmatched == 0


def test_absences_are_concentrated_on_a_few_students(district):
    _, connection, _ = district
    top_fifth = one(connection, 'WITH per AS (SELECT personid, count(*) AS n FROM "dbo"."attendance" GROUP BY 1), '
                                "ranked AS (SELECT n, ntile(5) OVER (ORDER BY n DESC) AS fifth FROM per) "
                                "SELECT sum(n) FILTER (WHERE fifth = 1)::float / sum(n) FROM ranked")
    assert top_fifth > 0.4  # spread evenly, a fifth of the students would have a fifth of them


def test_sample_files_run_in_order_with_their_temp_tables_and_are_timed(district):
    _, connection, _ = district
    files = {str(f.path): f for f in load(ROOT / "sample_queries", {"student"})}
    nightly = files["scripts/nightly_attendance_load.sql"]
    timed = {step.index for step in nightly.steps if step.sql and step.keyword in ("INSERT", "SELECT")}
    timings = measure(connection, nightly, timed, repeats=2, timeout=60)
    assert all(timing.problem is None and len(timing.runs) == 2 for timing in timings.values()), timings
    # nothing stays behind: the runs were rolled back
    assert one(connection, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'") == 0


def test_a_statement_postgresql_rejects_is_reported_and_the_rest_still_run(district):
    _, connection, _ = district
    files = {str(f.path): f for f in load(ROOT / "sample_queries", {"student"})}
    audit = files["scripts/grade_change_audit.sql"]
    timed = {step.index for step in audit.steps if step.sql}
    timings = measure(connection, audit, timed, repeats=1, timeout=60)
    update = next(step.index for step in audit.steps if step.keyword == "UPDATE")
    assert timings[update].problem and not timings[update].runs  # T-SQL's UPDATE alias ... FROM
    assert any(timing.runs for index, timing in timings.items() if index != update)


def test_a_setting_tried_on_the_stand_in_reaches_its_server():
    with cluster({"enable_bitmapscan": "off"}) as dsn, psycopg.connect(dsn) as connection:
        assert one(connection, "SHOW enable_bitmapscan") == "off"


def test_a_setting_without_a_value_is_refused_before_anything_starts():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "bench.risk", "--setting", "enable_bitmapscan"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--setting takes NAME=VALUE, not 'enable_bitmapscan'" in done.stderr


def test_the_samples_name_no_school_year_after_the_bench_s():
    """A sample written for a later school year than the bench's data finds no rows there, and its
    measurement says nothing about its estimate: no endYear after the bench's current one, and no
    day from the July that starts the next."""
    later = []
    for folder in ("extracts", "pairs", "scripts"):
        for path in sorted((ROOT / "sample_queries" / folder).glob("*.sql")):
            text = path.read_text(encoding="utf-8", errors="replace")
            years = [int(year) for year in re.findall(r"endYear\s*=\s*(\d{4})", text, re.IGNORECASE)]
            days = ["".join(parts) for parts in re.findall(r"'(\d{4})-?(\d{2})-?(\d{2})", text)]
            if any(year > CURRENT_YEAR for year in years) or any(day >= f"{CURRENT_YEAR}0701" for day in days):
                later.append(path.name)
    assert later == []

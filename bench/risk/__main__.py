"""Prove the timeout estimate on a real database.

    python -m bench.risk                      # the full bench: about an hour on 2 cores
    python -m bench.risk --scales 2000        # one small district: a few minutes
    python -m bench.risk --report-only        # redo the report from the last measurements

For each scale it starts a throwaway PostgreSQL 15 cluster, builds the synthetic district
(bench/risk/district.py), runs the sample queries (bench/risk/queryset.py) and records, per
statement, sqladvise's estimate and the measured time, in bench/results/risk.json; then it fits
the time model and writes bench/results/risk.md and risk.png.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


def main(argv: list[str] | None = None) -> int:
    # Stopped from outside, still stop the cluster and delete its folder (the `finally` in cluster()).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.risk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="2000,10000,25000", help="district sizes in students (default: %(default)s)")
    parser.add_argument("--growth", default="10000+5", help="STUDENTS+YEARS: a district grown by YEARS more years of history, "
                        "to compare with sqladvise's projection (default: %(default)s; 'none' to skip)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per statement; the median counts (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a statement is stopped (default: %(default)s)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from bench/results/risk.json")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results go (default: bench/results)")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL setting for the bench's clusters, to try the stand-in another way "
                        "(enable_bitmapscan=off: no bitmap heap scans, which SQL Server does not have); repeatable")
    args = parser.parse_args(argv)
    settings = dict(_setting(parser, text) for text in args.setting)

    from bench.risk.report import write

    raw = args.out / "risk.json"
    if not args.report_only:
        scales = [(int(s), 0) for s in args.scales.split(",") if s.strip()]
        if args.growth != "none":
            students, years = args.growth.split("+")
            scales.append((int(students), int(years)))
        args.out.mkdir(parents=True, exist_ok=True)
        run(scales, args.repeats, args.timeout, settings,
            save=lambda measured: raw.write_text(json.dumps(measured, indent=1) + "\n"))
    elif not raw.exists():
        print(f"no measurements in {raw}: run the bench first", file=sys.stderr)
        return 2
    write(json.loads(raw.read_text()), args.out)
    print(f"wrote {args.out / 'risk.md'} and {args.out / 'risk.png'}")
    return 0


def _setting(parser: argparse.ArgumentParser, text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip() or not value.strip():
        parser.error(f"--setting takes NAME=VALUE, not {text!r}")
    return name.strip(), value.strip()


def run(scales: list[tuple[int, int]], repeats: int, timeout: float, settings: dict[str, str], save) -> None:
    """Measure every scale in turn, saving what is measured so far after each."""
    import psycopg

    from advisor.catalog.load import load_bundled
    from bench.risk.cluster import cluster
    from bench.risk.district import build, shape_for
    from bench.risk.estimate import estimated_statements
    from bench.risk.measure import measure
    from bench.risk.queryset import load

    catalog = load_bundled()
    stored = {name for name, view in catalog.views.items() if view.indexed}
    files = load(ROOT / "sample_queries", stored)
    points, districts = [], []
    for students, extra_years in scales:
        label = f"{students:,} students" + (f" +{extra_years} years" if extra_years else "")
        shape = shape_for(catalog, students, extra_years)
        print(f"{label}: building the district", flush=True)
        started = time.perf_counter()
        with cluster(settings) as dsn, psycopg.connect(dsn) as connection:
            broken_views = build(connection, shape, say=lambda message: print(message, flush=True))
            built = time.perf_counter() - started
            size = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            districts.append({"scale": label, "students": students, "extra_years": extra_years, "build_seconds": round(built),
                              "bytes": size, "rows": shape.rows, "views_not_created": broken_views, "settings": settings})
            for file in files:
                estimated = estimated_statements(file)
                timed = {step.index for step in file.steps if step.index in estimated and step.sql}
                timings = measure(connection, file, timed, repeats, timeout)
                for step in file.steps:
                    if step.index not in estimated:
                        continue
                    timing = timings.get(step.index)
                    points.append({
                        "file": str(file.path), "index": step.index, "line": step.line, "scale": label,
                        "students": students, "extra_years": extra_years,
                        "measured_seconds": timing.seconds if timing else None,
                        "runs": timing.runs if timing else [],
                        "problem": step.problem if timing is None else timing.problem,
                        "untranslated": timing is None and step.problem is not None,
                        "timed_out": bool(timing and timing.timed_out),
                    })
                print(f"  {file.path}: {len(timed)} timed", flush=True)
        save({"measured_on": date.today().isoformat(), "timeout_seconds": timeout, "repeats": repeats,
              "districts": districts, "points": points})


if __name__ == "__main__":
    sys.exit(main())

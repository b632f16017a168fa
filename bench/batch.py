"""How long `sqladvise batch` takes over a district-sized dump of saved filters.

    python bench/batch.py [--filters 10000] [--repeat 3]

Builds a CSV of --filters rows from the sample queries (full SQL extracts and anti-pattern / fix
pairs as kind sql, plus pass-throughs), then times whole `sqladvise batch --format json` processes
with one process and with every core. Medians of --repeat runs after a warm-up; seconds vary with the machine,
filters per second and the speed-up are the figures to compare. Writes bench/results/batch.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
from pathlib import Path

from speed import (  # bench/speed.py: whole runs in rounds after a warm-up; results out
    measured_on,
    median_ratio,
    publish,
    rounds,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_queries"
RESULTS = ROOT / "bench" / "results" / "batch.md"
SQLADVISE = Path(sys.executable).parent / "sqladvise"
PASS_THROUGHS = [
    ("JOIN Attendance a ON a.personID = student.personID", "AND a.status = 'A'"),
    ("JOIN Enrollment e ON e.personID = student.personID AND e.calendarID = student.calendarID", "AND e.endDate IS NULL"),
    ("", "AND student.grade = '09'"),
]


def dump(path: Path, count: int) -> None:
    queries = [p.read_text(encoding="utf-8") for kind in ("extracts", "pairs") for p in sorted((SAMPLES / kind).glob("*.sql"))]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "owner", "modified", "kind", "sql", "box_a", "box_b"])
        for number in range(count):
            owner = f"Author {number % 40}"
            if number % 4 == 3:
                box_a, box_b = PASS_THROUGHS[number % len(PASS_THROUGHS)]
                writer.writerow([f"filter {number}", owner, "2025-01-01", "passthrough", "", box_a, box_b])
            else:
                writer.writerow([f"filter {number}", owner, "2025-01-01", "sql", queries[number % len(queries)], "", ""])


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--filters", type=int, default=10_000)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "filters.csv"
        dump(table, args.filters)
        size = table.stat().st_size
        counts = sorted({1, cores})
        times = dict(zip(counts, rounds([[str(SQLADVISE), "batch", "--jobs", str(jobs), "--format", "json", str(table)]
                                         for jobs in counts], args.repeat)))
    rows = [f"| {jobs} | {statistics.median(spent):.1f} | {args.filters / statistics.median(spent):.0f} | "
            f"{median_ratio(times[1], spent):.2f} |" for jobs, spent in times.items()]
    lines = [
        "# sqladvise batch speed",
        "",
        (f"{measured_on()}; medians of {args.repeat} runs after a warm-up. {args.filters:,} filters in one CSV ({size / 1e6:.1f} MB): sample extracts and "
         "pairs as full SQL, every fourth a pass-through. Seconds vary with the machine; filters per second "
         "and the speed-up are the figures to compare."),
        "",
        "| processes | seconds | filters per second | speed-up |",
        "|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    publish(RESULTS, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())

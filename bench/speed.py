"""How fast sqladvise is, as whole processes, against references measured in the same run.

    python bench/speed.py [--copies 20] [--repeat 5]

1. Throughput: `sqladvise check` over the sample queries (copied --copies times) against a
   process that only parses the same files with sqlglot (decode, split at GO, sqlglot.parse),
   as installed (compiled by sqlglotc), and against the same process on sqlglot's pure-Python
   build (a copy of the installed package without its compiled modules). The issue's budget:
   the whole analysis costs no more than about twice the parse.
2. Start-up: a one-file `sqladvise check` against `python -c pass` and `python -c "import sqlglot"`.
3. Processes: `sqladvise check` over a few thousand files with --jobs 1 and --jobs 2.

Medians of --repeat runs; the commands compared run in turn, round by round, and each ratio is the
median of the rounds' ratios: the machine and its load change the seconds, not much the ratios.
Writes bench/results/speed.md.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_queries"
RESULTS = ROOT / "bench" / "results" / "speed.md"
SQLADVISE = Path(sys.executable).parent / "sqladvise"
WORKLOADS = [
    ("single-statement extracts", ("extracts", "pairs")),
    ("all working samples (with scripts)", ("extracts", "pairs", "scripts", "encodings")),
]

# argv: the folder, then optionally where to import sqlglot from first
PARSE_ONLY = r"""
import codecs, re, sys
from pathlib import Path
sys.path[:0] = sys.argv[2:]
import sqlglot
GO = re.compile(r"^[ \t]*go(?:[ \t]+\d+)?[ \t]*$", re.I | re.M)
for path in sorted(Path(sys.argv[1]).rglob("*.sql")):
    data = path.read_bytes()
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(encoding)
            break
    else:
        text = data.decode("utf-8", errors="replace")
    for batch in GO.split(text):
        try:
            sqlglot.parse(batch, read="tsql")
        except Exception:
            pass
"""


def rounds(commands: list[list[str]], repeat: int) -> list[list[float]]:
    """Each command's wall times over `repeat` rounds, after one warm-up round. Within a round
    the commands run one after another, so that a machine that slows down or speeds up part-way
    weighs on all of them alike: compare them round by round."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    times: list[list[float]] = [[] for _ in commands]
    for round_ in range(repeat + 1):
        for command, kept in zip(commands, times):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, env=env, check=False)
            if round_:
                kept.append(time.perf_counter() - start)
    return times


def pure_python_sqlglot(folder: Path) -> Path:
    """A copy of the installed sqlglot without the modules sqlglotc compiled, which Python would
    otherwise import before the .py beside them: sqlglot's pure-Python build, the same version."""
    installed = Path(importlib.util.find_spec("sqlglot").origin).parent
    compiled = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    shutil.copytree(installed, folder / "sqlglot", ignore=lambda _, names: [n for n in names if n.endswith(compiled)])
    # The reference is worth nothing if the copy fails to import, or imports a compiled module still
    probe = (f"import sys; sys.path.insert(0, {str(folder)!r}); import sqlglot; sqlglot.parse_one('SELECT 1', read='tsql'); "
             f"sys.exit(any(getattr(m, '__file__', None) and not m.__file__.endswith('.py') "
             f"for name, m in list(sys.modules.items()) if name.startswith('sqlglot')))")
    if subprocess.run([sys.executable, "-c", probe], capture_output=True, check=False).returncode != 0:
        raise SystemExit(f"sqlglot's pure-Python build could not be made from {installed}")
    return folder


def median_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of the ratios of times taken in the same rounds."""
    return statistics.median(n / d for n, d in zip(numerators, denominators))


def measured_on() -> str:
    """Where and when a bench ran: its figures hold for that machine."""
    return (f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def publish(path: Path, lines: list[str]) -> None:
    """A bench's markdown results: written to bench/results/ and shown."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def workload(folder: Path, copies: int, kinds: tuple[str, ...]) -> tuple[int, int]:
    """Copies of the working samples of some kinds (never the deliberately broken ones)."""
    files = [p for kind in kinds for p in (SAMPLES / kind).rglob("*.sql")]
    for copy in range(copies):
        for path in files:
            target = folder / f"copy{copy}" / path.relative_to(SAMPLES)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return len(files) * copies, sum(p.stat().st_size for p in files) * copies


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--copies", type=int, default=20)
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--parallel-copies", type=int, default=60, help="copies for the processes workload")
    args = options.parse_args()
    python = sys.executable
    rows = []
    for label, kinds in WORKLOADS:
        with tempfile.TemporaryDirectory() as temp, tempfile.TemporaryDirectory() as pure:
            folder = Path(temp)
            count, size = workload(folder, args.copies, kinds)
            parse, pure_parse, check = rounds(
                [[python, "-c", PARSE_ONLY, str(folder)],
                 [python, "-c", PARSE_ONLY, str(folder), str(pure_python_sqlglot(Path(pure)))],
                 [str(SQLADVISE), "check", "--jobs", "1", "--format", "json", str(folder)]], args.repeat)
            rows.append(f"| {label}: {count} files, {size / 1e6:.2f} MB | {statistics.median(parse):.2f} | "
                        f"{statistics.median(pure_parse):.2f} | {statistics.median(check):.2f} | "
                        f"{median_ratio(check, parse):.2f} | {median_ratio(check, pure_parse):.2f} |")
    with tempfile.TemporaryDirectory() as temp:
        count, size = workload(Path(temp), args.parallel_copies, WORKLOADS[0][1])
        by_jobs = dict(zip((1, 2), rounds([[str(SQLADVISE), "check", "--jobs", str(jobs), "--format", "json", temp]
                                           for jobs in (1, 2)], args.repeat)))
    processes = [f"| {jobs} | {statistics.median(times):.2f} | {count / statistics.median(times):.0f} | "
                 f"{median_ratio(by_jobs[1], times):.2f} |" for jobs, times in by_jobs.items()]
    one_file = SAMPLES / "extracts" / "clever_students.sql"
    startup, bare, importing = map(statistics.median, rounds(
        [[str(SQLADVISE), "check", str(one_file)], [python, "-c", "pass"], [python, "-c", "import sqlglot.dialects.tsql"]],
        args.repeat * 2))
    lines = [
        "# sqladvise speed",
        "",
        f"{measured_on()}; medians of {args.repeat} runs (start-up: {args.repeat * 2}). Seconds vary with "
        "the machine and its load; the ratios (medians of ratios within a round, the commands compared "
        "run in turn) are the figures to compare.",
        "",
        f"## Throughput ({args.copies} copies of the working samples)",
        "",
        "Reference: a process that decodes each file, splits it at GO and hands each batch to "
        "`sqlglot.parse`. On scripts sqlglot gives up at the first statement it cannot read (a newline-"
        "separated statement, IF ... BEGIN, a cursor), so there the reference does less work than sqladvise. "
        "It runs twice: on sqlglot as installed, compiled by sqlglotc, and on sqlglot's pure-Python build of "
        "the same version.",
        "",
        "| files | parse only, s | pure-Python parse only, s | `sqladvise check --jobs 1 --format json`, s | "
        "ratio | ratio to the pure-Python parse |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"## Processes ({count} files, {size / 1e6:.2f} MB: {args.parallel_copies} copies of the single-statement extracts)",
        "",
        "`sqladvise check --jobs N --format json` over the same files; the speed-up is against one process.",
        "",
        "| processes | seconds | files per second | speed-up |",
        "|---:|---:|---:|---:|",
        *processes,
        "",
        "## Start-up: one file",
        "",
        "| process | seconds |",
        "|---|---:|",
        f"| `python -c pass` | {bare:.3f} |",
        f"| `python -c \"import sqlglot.dialects.tsql\"` | {importing:.3f} |",
        f"| `sqladvise check clever_students.sql` | {startup:.3f} |",
        "",
    ]
    publish(RESULTS, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())

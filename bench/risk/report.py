"""bench/results/risk.md and risk.png from the bench's measurements."""

from __future__ import annotations

import math
import platform
import statistics
from datetime import date
from pathlib import Path

from advisor.risk.timing import TimeModel
from bench.risk.analysis import (
    Point,
    band_check,
    estimate,
    fit,
    growth,
    pair_results,
    residuals,
    spearman,
)

STAND_IN_TIMEOUTS = (1.0, 10.0)  # seconds: small enough that the bench's statements reach them

ABOUT = """\
sqladvise estimates how long a statement takes on SQL Server from the bundled catalog's row
counts. Here the same statements run on a synthetic Campus-like district in **PostgreSQL 15**,
a stand-in: SQL Server is not available on the bench machine. What differs: PostgreSQL has its
own optimizer and statistics (the plans it picks are not the ones sqladvise models), no
clustered indexes (tables are heaps in year order, and an index carries no clustered key for a
seek to test before it fetches a row), no indexed views (NOEXPAND reads a
materialized copy), different per-row costs, and the data is synthetic. What carries over: the
volumes, the scope of each query (a year, a calendar, all history), the joins and the indexes,
which decide most of a query's time on any engine. Measured times are server times (planning
and execution from EXPLAIN ANALYZE, rows not sent to a client) on a warm cache.
"""


def write(raw: dict, out: Path) -> None:
    points = _points(raw)
    fitted = fit([p for p in points if p.extra_years == 0])
    shipped = TimeModel()
    # The estimates are made afresh each time the report is written; the measurements may be older.
    when = f"estimated {date.today().isoformat()}"
    if raw.get("measured_on"):
        when = f"measured {raw['measured_on']}, {when}"
    lines = [f"# Timeout risk: estimated against measured ({when})", "", ABOUT]
    lines += _machine(raw)
    lines += _coverage(points, raw)
    lines += _fit(points, fitted, shipped)
    lines += _correlation(points, fitted, shipped)
    lines += _pairs(points, shipped)
    lines += _growth(points, raw)
    lines += _bands(points, shipped)
    lines += _statements(points, shipped)
    lines += _problems(points)
    (out / "risk.md").write_text("\n".join(lines) + "\n")
    _chart(points, shipped, out / "risk.png")


def _points(raw: dict) -> list[Point]:
    """The measurements beside the current model's estimates. A district grown by k years is
    compared with the estimate sqladvise projects k years ahead."""
    from advisor.catalog.load import load_bundled
    from bench.risk.estimate import checker_for, estimates
    from bench.risk.queryset import load

    stored = {name for name, view in load_bundled().views.items() if view.indexed}
    files = {str(file.path): file for file in load(Path(__file__).resolve().parents[2] / "sample_queries", stored)}
    checkers, cache, points = {}, {}, []
    for measured in raw["points"]:
        students, extra = measured["students"], measured["extra_years"]
        if students not in checkers:
            checkers[students] = checker_for(students)
        checker = checkers[students]
        key = (students, measured["file"])
        if key not in cache:
            cache[key] = estimates(checker, files[measured["file"]])
        found = cache[key].get(measured["index"])
        if found is None:
            continue  # no longer estimated: the query set changed since the measurements
        grown = found.projected_seconds[extra] if extra else found.estimated_seconds
        points.append(Point(measured["file"], measured["index"], measured["line"], measured["scale"], students, extra,
                            found.cost if not extra else None, found.io_cost, found.hidden_seconds, grown, found.projected_seconds,
                            measured["measured_seconds"], measured["problem"], measured["untranslated"], measured["timed_out"]))
    return points


def _machine(raw: dict) -> list[str]:
    lines = ["## The districts", "",
             (f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}; "
             f"{raw['repeats']} runs per statement (median; one run past 30 s), stopped after {raw['timeout_seconds']:g} s. "
             "Times on another machine differ; the ratios and ranks are what carry over."), "",
             "| district | Attendance rows | all rows | database | built in |", "|---|---:|---:|---:|---:|"]
    for district in raw["districts"]:
        rows = district["rows"]
        lines.append(f"| {district['scale']} | {rows['attendance']:,} | {sum(rows.values()):,} | "
                     f"{district['bytes'] / 2**30:.1f} GiB | {district['build_seconds']} s |")
        if district["views_not_created"]:
            lines.append(f"| | views not created: {district['views_not_created']} | | | |")
    tried = {f"{name} = {value}" for district in raw["districts"] for name, value in district.get("settings", {}).items()}
    if tried:
        lines += ["", f"PostgreSQL settings tried on top of the bench's own (`--setting`): {', '.join(sorted(tried))}."]
    return lines + [""]


def _coverage(points: list[Point], raw: dict) -> list[str]:
    first = raw["districts"][0]["scale"]
    here = [p for p in points if p.scale == first]
    measured = [p for p in points if p.measured_seconds]
    fastest, slowest = min(p.measured_seconds for p in measured), max(p.measured_seconds for p in measured)
    untranslated = sum(1 for p in here if p.untranslated)
    failed = sum(1 for p in here if p.problem and not p.untranslated and not p.timed_out)
    return ["## The query set", "",
            (f"{len(here)} statements that sqladvise estimates, from {len({p.file for p in here})} sample files "
            f"(sample_queries/extracts, pairs and scripts), each timed for one run: statements a cursor loop runs "
            f"many times are left out. At {first}: {sum(1 for p in here if p.measured_seconds)} measured, "
            f"{untranslated} not translated to PostgreSQL, {failed} translated but rejected or failed in PostgreSQL, "
            f"{sum(1 for p in here if p.timed_out)} stopped at the time limit (listed at the end). "
            f"Measured times span {fastest * 1000:.2g} ms to {slowest:.3g} s: "
            f"{math.log10(slowest / fastest):.1f} orders of magnitude."), ""]


def _fit(points: list[Point], fitted: TimeModel, shipped: TimeModel) -> list[str]:
    base = [p for p in points if p.extra_years == 0 and p.measured_seconds]
    left = residuals(base, shipped)
    spread, over = statistics.pstdev(left), 10 ** -statistics.mean(left)  # over: estimated / measured, geometric mean
    return ["## The time model", "",
            ("log10(seconds) = a + b * log10(work) (+ per-row allowances), where work is the SQL Server cost with "
            "its I/O part (pages read) counted at the I/O weight: SQL Server prices a read as if from disk, and "
            "these runs read from memory. Fitted by least squares on log10 "
            f"seconds over {len(base)} measurements (statements that finished, in the districts not grown), a grid "
            "of a and b in steps of 0.01 and of the I/O weight in steps of 0.05; sigma is the spread of what is "
            "left. The shipped values are such a fit of an earlier run, rounded: a faster or slower machine "
            "moves a, and the shipped values change when a fit ranks or spreads better, not for the machine's "
            "speed of the day. `python -m bench.risk --report-only` refits from bench/results/risk.json."), "",
            "| | a | b | I/O weight | sigma (decades) |", "|---|---:|---:|---:|---:|",
            f"| fitted here | {fitted.a:.2f} | {fitted.b:.2f} | {fitted.io_weight:.2f} | {fitted.sigma:.2f} |",
            (f"| shipped in advisor/risk/timing.py | {shipped.a:.2f} | {shipped.b:.2f} | {shipped.io_weight:.2f} | "
            f"{shipped.sigma:.2f} (spread here {spread:.2f}; its estimates {over:.1f}x the times measured here, "
            "geometric mean) |"), ""]


def _correlation(points: list[Point], fitted: TimeModel, shipped: TimeModel) -> list[str]:
    lines = ["## Ranks: Spearman correlation of estimated and measured seconds", "",
             "Statements stopped at the time limit count at the limit (the slowest rank). Target: 0.7 or more.", "",
             "| district | statements | shipped model | fitted model |", "|---|---:|---:|---:|"]
    scales = list(dict.fromkeys(p.scale for p in points))
    for scale in [*scales, "all base districts"]:
        chosen = [p for p in points if (p.scale == scale or (scale.startswith("all") and p.extra_years == 0))
                  and (p.measured_seconds or p.timed_out)]
        if len(chosen) < 3:
            continue
        measured = [p.measured_seconds or math.inf for p in chosen]
        lines.append(f"| {scale} | {len(chosen)} | {spearman([estimate(p, shipped) for p in chosen], measured):.2f} | "
                     f"{spearman([estimate(p, fitted) for p in chosen], measured):.2f} |")
    return lines + [""]


def _pairs(points: list[Point], model: TimeModel) -> list[str]:
    results = pair_results(points, model)
    counted = [r for r in results if not r.tie]
    right = sum(1 for r in counted if r.ordered_right)
    lines = ["## Anti-pattern / fix pairs", "",
             (f"A pair counts when its measured times differ by 1.25x or more and by 5 ms or more; then the "
             f"estimate must put the same one first. Ordered right: **{right} of {len(counted)}"
             f"{f' ({right / len(counted):.0%})' if counted else ''}** (target 90%); "
             f"{len(results) - len(counted)} pairs measured as ties."), "",
             "| pair | district | estimated bad / good | measured bad / good | |", "|---|---|---:|---:|---|"]
    for r in results:
        verdict = "tie" if r.tie else ("right" if r.ordered_right else "**wrong**")
        lines.append(f"| {r.name} | {r.scale} | {_s(r.bad_estimated)} / {_s(r.good_estimated)} | "
                     f"{_s(r.bad_measured)} / {_s(r.good_measured)} | {verdict} |")
    return lines + [""]


def _growth(points: list[Point], raw: dict) -> list[str]:
    grown = [d for d in raw["districts"] if d["extra_years"]]
    lines = ["## Growth", ""]
    scales = [d for d in raw["districts"] if not d["extra_years"]]
    if len(scales) > 1:
        first, last = scales[0], scales[-1]
        pairs = [(a, b) for a in points if a.scale == first["scale"] and a.measured_seconds and a.estimated_seconds
                 for b in points if b.scale == last["scale"] and b.file == a.file and b.index == a.index and b.measured_seconds]
        if pairs:
            measured = statistics.median(b.measured_seconds / a.measured_seconds for a, b in pairs)
            estimated = statistics.median(b.estimated_seconds / a.estimated_seconds for a, b in pairs)
            lines += [(f"From {first['scale']} to {last['scale']} ({last['students'] / first['students']:.1f}x the students), "
                      f"the median statement took {measured:.1f}x as long; sqladvise estimated {estimated:.1f}x."), ""]
    for district in grown:
        base = next((d for d in raw["districts"] if d["students"] == district["students"] and not d["extra_years"]), None)
        if base is None:
            continue
        found = growth(points, base["scale"], district["scale"], district["extra_years"])
        if not found:
            continue
        flat = [g for g in found if g.estimated_ratio < 1.1]
        rising = [g for g in found if g.estimated_ratio >= 1.1]
        lines += [(f"The {district['scale']} district holds {district['extra_years']} more years of history, grown as "
                  f"sqladvise projects it; each statement's measured slow-down against its projection for year "
                  f"{district['extra_years']} (Spearman {spearman([g.estimated_ratio for g in found], [g.measured_ratio for g in found]):.2f}):"), "",
                  (f"- {len(flat)} statements projected flat (under 1.1x): measured median {_median_ratio(flat)}, "
                  f"{sum(1 for g in flat if g.measured_ratio < 1.5)} of them under 1.5x."),
                  (f"- {len(rising)} statements projected to slow down: projected median {_median_ratio(rising, 'estimated')}, "
                  f"measured median {_median_ratio(rising)}."), "",
                  "| statement | projected | measured |", "|---|---:|---:|"]
        lines += [f"| {g.file} #{g.index} | {g.estimated_ratio:.2f}x | {g.measured_ratio:.2f}x |" for g in sorted(found, key=lambda g: -g.estimated_ratio)]
        lines.append("")
    return lines


def _median_ratio(found, which: str = "measured") -> str:
    values = [getattr(g, f"{which}_ratio") for g in found]
    return f"{statistics.median(values):.2f}x" if values else "-"


def _bands(points: list[Point], model: TimeModel) -> list[str]:
    lines = ["## Bands against a stand-in timeout", "",
             ("The 10-minute timeout is out of reach of most statements here, so the bands are checked against "
             "shorter limits: the band each statement gets for that limit, and how many then passed it. "
             "Low should almost never pass, high should mostly pass."), "",
             "| limit | band | statements | passed the limit |", "|---|---|---:|---:|"]
    for limit in STAND_IN_TIMEOUTS:
        found = band_check([p for p in points if p.extra_years == 0], model, limit)
        for name in ("low", "watch", "elevated", "high"):
            if name in found:
                total, over = found[name]
                lines.append(f"| {limit:g} s | {name} | {total} | {over} ({over / total:.0%}) |")
    return lines + [""]


def _statements(points: list[Point], model: TimeModel) -> list[str]:
    scales = list(dict.fromkeys(p.scale for p in points))
    lines = ["## Every statement", "", "Estimated / measured seconds per district.", "",
             "| statement | line | " + " | ".join(scales) + " |", "|---|---:|" + "---:|" * len(scales)]
    keyed = {(p.file, p.index, p.scale): p for p in points}
    for file, index, line in dict.fromkeys((p.file, p.index, p.line) for p in points):
        cells = []
        for scale in scales:
            p = keyed.get((file, index, scale))
            if p is None:
                cells.append("")
            elif p.measured_seconds is not None:
                cells.append(f"{_s(estimate(p, model))} / {_s(p.measured_seconds)}")
            else:
                cells.append(f"{_s(estimate(p, model))} / {'stopped' if p.timed_out else '-'}")
        lines.append(f"| {file} #{index} | {line} | " + " | ".join(cells) + " |")
    return lines + [""]


def _problems(points: list[Point]) -> list[str]:
    lines = ["## Not measured", "", "Statements without a measurement, and why (first district where it happened).", "",
             "| statement | why |", "|---|---|"]
    seen = set()
    for p in points:
        if p.problem and (p.file, p.index) not in seen:
            seen.add((p.file, p.index))
            lines.append(f"| {p.file} #{p.index} | {p.problem.replace('|', '/')} |")
    return lines + [""]


def _chart(points: list[Point], model: TimeModel, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 6))
    for scale in dict.fromkeys(p.scale for p in points):
        chosen = [p for p in points if p.scale == scale and p.measured_seconds]
        axes.scatter([estimate(p, model) for p in chosen], [p.measured_seconds for p in chosen], s=14, alpha=0.7, label=scale)
    low, high = 1e-5, 1e3
    axes.plot([low, high], [low, high], color="grey", linewidth=1, label="estimate = measured")
    for sign in (-1, 1):
        shift = 10 ** (sign * model.sigma)
        axes.plot([low, high], [low * shift, high * shift], color="grey", linewidth=0.6, linestyle="--",
                  label="± sigma" if sign > 0 else None)
    axes.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high), xlabel="sqladvise estimate (s)",
             ylabel="measured in PostgreSQL 15 (s)", title="Estimated against measured, per statement")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def _s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.3g} ms"
    return f"{seconds:.3g} s"


def _cores() -> int:
    import os

    return os.cpu_count() or 1

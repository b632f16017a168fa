"""How well estimates match measurements: rank correlation, pairs put in the right order, growth
with scale, and the time model's a, b and sigma fitted to the measurements."""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor.risk.timing import TimeModel, p_over

# A pair whose measured times differ by less than this factor, or by less than this many
# seconds (the noise of a statement that takes milliseconds), is a tie.
PAIR_DIFFERENCE = 1.25
PAIR_NOISE_SECONDS = 0.005
# The fit's search grid: a in decades of seconds per cost unit, b the slope, and the weight of
# a unit of read cost against a unit of the rest.
A_RANGE = (-5.0, 1.0)
B_RANGE = (0.4, 1.6)
GRID_STEP = 0.01
IO_WEIGHTS = [step / 20 for step in range(1, 21)]


@dataclass(frozen=True)
class Point:
    """One statement at one scale: what sqladvise estimated and what PostgreSQL took."""

    file: str
    index: int
    line: int
    scale: str
    students: int
    extra_years: int
    cost: float | None  # SQL Server cost units; None for a grown district (projected, not planned)
    io_cost: float  # the part of the cost that reads pages
    hidden_seconds: float  # the per-row allowances, beyond the cost
    estimated_seconds: float  # with the shipped time model
    projected_seconds: tuple[float, ...]  # the estimate for each year of growth
    measured_seconds: float | None
    problem: str | None
    untranslated: bool  # the problem is that sqlglot could not write it for PostgreSQL
    timed_out: bool


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda at: values[at])
    found = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for at in order[start : end + 1]:
            found[at] = (start + end) / 2 + 1
        start = end + 1
    return found


def spearman(xs: list[float], ys: list[float]) -> float:
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    covariance = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    spread = math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return covariance / spread if spread else 0.0


@dataclass(frozen=True)
class PairResult:
    name: str
    scale: str
    bad_estimated: float
    good_estimated: float
    bad_measured: float
    good_measured: float

    @property
    def tie(self) -> bool:
        ratio = self.bad_measured / max(self.good_measured, 1e-9)
        close = abs(self.bad_measured - self.good_measured) < PAIR_NOISE_SECONDS
        return close or 1 / PAIR_DIFFERENCE < ratio < PAIR_DIFFERENCE

    @property
    def ordered_right(self) -> bool:
        """The estimate puts the slower one first; an estimate that cannot tell them apart is wrong."""
        if self.bad_estimated == self.good_estimated:
            return False
        return (self.bad_estimated > self.good_estimated) == (self.bad_measured > self.good_measured)


def pair_results(points: list[Point], model: TimeModel) -> list[PairResult]:
    """The statements of each bad / good pair side by side; a pair file's last timed statement
    is its query (earlier ones set variables)."""
    by_file: dict[tuple[str, str], Point] = {}
    for point in points:
        if point.measured_seconds is not None and "/pairs/" in f"/{point.file}":
            key = (point.file, point.scale)
            if key not in by_file or point.index > by_file[key].index:
                by_file[key] = point
    found = []
    for (file, scale), bad in sorted(by_file.items()):
        if not file.endswith(".bad.sql"):
            continue
        good = by_file.get((file.replace(".bad.sql", ".good.sql"), scale))
        if good is not None:
            name = file.rsplit("/", 1)[-1].removesuffix(".bad.sql")
            found.append(PairResult(name, scale, estimate(bad, model), estimate(good, model),
                                    bad.measured_seconds, good.measured_seconds))
    return found


def estimate(point: Point, model: TimeModel) -> float:
    if point.cost is None:
        return point.estimated_seconds
    return model.seconds(point.cost, point.io_cost) + point.hidden_seconds


def fit(points: list[Point]) -> TimeModel:
    """a, b and the read cost's weight by least squares on log10(seconds) over a grid, sigma the
    spread left over."""
    import numpy as np

    usable = [p for p in points if p.measured_seconds]
    cost = np.array([p.cost for p in usable])
    io_cost = np.array([p.io_cost for p in usable])
    hidden = np.array([p.hidden_seconds for p in usable])
    measured = np.log10(np.array([p.measured_seconds for p in usable]))
    scales = 10 ** np.arange(A_RANGE[0], A_RANGE[1] + GRID_STEP / 2, GRID_STEP)[:, None]  # one row per a
    best = (math.inf, 0.0, 1.0, 1.0)
    for weight in IO_WEIGHTS:
        work = np.maximum(cost - (1 - weight) * io_cost, 1e-4)
        for b in np.arange(B_RANGE[0], B_RANGE[1] + GRID_STEP / 2, GRID_STEP):
            errors = np.sum((np.log10(scales * work**b + hidden) - measured) ** 2, axis=1)
            at = int(np.argmin(errors))
            if errors[at] < best[0]:
                best = (float(errors[at]), float(np.log10(scales[at, 0])), float(b), weight)
    error, a, b, weight = best
    sigma = math.sqrt(error / max(len(usable) - 3, 1))
    return TimeModel(round(a, 2), round(b, 2), round(sigma, 2), weight)


def residuals(points: list[Point], model: TimeModel) -> list[float]:
    return [math.log10(p.measured_seconds) - math.log10(estimate(p, model)) for p in points if p.measured_seconds]


@dataclass(frozen=True)
class Growth:
    file: str
    index: int
    estimated_ratio: float
    measured_ratio: float


def growth(points: list[Point], base: str, grown: str, years: int) -> list[Growth]:
    """For each statement: how much longer sqladvise says it takes after `years` of history
    (its own projection from the base scale), and how much longer it took on the grown data."""
    before = {(p.file, p.index): p for p in points if p.scale == base and p.measured_seconds}
    found = []
    for p in points:
        start = before.get((p.file, p.index))
        if p.scale == grown and p.measured_seconds and start is not None and len(start.projected_seconds) > years:
            estimated = start.projected_seconds[years] / max(start.projected_seconds[0], 1e-9)
            found.append(Growth(p.file, p.index, estimated, p.measured_seconds / start.measured_seconds))
    return found


def band_check(points: list[Point], model: TimeModel, limit: float) -> dict[str, tuple[int, int]]:
    """With a stand-in timeout of `limit` seconds: per band, how many statements there were and
    how many of them passed the limit."""
    from advisor.risk.timing import band

    found: dict[str, tuple[int, int]] = {}
    for p in points:
        if p.measured_seconds is None and not p.timed_out:
            continue
        name = band(p_over(estimate(p, model), model.sigma, limit))
        total, over = found.get(name, (0, 0))
        passed = p.timed_out or p.measured_seconds > limit
        found[name] = (total + 1, over + int(passed))
    return found

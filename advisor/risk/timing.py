"""From cost to time: log10(seconds) = a + b * log10(cost), give or take sigma decades, and the
chance of passing the timeout that follows."""

from __future__ import annotations

import math
from dataclasses import dataclass

# (lowest chance of passing the timeout, band), most serious first
BANDS = ((0.50, "high"), (0.15, "elevated"), (0.02, "watch"), (0.0, "low"))


@dataclass(frozen=True)
class TimeModel:
    """Fitted by `python -m bench.risk` to 255 measured runs of the sample queries (three district
    sizes, PostgreSQL 15 as a stand-in for SQL Server): about 40 ms per unit of work, nearly in
    proportion, uncertain by 0.7 decades either way. bench/results/risk.md shows the fit.

    SQL Server prices a page read as if it came from disk, but a district's server answers most
    reads from memory: `io_weight` is what a unit of I/O cost takes in time, against a unit of
    the rest (rows handled, joined, grouped, sorted)."""

    a: float = -1.42
    b: float = 0.93
    sigma: float = 0.7
    io_weight: float = 0.15

    def seconds(self, cost: float, io_cost: float = 0.0) -> float:
        """The median time for a plan of this cost, `io_cost` of it reading pages."""
        work = cost - (1 - self.io_weight) * io_cost
        return 10 ** (self.a + self.b * math.log10(max(work, 1e-4)))


def p_over(median_seconds: float, sigma: float, limit_seconds: float) -> float:
    """The chance that a time, lognormal around its median, passes the limit."""
    if median_seconds <= 0:
        return 0.0
    z = (math.log10(limit_seconds) - math.log10(median_seconds)) / sigma
    return 0.5 * math.erfc(z / math.sqrt(2))


def band(p_timeout: float) -> str:
    return next(name for floor, name in BANDS if p_timeout >= floor)

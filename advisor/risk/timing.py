"""From cost to time: log10(seconds) = a + b * log10(cost), give or take sigma decades, and the
chance of passing the timeout that follows."""

from __future__ import annotations

import math
from dataclasses import dataclass

# (lowest chance of passing the timeout, band), most serious first
BANDS = ((0.50, "high"), (0.15, "elevated"), (0.02, "watch"), (0.0, "low"))


@dataclass(frozen=True)
class TimeModel:
    """Fitted by `python -m bench.risk` to 252 measured runs of the sample queries (three district
    sizes, PostgreSQL 15 as a stand-in for SQL Server): 10 to 15 ms per cost unit, nearly in
    proportion, uncertain by 0.7 decades either way. bench/results/risk.md shows the fit."""

    a: float = -1.83
    b: float = 0.96
    sigma: float = 0.7

    def seconds(self, cost: float) -> float:
        """The median time for a plan of this cost."""
        return 10 ** (self.a + self.b * math.log10(max(cost, 1e-4)))


def p_over(median_seconds: float, sigma: float, limit_seconds: float) -> float:
    """The chance that a time, lognormal around its median, passes the limit."""
    if median_seconds <= 0:
        return 0.0
    z = (math.log10(limit_seconds) - math.log10(median_seconds)) / sigma
    return 0.5 * math.erfc(z / math.sqrt(2))


def band(p_timeout: float) -> str:
    return next(name for floor, name in BANDS if p_timeout >= floor)

"""Which timeout stops a statement. A filter or script has one: the ad hoc timeout (--timeout).
An SSRS report has two: the report server's execution timeout stops the whole report (--timeout
stands for it: the server's setting is not in the report), and a data set whose query has a
Timeout of its own is stopped by that when it is the shorter."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.frontend.parse import ReportFacts

AD_HOC = "ad hoc timeout"
EXECUTION = "report execution timeout"


@dataclass(frozen=True)
class Limit:
    """A timeout, and what it is."""

    seconds: float
    words: str  # what stops the query, after its length: "10 min ad hoc timeout"


def whole(seconds: float, report: ReportFacts | None) -> Limit:
    """The timeout of the whole file: the ad hoc timeout, or a report's execution timeout."""
    return Limit(seconds, EXECUTION if report is not None else AD_HOC)


def own(report: ReportFacts | None, whole: Limit) -> tuple[Limit | None, ...]:
    """Each data set's own query timeout, where it is shorter than the whole report's; none for a
    script. A shared data set's file names it; its one data set has no name of its own."""
    if report is None:
        return ()
    return tuple(Limit(seconds, f"query timeout of data set {name}" if name else "query timeout of the shared data set")
                 if seconds is not None and seconds < whole.seconds else None
                 for name, seconds in zip(report.names, report.timeouts))

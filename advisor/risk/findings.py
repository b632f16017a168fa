"""Risk as findings: the statements likely to pass the timeout, now or as history grows, and
results too large for the Query Wizard."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.checks.registry import Hit
from advisor.risk import QUERY_WIZARD_ROWS, FileRisk, Risk, limits
from advisor.words import a_or_an, count, duration

RULES = ("RK001", "RK002")
_SEVERITY = {"high": "error", "elevated": "warning"}


def risk_hits(file_risk: FileRisk) -> Iterator[tuple[str, Hit]]:
    for statement in file_risk.statements:
        risk = statement.risk
        soon = risk.crosses_timeout_in_years is not None
        # in a loop that never ends, SH035 says so and how to end it: advice on its cost would mislead
        if (risk.band in _SEVERITY or soon) and not risk.never_ends:
            yield "RK001", Hit(statement.span, describe(risk), _advice(risk), (), _SEVERITY.get(risk.band, "info"))
        if statement.returns_rows and risk.rows > QUERY_WIZARD_ROWS:
            yield "RK002", Hit(
                statement.span,
                f"This query returns about {count(risk.rows)} rows; the Query Wizard cuts its results at "
                f"{count(QUERY_WIZARD_ROWS)} rows, with a warning, and an extract this large is slow to build and to send.",
                "Limit it to the school, year or students the receiving system needs, or split it school by school.",
                (),
                "warning",
            )


def describe(risk: Risk) -> str:
    """Risk in one sentence: the time, the chance of passing the timeout, the year it will."""
    limit = duration(risk.timeout_seconds)
    text = (f"Estimated {duration(risk.estimated_seconds)} on this district's data: {a_or_an(f'{risk.p_timeout:.0%}')} chance "
            f"of passing the {limit} {risk.limit} ({risk.band} risk)")
    if risk.crosses_timeout_in_years == 0:
        text += ", already more likely than not"
    elif risk.crosses_timeout_in_years is not None:
        years = risk.crosses_timeout_in_years
        text += f"; as the district's history grows it is likely to pass it in {years} year{'s' if years != 1 else ''}"
    if risk.drivers:
        text += ". Mostly: " + "; ".join(risk.drivers)
    return text + "."


def _advice(risk: Risk) -> str:
    advice = ("Start with the largest part named above: limit the history it reads to the year or calendar you "
              "need, read base tables rather than views, and join on whole keys. Run it after school hours until then.")
    if risk.limit not in (limits.AD_HOC, limits.EXECUTION):
        advice += (" If the report may take that long, give the data set a longer time-out (Dataset Properties > "
                   "Query: Timeout in seconds, 0 for none).")
    return advice

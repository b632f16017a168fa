"""A finding: one thing a check has to say about one place in a file."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.span import Span

SEVERITIES = ("error", "warning", "info")  # most serious first


@dataclass(frozen=True)
class Finding:
    """One finding: a rule, where it is, what it costs and what to write instead."""

    rule: str
    category: str
    severity: str
    message: str
    remediation: str
    objects: tuple[str, ...]
    span: Span
    # Stable across runs and line moves: what baselines and SARIF key on (fingerprints.py).
    fingerprint: str = ""
    # Why the finding does not count: "inSource" (a suppression comment) or "external" (a baseline).
    suppressed: str | None = None

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.severity)


def less_severe(severity: str) -> str:
    """One level less serious; info stays info."""
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def at_least(severity: str, threshold: str) -> bool:
    """Whether `severity` is as serious as `threshold` or more."""
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)

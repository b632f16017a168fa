"""Which rules run and how severe their findings are, as the district's settings say.

A selector is a rule id (SC001), a rule name (select-star) or a category (scope). When a rule
matches both `select` and `ignore`, the more specific selector wins (a rule over its category);
between equally specific ones, `ignore` wins. A rule that is off by default runs only when
selected by its id or name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from advisor.checks.registry import rule_docs
from advisor.findings import Finding


@dataclass(frozen=True)
class RuleSelection:
    """Which rules run, and at what severity, from the settings and the command line."""

    select: tuple[str, ...] | None = None  # None: every rule that is on by default
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (selector, severity)
    extend: tuple[str, ...] = ()  # selected as well as `select`

    def enabled(self, rule: str) -> bool:
        chosen = max(_specificity(rule, self.select) if self.select is not None else 0, _specificity(rule, self.extend))
        if not rule_docs()[rule].enabled and chosen < 2:
            return False  # a rule that is off by default runs only when named
        return chosen > _specificity(rule, self.ignore)

    def running(self) -> frozenset[str]:
        """The rules whose checks run."""
        return _running(self)

    def apply(self, findings: list[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            if not self.enabled(finding.rule):
                continue
            levels = sorted((_specificity(finding.rule, (selector,)), level) for selector, level in self.severity)
            if levels and levels[-1][0] > -1:
                finding = replace(finding, severity=levels[-1][1])
            kept.append(finding)
        return kept


@lru_cache(maxsize=32)  # every file of a run asks with the same selection
def _running(selection: RuleSelection) -> frozenset[str]:
    return frozenset(rule for rule in rule_docs() if selection.enabled(rule))


def _specificity(rule: str, selectors: tuple[str, ...]) -> int:
    """2 when a selector names the rule, 1 when it names its category, -1 when none matches."""
    doc = rule_docs()[rule]
    best = -1
    for selector in selectors:
        if selector in (doc.id, doc.name):
            best = 2
        elif selector == doc.category:
            best = max(best, 1)
    return best

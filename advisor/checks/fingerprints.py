"""A finding's fingerprint: the same finding gets the same one in the next run, even when lines
above it are added or removed, so that baselines and code-review tools recognise it.

It is a hash of the rule, the objects the finding names and the text of its statement (comments
dropped, spaces collapsed, case folded), plus a count for identical findings in one file.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace

from advisor.findings import Finding
from advisor.frontend.parse import Script

_SPACES = re.compile(r"\s+")


def fingerprint(findings: list[Finding], script: Script | None) -> list[Finding]:
    seen: Counter[str] = Counter()
    stamped = []
    texts = _StatementTexts(script)
    for finding in findings:
        text = texts.at(finding.span.start)
        digest = hashlib.sha256("\0".join([finding.rule, *sorted(finding.objects), text]).encode()).hexdigest()[:16]
        stamped.append(replace(finding, fingerprint=f"{digest}:{seen[digest]}"))
        seen[digest] += 1
    return stamped


class _StatementTexts:
    """Each statement's text as fingerprints read it, worked out once however many findings it has.
    Statements are in file order and do not overlap, so they are found by bisection."""

    def __init__(self, script: Script | None):
        self._script = script
        self._starts = [s.span.start for s in script.statements] if script else []
        self._texts: dict[int, str] = {}

    def at(self, offset: int) -> str:
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return ""
        statement = self._script.statements[index]
        if offset >= max(statement.span.end, statement.span.start + 1):
            return ""
        if index not in self._texts:
            code = self._script.code[statement.span.start : statement.span.end]
            self._texts[index] = _SPACES.sub(" ", code).strip().casefold()
        return self._texts[index]

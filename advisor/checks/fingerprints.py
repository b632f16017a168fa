"""A finding's fingerprint: the same finding gets the same one in the next run, even when lines
above it are added or removed, so that baselines and code-review tools recognise it.

It is a hash of the rule, the objects the finding names and the text of its statement (comments
dropped, spaces collapsed, case folded), plus a count for identical findings in one file.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from advisor.findings import Finding
from advisor.frontend.parse import Script

_SPACES = re.compile(r"\s+")


def fingerprint(findings: list[Finding], script: Script | None) -> list[Finding]:
    seen: Counter[str] = Counter()
    stamped = []
    for finding in findings:
        text = _statement_text(script, finding.span.start) if script is not None else ""
        digest = hashlib.sha256("\0".join([finding.rule, *sorted(finding.objects), text]).encode()).hexdigest()[:16]
        stamped.append(replace(finding, fingerprint=f"{digest}:{seen[digest]}"))
        seen[digest] += 1
    return stamped


def _statement_text(script: Script, offset: int) -> str:
    statement = next((s for s in script.statements if s.span.start <= offset < max(s.span.end, s.span.start + 1)), None)
    if statement is None:
        return ""
    start, end = statement.span.start, statement.span.end
    parts, at = [], start
    for comment in script.comments:
        if comment.end <= start or comment.start >= end:
            continue
        parts.append(script.text[at : max(at, comment.start)])
        at = max(at, comment.end)
    parts.append(script.text[at:end])
    return _SPACES.sub(" ", " ".join(parts)).strip().casefold()

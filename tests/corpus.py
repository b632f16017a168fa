"""The team's sample queries, and what each one is expected to produce.

Every sample file states, in a `-- expect:` header line (`<!-- expect: -->` in a report
definition's XML), exactly which rules it triggers besides OW001 (which follows from whether the
header names an author). The tests hold sqladvise to it.
"""

from __future__ import annotations

import re
from pathlib import Path

from advisor.frontend.decode import NotText, decode
from advisor.sources import CHECKED_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_queries"
BROKEN = SAMPLES / "broken"
_EXPECT = re.compile(r"--\s*expect:([^\r\n]*?)(?:-->)?[ \t\r]*$", re.MULTILINE)


def sample_files() -> list[Path]:
    """Every sample `sqladvise check` reads; filters/ holds the batch review's inputs (test_batch.py)."""
    return sorted(path for path in SAMPLES.rglob("*") if path.suffix.lower() in CHECKED_SUFFIXES
                  and "filters" not in path.relative_to(SAMPLES).parts)


def expected_rules(path: Path) -> set[str]:
    try:
        text = decode(path.read_bytes()).text
    except NotText:
        return {"PA002"}  # a binary sample cannot carry a header
    if not text:
        return {"PA003"}  # nor can an empty one
    match = _EXPECT.search(text)
    if match is None:
        raise AssertionError(f"{path} has no '-- expect:' line")
    return set(match.group(1).split())

"""The README shows what sqladvise says about two samples: what it shows must be what it says."""

import re

import pytest
from conftest import ROOT, sqladvise

README = (ROOT / "README.md").read_text(encoding="utf-8")
# a fenced block that starts with a check of one file; its lines up to the fence are the output shown
EXAMPLES = re.findall(r"^```\n\$ sqladvise check (\S+)\n(.*?)^```", README, re.MULTILINE | re.DOTALL)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_readme_shows_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path, shown", EXAMPLES, ids=[path for path, _ in EXAMPLES])
def test_an_example_in_the_readme_is_what_the_check_prints(path, shown):
    """Each part of the example between its "..." cuts is printed, in that order; the README wraps
    long lines, so spacing and line breaks are not compared."""
    said = _words(sqladvise("check", path).stdout)
    at = 0
    for part in (_words(piece) for piece in shown.split("...")):
        if part:
            found = said.find(part, at)
            assert found >= 0, f"not printed after column {at}: {part}"
            at = found + len(part)

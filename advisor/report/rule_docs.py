"""`sqladvise rules` and `sqladvise explain`: the rule documentation as a table, as JSON, and one
rule's entry rendered for the terminal."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from advisor.checks.registry import RuleDoc


def table(docs: Iterable[RuleDoc], stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    listing = Table(box=None, pad_edge=False)
    for heading in ("id", "category", "severity", "on"):
        listing.add_column(heading, no_wrap=True)
    listing.add_column("name", overflow="fold")
    listing.add_column("what it flags", min_width=24)
    for doc in docs:
        listing.add_row(doc.id, doc.category, doc.severity, "yes" if doc.enabled else "no", doc.name, doc.title)
    Console(file=stream, highlight=False).print(listing)


def as_json(docs: Iterable[RuleDoc]) -> str:
    entries = [{
        "id": doc.id, "name": doc.name, "category": doc.category, "severity": doc.severity, "enabled": doc.enabled,
        "title": doc.title, "why": doc.why.strip(), "fix": doc.fix.strip(), "ignore_when": doc.ignore_when.strip(),
        "examples": [{"bad": e.bad.strip(), "good": e.good.strip()} for e in doc.examples],
    } for doc in docs]
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def explain(doc: RuleDoc, stream: TextIO) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    state = f"{doc.severity} by default" if doc.enabled else f"{doc.severity}, off by default"
    examples = "".join(f"\n\n**Flagged:**\n\n```{e.language}\n{e.bad.strip()}\n```\n\n**Not flagged:**\n\n"
                       f"```{e.language}\n{e.good.strip()}\n```" for e in doc.examples)
    text = (f"# {doc.id} {doc.name}\n\n*{doc.category}, {state}.* {doc.title}.\n\n"
            f"## Why it matters\n\n{doc.why.strip()}\n\n## How to fix it\n\n{doc.fix.strip()}\n\n"
            f"## When it does not matter\n\n{doc.ignore_when.strip()}\n\n## Examples{examples}\n")
    Console(file=stream, highlight=False).print(Markdown(text, code_theme="ansi_dark"))

"""Suppression comments: the author's word that a finding is known and accepted.

    SELECT * FROM School   -- sqladvise: ignore CL001          (this line)
    -- sqladvise: ignore CL001, SC001                          (the line below)
    -- sqladvise: disable scope   ...   -- sqladvise: enable scope    (the lines between)
    -- sqladvise: ignore-file                                  (before the first statement)
    SELECT * FROM School   -- noqa: CL001                      (this line, as other linters write it)

The same directives work inside /* ... */. A directive without rules covers every rule; rules may
be ids, names or categories. Suppressed findings stay in the report, marked, so that SARIF can
say so and the count of suppressions is never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from advisor.checks.registry import CATEGORIES, Hit, rule_docs
from advisor.findings import Finding
from advisor.frontend.batches import Comment
from advisor.frontend.parse import Script

IN_SOURCE = "inSource"

_NAME = r"[A-Za-z0-9_-]+"
_ID = r"[A-Za-z]{2}[0-9]{3}\b"  # a rule id, which no reason after the list reads as
# Rules after commas (a doubled one is forgiven), or rule ids after spaces: `ignore CL001 SC001`
# names both, where the rest of `ignore CL001 the view is small` is the author's reason.
_DIRECTIVE = re.compile(
    rf"sqladvise\s*:\s*(?P<word>[a-z-]*)[ \t]*(?P<rules>{_NAME}(?:[ \t]*,[ \t,]*{_NAME}|[ \t]+{_ID})*)?",
    re.IGNORECASE,
)
_WORDS = ("ignore", "ignore-file", "disable", "enable")
# `-- noqa: CL001, LT01`, as SQLFluff and Ruff take it: the line it is on, for the rules of
# sqladvise it names. The others, and a bare noqa, are another linter's.
_NOQA = re.compile(rf"^\s*noqa\s*:\s*(?P<rules>{_NAME}(?:[ \t]*,[ \t]*{_NAME})*)", re.IGNORECASE)


@dataclass
class Directive:
    """One sqladvise-ignore comment and the lines it covers."""

    word: str
    rules: tuple[str, ...]  # empty: every rule
    first: int  # the lines it covers
    last: int
    hit_at: Hit  # where to point when the directive itself is the problem
    used: bool = False

    def covers(self, finding: Finding) -> bool:
        if not self.first <= finding.span.line <= self.last:
            return False
        doc = rule_docs()[finding.rule]
        return not self.rules or any(rule in (doc.id, doc.name, doc.category) for rule in self.rules)


@dataclass
class Suppressions:
    """A file's suppression comments, and the ones sqladvise cannot follow."""

    directives: list[Directive] = field(default_factory=list)
    problems: list[Hit] = field(default_factory=list)  # directives sqladvise cannot follow: PA004

    def apply(self, findings: list[Finding]) -> list[Finding]:
        marked = []
        for finding in findings:
            covering = [d for d in self.directives if d.covers(finding)]
            for directive in covering:
                directive.used = True
            marked.append(replace(finding, suppressed=IN_SOURCE) if covering else finding)
        return marked

    def unused(self, enabled: Callable[[str], bool]) -> list[Hit]:
        """Directives that suppressed nothing, when every rule they name ran (PA005)."""
        hits = []
        for directive in self.directives:
            rules = [doc.id for doc in rule_docs().values()
                     if not directive.rules or {doc.id, doc.name, doc.category} & set(directive.rules)]
            if not directive.used and all(enabled(rule) for rule in rules):
                named = ", ".join(directive.rules) or "every rule"
                hits.append(replace(directive.hit_at, message=f"This `{directive.word}` ({named}) suppresses nothing: "
                                    "no finding it covers was reported."))
        return hits


def read_suppressions(script: Script) -> Suppressions:
    found = Suppressions()
    first_code = min((s.span.start for s in script.statements), default=len(script.text))
    open_ranges: dict[tuple[str, ...], Directive] = {}
    for comment in script.comments:
        _read_noqa(script, comment, found)
        for match in _DIRECTIVE.finditer(comment.text):
            at = comment.start + 2 + match.start()
            span = script.lines.span(at, comment.start + 2 + match.end())
            word, rules = match["word"].lower(), _split(match["rules"])
            if word not in _WORDS and comment.text[: match.start()].strip():
                continue  # prose that mentions sqladvise, not a directive
            point = Hit(span, "", "Write `sqladvise: ignore RULE`, `disable RULE` ... `enable RULE` or `ignore-file`, "
                        "with rule ids, names or categories that `sqladvise rules` lists.")
            unknown = [rule for rule in rules if rule not in _known()]
            if word not in _WORDS:
                found.problems.append(replace(point, message=f"`sqladvise: {match['word']}` is not a directive sqladvise knows."))
            elif unknown:
                found.problems.append(replace(point, message=f"The suppression names {', '.join(unknown)}, not a rule or category."))
            elif word == "ignore-file":
                if at > first_code:
                    found.problems.append(replace(point, message="`ignore-file` counts only before the first statement; this one is ignored.",
                                                  remediation="Move it to the top of the file."))
                else:
                    found.directives.append(Directive(word, rules, 1, script.lines.line_count, point))
            elif word == "ignore":
                comment_line, comment_column = script.lines.position(comment.start)
                alone = comment_line < span.line or not script.lines.line_text(span.line)[: comment_column - 1].strip()
                found.directives.append(Directive(word, rules, span.line, span.line + alone, point))
            elif word == "disable":
                open_ranges[rules] = Directive(word, rules, span.line, script.lines.line_count, point)
                found.directives.append(open_ranges[rules])
            elif rules in open_ranges:  # enable
                open_ranges.pop(rules).last = span.line
            else:
                found.problems.append(replace(point, message=f"This `enable` ({', '.join(rules) or 'every rule'}) has no "
                                              "`disable` with the same rules before it."))
    return found


def _read_noqa(script: Script, comment: Comment, found: Suppressions) -> None:
    """A noqa comment that names rules of sqladvise (ids or names): it covers the line it ends, and
    a noqa alone on its line, which covers nothing, is told how to cover the next."""
    match = _NOQA.match(comment.text)
    rules = tuple(rule for rule in _split(match["rules"]) if rule in _rules()) if match else ()
    if not rules:
        return
    span = script.lines.span(comment.start + 2 + match.start("rules"), comment.start + 2 + match.end())
    line, column = script.lines.position(comment.start)
    if script.lines.line_text(line)[: column - 1].strip():
        found.directives.append(Directive("noqa", rules, span.line, span.line, Hit(
            span, "", "Remove the rule from the noqa, or name the one reported on this line.")))
        return
    named = ", ".join(rules)
    found.problems.append(Hit(span, "This `noqa` is alone on its line, and a noqa covers only the code on its own "
                              "line: it suppresses nothing.",
                              f"Write it after the code, or write `-- sqladvise: ignore {named}` on the line above."))


def _split(rules: str | None) -> tuple[str, ...]:
    """The rules named, ids in capitals and names and categories in lower case."""
    if not rules:
        return ()
    known = _known()
    return tuple(next((form for form in (rule.upper(), rule.lower()) if form in known), rule)
                 for rule in re.split(r"[\s,]+", rules) if rule)


def _known() -> set[str]:
    return _rules() | set(CATEGORIES)


def _rules() -> set[str]:
    docs = rule_docs().values()
    return {doc.id for doc in docs} | {doc.name for doc in docs}

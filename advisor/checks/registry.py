"""The rules: their documentation (rules/*.toml) and the functions that check them.

A rule's documentation is the one place its id, category, default severity and texts live; the
registry, `sqladvise explain` and the tests all read it. A check function only says where and
what: it returns Hits, which the registry turns into Findings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from advisor.analysis.model import Query
from advisor.analysis.script import declared_types
from advisor.catalog.model import Catalog
from advisor.findings import SEVERITIES
from advisor.frontend.decode import is_xml
from advisor.frontend.parse import Script, Statement
from advisor.resources import data_dir
from advisor.span import Span

CATEGORIES = ("parse", "view", "scope", "join", "columns", "predicate", "shape", "hint", "risk", "plan", "ownership")
_FIELDS = {"id", "name", "category", "severity", "title", "why", "fix", "ignore_when", "examples", "enabled"}


@dataclass(frozen=True)
class Example:
    """A rule's bad query and the good one to write instead."""

    bad: str
    good: str

    @property
    def language(self) -> str:
        """What the examples are written in, for code blocks: SQL, or a report definition's XML."""
        return "xml" if is_xml(self.bad) else "sql"


@dataclass(frozen=True)
class RuleDoc:
    """A rule's entry in rules/: what it finds, why it matters, how to fix it."""

    id: str
    name: str
    category: str
    severity: str
    title: str
    why: str
    fix: str
    ignore_when: str
    examples: tuple[Example, ...]
    enabled: bool = True  # False: runs only when selected by id or name


@dataclass(frozen=True)
class Hit:
    """What a check found: where, what, what to do instead, about which objects."""

    span: Span | None
    message: str
    remediation: str
    objects: tuple[str, ...] = ()
    severity: str | None = None  # None: the rule's default


@dataclass
class FileContext:
    """What a check sees of one file: its statements, their analysis and the catalog."""

    path: str
    script: Script
    queries: list[Query]
    catalog: Catalog
    author: str | None

    def variable_types(self, statement: Statement) -> dict[str, str]:
        """The type of every variable a statement can read, by lower-case name without the @: those
        its batch DECLAREs (declared_types), as a batch's variables end at its GO, and the report
        parameters a report's data sets are given."""
        return self._types_by_batch.get(self.script.batch_of(statement), self.script.report_parameters)

    @cached_property
    def _types_by_batch(self) -> dict[int, dict[str, str]]:
        """variable_types for each batch, by its number: read once for all the file's checks."""
        batches: dict[int, list[Statement]] = {}
        for statement in self.script.statements:
            batches.setdefault(self.script.batch_of(statement), []).append(statement)
        parameters = self.script.report_parameters
        return {batch: {**parameters, **declared_types(statements)} for batch, statements in batches.items()}


StatementCheck = Callable[[Query, Catalog], Iterable[Hit]]
FileCheck = Callable[[FileContext], Iterable[Hit]]

STATEMENT_CHECKS: dict[str, StatementCheck] = {}
FILE_CHECKS: dict[str, FileCheck] = {}


def statement_rule(rule_id: str) -> Callable[[StatementCheck], StatementCheck]:
    def register(check: StatementCheck) -> StatementCheck:
        STATEMENT_CHECKS[rule_id] = check
        return check

    return register


def file_rule(rule_id: str) -> Callable[[FileCheck], FileCheck]:
    def register(check: FileCheck) -> FileCheck:
        FILE_CHECKS[rule_id] = check
        return check

    return register


class RuleDocError(RuntimeError):
    """A rule's documentation file is malformed: a fault in sqladvise itself."""


@lru_cache(maxsize=1)
def rule_docs() -> dict[str, RuleDoc]:
    docs: dict[str, RuleDoc] = {}
    for path in sorted(data_dir("rules").glob("*.toml")):
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
        missing = _FIELDS - raw.keys() - {"examples", "enabled"}
        unknown = raw.keys() - _FIELDS
        if missing or unknown:
            raise RuleDocError(f"{path.name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        if raw["category"] not in CATEGORIES or raw["severity"] not in SEVERITIES:
            raise RuleDocError(f"{path.name}: category {raw['category']!r} or severity {raw['severity']!r} is not one sqladvise knows")
        if not path.stem.startswith(raw["id"]):
            raise RuleDocError(f"{path.name}: the file name must start with the rule id {raw['id']}")
        examples = tuple(Example(e["bad"], e["good"]) for e in raw.get("examples", []))
        docs[raw["id"]] = RuleDoc(**{**{k: v for k, v in raw.items() if k != "examples"}, "examples": examples})
    return docs

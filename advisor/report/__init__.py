"""The report: every file's results and the run's summary, for the formatters to print."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor import __version__
from advisor.catalog.model import Catalog
from advisor.findings import SEVERITIES, at_least
from advisor.pipeline import FileReport

# Exit codes (design.md)
CLEAN, FINDINGS, UNANALYSABLE, USAGE, INTERNAL = 0, 1, 2, 3, 4

APPROXIMATE_NOTE = (
    "The bundled Campus catalog is an approximation of Campus's schema and of a {students:,}-student "
    "district's sizes; a catalog exported from your own district's database gives exact answers."
)


@dataclass
class Report:
    files: list[FileReport]
    catalog: Catalog
    fail_on: str
    internal_errors: dict[str, str] = field(default_factory=dict)  # path -> what went wrong
    version: str = __version__

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for file in self.files:
            for finding in file.findings:
                counts[finding.severity] += 1
        return counts

    @property
    def unanalysable(self) -> list[str]:
        return [file.path for file in self.files if file.unanalysable]

    @property
    def catalog_note(self) -> str:
        if self.catalog.approximate and self.catalog.profile is not None:
            return APPROXIMATE_NOTE.format(students=self.catalog.profile.students)
        return f"Catalog: {self.catalog.description} ({self.catalog.origin})."

    def exit_code(self) -> int:
        if self.internal_errors:
            return INTERNAL
        if self.unanalysable:
            return UNANALYSABLE
        failing = any(at_least(f.severity, self.fail_on) for file in self.files for f in file.findings)
        return FINDINGS if failing else CLEAN

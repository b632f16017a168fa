"""The report: every file's results and the run's summary, for the formatters to print."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor import __version__
from advisor.catalog.model import Catalog
from advisor.findings import SEVERITIES, at_least
from advisor.pipeline import FileReport
from advisor.words import a_or_an, plural

# Exit codes (design.md)
CLEAN, FINDINGS, UNANALYSABLE, USAGE, INTERNAL = 0, 1, 2, 3, 4

_NAMED = 8  # objects named in the catalog note; JSON lists them all
APPROXIMATE_NOTE = (
    "The bundled Campus catalog is an approximation of Campus's schema and of {students}-student "
    "district's sizes; a catalog exported from your own district's database gives exact answers."
)


@dataclass
class Report:
    """The reports of one run, for the formatters."""

    files: list[FileReport]
    catalog: Catalog
    fail_on: str  # the summary's; each file fails by its own settings' value
    internal_errors: dict[str, str] = field(default_factory=dict)  # path -> what went wrong
    baseline: str | None = None  # the baseline the findings were compared with
    excluded: int = 0  # files the settings' exclude left out
    version: str = __version__

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for file in self.files:
            for finding in file.active:
                counts[finding.severity] += 1
        return counts

    @property
    def suppressed(self) -> int:
        return sum(len(file.findings) - len(file.active) for file in self.files)

    @property
    def unanalysable(self) -> list[str]:
        return [file.path for file in self.files if file.unanalysable]

    @property
    def catalog_note(self) -> str:
        return catalog_note(self.catalog)

    def exit_code(self) -> int:
        if self.internal_errors:
            return INTERNAL
        if self.unanalysable:
            return UNANALYSABLE
        failing = any(at_least(f.severity, file.fail_on) for file in self.files for f in file.active)
        return FINDINGS if failing else CLEAN


def catalog_note(catalog: Catalog) -> str:
    """What every report says about the catalog its sizes come from."""
    if catalog.approximate and catalog.profile is not None:
        return APPROXIMATE_NOTE.format(students=a_or_an(f"{catalog.profile.students:,}"))
    note = f"Catalog: {catalog.description} ({catalog.origin})."
    if catalog.from_bundled:
        note += (f" {plural(len(catalog.from_bundled), 'object')} it lacks {_verb(catalog.from_bundled, 'comes', 'come')} from the "
                 f"bundled approximation: {_names(catalog.from_bundled)}.")
    if catalog.sized_from_bundled:
        note += (f" {plural(len(catalog.sized_from_bundled), 'table')} without row counts "
                 f"{_verb(catalog.sized_from_bundled, 'is', 'are')} sized by the bundled approximation: "
                 f"{_names(catalog.sized_from_bundled)}.")
    if catalog.unsized:
        note += (f" {plural(len(catalog.unsized), 'table')} without row counts "
                 f"{_verb(catalog.unsized, 'counts', 'count')} as empty: {_names(catalog.unsized)}.")
    return note


def _verb(names: tuple[str, ...], one: str, many: str) -> str:
    return one if len(names) == 1 else many


def _names(names: tuple[str, ...]) -> str:
    more = f" and {len(names) - _NAMED} more" if len(names) > _NAMED else ""
    return ", ".join(names[:_NAMED]) + more

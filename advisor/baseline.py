"""Baselines: the findings a district has accepted for now, so that a run reports only new ones.

    sqladvise check --write-baseline .sqladvise-baseline.json sql/
    sqladvise check --baseline .sqladvise-baseline.json sql/

A finding is matched on its file (relative to the baseline's folder), its rule and its
fingerprint (fingerprints.py), never on its line, so moving code does not bring it back. The file
is JSON, one entry per finding, sorted, so that a change to it reads well in review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from advisor.atomic_write import write_atomic
from advisor.pipeline import FileReport
from advisor.sources import real_path, relative_path

FORMAT = "sqladvise-baseline"
VERSION = 1
EXTERNAL = "external"


class BaselineError(Exception):
    pass


@dataclass(frozen=True)
class Baseline:
    """The findings a team accepted, by file, rule and fingerprint."""

    folder: Path
    keys: frozenset[tuple[str, str, str]]  # (path, rule, fingerprint)

    def apply(self, files: list[FileReport]) -> None:
        """Marks the findings already in the baseline as suppressed by it. A file that could not be
        analysed keeps its reason: the run fails on it whatever the baseline holds."""
        for file in files:
            if file.unanalysable is not None:
                continue
            where = _relative(file.path, self.folder)
            file.findings = [replace(f, suppressed=EXTERNAL) if not f.suppressed and (where, f.rule, f.fingerprint) in self.keys
                             else f for f in file.findings]


def read(path: Path) -> Baseline:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (--write-baseline makes one)") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BaselineError(f"{path}: not a readable baseline: {getattr(error, 'strerror', None) or error}") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a sqladvise baseline: its JSON nests too deeply") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not a sqladvise baseline (version {VERSION}); write it again with --write-baseline")
    entries = document.get("findings")
    keys = set()
    for at, entry in enumerate(entries if isinstance(entries, list) else [None]):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("path", "rule", "fingerprint")):
            raise BaselineError(f"{path}: findings[{at}] must have a path, a rule and a fingerprint")
        keys.add((entry["path"], entry["rule"], entry["fingerprint"]))
    return Baseline(real_path(path).parent, frozenset(keys))


def write(path: Path, files: list[FileReport]) -> Baseline:
    """Records every finding that counts today, in the files that could be analysed."""
    folder = real_path(path).parent
    entries = sorted(
        ({"path": _relative(file.path, folder), "rule": f.rule, "fingerprint": f.fingerprint,
          "line": f.span.line, "message": f.message} for file in files if file.unanalysable is None
         for f in file.active),
        key=lambda e: (e["path"], e["line"], e["rule"], e["fingerprint"]),
    )
    document = {"format": FORMAT, "version": VERSION,
                "note": "Findings accepted for now; `sqladvise check --baseline` reports only the others. "
                        "The line and message are for people; matching uses path, rule and fingerprint.",
                "findings": entries}
    write_atomic(Path(path), json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return Baseline(folder, frozenset((e["path"], e["rule"], e["fingerprint"]) for e in entries))


def _relative(file: str, folder: Path) -> str:
    if file.startswith("<"):
        return file  # <stdin>
    absolute = real_path(file)
    return relative_path(absolute, folder) or absolute.as_posix()

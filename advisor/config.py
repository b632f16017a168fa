"""Settings a district keeps with its SQL: `.sqladvise.toml`, or a `[tool.sqladvise]` table in
`pyproject.toml`. Each file is checked with the settings nearest to it (its own folder, then the
folders above); `--config FILE` names one file for every input instead. Options on the command
line win over the file.

    # .sqladvise.toml
    select = ["view", "scope", "SC001"]   # rules or categories to run (default: all)
    ignore = ["OW001"]                    # rules or categories not to run
    fail-on = "warning"                   # the least severe finding that fails the run
    timeout = 900                         # seconds: this district's ad hoc timeout
    district-size = 8000                  # students: sizes the bundled catalog
    catalog = "catalog/district.json"     # the district's own catalog export
    exclude = ["legacy/**"]               # files not checked

    [severity]                            # in pyproject.toml: [tool.sqladvise.severity]
    CL001 = "error"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from advisor.catalog.model import MOST_STUDENTS
from advisor.findings import SEVERITIES
from advisor.sources import real_path

FILE_NAME = ".sqladvise.toml"
LONGEST_TIMEOUT = 7 * 24 * 3600  # past it an estimate means nothing: no query is given a week to run


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    """The settings one settings file holds."""

    path: Path | None = None  # where the settings came from; None: no settings file
    select: tuple[str, ...] | None = None  # rule ids, names or categories; None: every rule
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (rule or category, severity)
    fail_on: str | None = None
    timeout: float | None = None
    catalog: Path | None = None
    district_size: int | None = None
    exclude: tuple[str, ...] = ()  # globs, relative to the settings file's folder

    def excludes(self, file: Path) -> bool:
        if not self.exclude or self.path is None:
            return False
        try:
            relative = real_path(file).relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return False  # a file outside the settings' folder
        parts = relative.split("/")
        folders = ["/".join(parts[:n]) for n in range(1, len(parts))]
        return any(fnmatch(relative, glob) or any(fnmatch(folder, glob.rstrip("/")) for folder in folders)
                   for glob in self.exclude)


class Settings:
    """The settings for each file: the nearest settings file, found once per folder."""

    def __init__(self, override: Path | None = None):
        self._override = read(override) if override is not None else None
        self._folders: dict[Path, Config] = {}

    def for_file(self, file: Path | None) -> Config:
        if self._override is not None:
            return self._override
        folder = (file.parent if file is not None else Path.cwd()).resolve()
        return self._nearest(folder)

    def _nearest(self, folder: Path) -> Config:
        if folder not in self._folders:
            own = folder / FILE_NAME
            project = folder / "pyproject.toml"
            if own.is_file():
                found = read(own)
            elif project.is_file() and _tool_table(_toml(project)) is not None:
                found = read(project)
            else:
                found = self._nearest(folder.parent) if folder.parent != folder else Config()
            self._folders[folder] = found
        return self._folders[folder]


def read(path: Path) -> Config:
    """One settings file; a `pyproject.toml` is read for its `[tool.sqladvise]` table."""
    if not path.is_file():
        raise ConfigError(f"{path}: {'not a file' if path.exists() else 'no such settings file'}")
    table = _toml(path)
    if path.name == "pyproject.toml":
        found, prefix = _tool_table(table), "tool.sqladvise."
        table = {} if found is None else found
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.sqladvise: must be a table of settings, not {table!r}")
    else:
        prefix = ""
    values = {"path": path}
    for key, value in table.items():
        if key not in _READERS:
            raise ConfigError(f"{path}: {prefix}{key}: not a setting sqladvise reads (it reads {', '.join(_READERS)})")
        field, reader = _READERS[key]
        try:
            values[field] = reader(value, path)
        except ValueError as error:
            raise ConfigError(f"{path}: {prefix}{key}: {error}") from None
    return Config(**values)


def _tool_table(pyproject: dict):
    """What a pyproject.toml holds under tool.sqladvise, or None."""
    tool = pyproject.get("tool")
    return tool.get("sqladvise") if isinstance(tool, dict) else None


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not readable TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a settings file: its TOML nests too deeply") from None


def _seconds(value, _path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= LONGEST_TIMEOUT:
        raise ValueError(f"must be seconds, from 1 to {LONGEST_TIMEOUT:,} (a week), not {value!r}")
    return float(value)


def _students(value, _path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MOST_STUDENTS:
        raise ValueError(f"must be students, a whole number from 1 to {MOST_STUDENTS:,}, not {value!r}")
    return value


def _severity_name(value, _path: Path) -> str:
    if value not in SEVERITIES:
        raise ValueError(f"must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


def _rules(value, _path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"must be a list of rule ids, rule names or categories, not {value!r}")
    return tuple(_rule(item) for item in value)


def selectors(option: str, text: str) -> tuple[str, ...]:
    """A command line's comma-separated rules or categories."""
    try:
        return _rules([item.strip() for item in text.split(",") if item.strip()], Path())
    except ValueError as error:
        raise ConfigError(f"{option}: {error}") from None


def option_value(option: str, value):
    """A command line's --timeout or --district-size, held to the same limits as the settings',
    or --time-limit (seconds for one filter)."""
    if value is None:
        return None
    key = option.removeprefix("--")
    try:
        return _READERS[key][1](value, Path()) if key in _READERS else _time_limit(value)
    except ValueError as error:
        raise ConfigError(f"{option}: {error}") from None


def _time_limit(value: float) -> float:
    if not 0.1 <= value <= LONGEST_TIMEOUT:
        raise ValueError(f"must be seconds, from 0.1 to {LONGEST_TIMEOUT:,} (a week), not {value!r}")
    return value


def _rule(name: str) -> str:
    from advisor.checks.registry import CATEGORIES, rule_docs

    docs = rule_docs()
    if name.upper() in docs:
        return name.upper()
    if name.lower() in CATEGORIES or any(doc.name == name.lower() for doc in docs.values()):
        return name.lower()
    raise ValueError(f"{name!r} is not a rule or category (`sqladvise rules` lists them)")


def _severities(value, path: Path) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ValueError(f"must be a table of rule = severity, not {value!r}")
    return tuple((_rule(rule), _severity_name(level, path)) for rule, level in value.items())


def _catalog(value, path: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ValueError(f"must be the path of a catalog file, not {value!r}")
    found = (path.parent / value).resolve()
    if not found.is_file():
        raise ValueError(f"no catalog file at {found}")
    return found


def _globs(value, _path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"must be a list of file patterns such as 'legacy/**', not {value!r}")
    return tuple(value)


_READERS = {
    "select": ("select", _rules),
    "ignore": ("ignore", _rules),
    "severity": ("severity", _severities),
    "fail-on": ("fail_on", _severity_name),
    "timeout": ("timeout", _seconds),
    "catalog": ("catalog", _catalog),
    "district-size": ("district_size", _students),
    "exclude": ("exclude", _globs),
}

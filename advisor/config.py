"""Settings a district keeps with its SQL: `.sqladvise.toml`, or a `[tool.sqladvise]` table in
`pyproject.toml`, in the working folder or the nearest folder above it. Options on the command
line win over the file.

    # .sqladvise.toml
    timeout = 900          # seconds: this district's ad hoc timeout
    district_size = 8000   # students: sizes the bundled catalog
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = ".sqladvise.toml"
KEYS = {"timeout": "seconds, more than 0", "district_size": "students, a whole number more than 0"}


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    timeout: float | None = None
    district_size: int | None = None
    path: Path | None = None  # where the settings came from
    unknown: tuple[str, ...] = ()  # keys this version does not read


def discover(start: Path) -> Config:
    for folder in (start, *start.parents):
        own = folder / FILE_NAME
        if own.is_file():
            return _read(own, _toml(own))
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _toml(project).get("tool", {}).get("sqladvise")
            if table is not None:
                return _read(project, table)
    return Config()


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not readable TOML: {error}") from None


def _read(path: Path, table: dict) -> Config:
    timeout = table.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise ConfigError(f"{path}: timeout must be {KEYS['timeout']}, not {timeout!r}")
    size = table.get("district_size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
        raise ConfigError(f"{path}: district_size must be {KEYS['district_size']}, not {size!r}")
    unknown = tuple(sorted(key for key in table if key not in KEYS))
    return Config(float(timeout) if timeout is not None else None, size, path, unknown)

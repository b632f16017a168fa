"""Inputs: files, folders of .sql files and SSRS report definitions, or standard input, read as bytes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STDIN = "-"
# What a folder given to `check` is searched for: SQL, and SSRS report definitions and shared data
# sets, XML that holds the queries of their data sets.
CHECKED_SUFFIXES = (".sql", ".rdl", ".rsd")


@dataclass(frozen=True)
class Source:
    """A file's bytes, as read from disk, stdin or an export."""

    path: str  # as the user will see it
    data: bytes
    owner: str | None = None  # who wrote it, when the input says so (a filter export); else the file's header
    file: Path | None = None  # where it was read, whose settings apply; None for standard input and exports
    campus_lines: frozenset[int] = frozenset()  # a filter as Campus runs it (batch): the lines Campus writes


@dataclass(frozen=True)
class Unreadable:
    """An input that could not be read at all."""

    path: str
    reason: str
    fix: str | None = None  # what to do about it, when it is not "give sqladvise a SQL text file"
    file: Path | None = None  # as Source's
    what: str = "file"  # what the path names: a file, a folder, or a path that names nothing


TOO_LARGE_FIX = (
    "Check it in parts: split the script at its GO lines into files of a few thousand statements, or check it "
    "on a machine with more memory. A check holds all of a file's statements at once, about 200 MB of memory "
    "for each MB of SQL.")


NO_SUCH_PATH_FIX = "Check the path's spelling: a relative path is read from the folder sqladvise runs in."
EMPTY_PATH_FIX = "Name the file or folder to check; a shell variable left empty gives ''."
BROKEN_LINK_FIX = "Point the link at the file, or name the file itself."
NOT_READ_FIX = "Check that you may read the file and that it is still there (a network share or a drive may have gone)."
NO_SQL_FILES_FIX = ("sqladvise checks the files named .sql, .rdl and .rsd in a folder and its subfolders (not hidden "
                    "ones); name other files on the command line, one by one.")


def shown(path: Path | str) -> str:
    """A path as a report names it: text even where the file system's name is not (a name saved in
    another encoding), its odd bytes shown as \ufffd; a report written as UTF-8 could not hold them."""
    return os.fsencode(path).decode("utf-8", "replace")


def relative_path(path: Path, start: Path) -> str | None:
    """`path` from the folder `start`, with / between its parts; None where no relative path leads
    there: on Windows, a file on another drive or network share."""
    try:
        return Path(os.path.relpath(path, start)).as_posix()
    except ValueError:
        return None


def half_character(document: Any) -> str | None:
    """Where a parsed JSON document holds half of a UTF-16 pair (a JSON escape such as \\udcff,
    valid JSON but no character, which no report could hold), and which: `$.tables[3].name holds
    \\udcff`; None when it holds none. Without recursion: a document may nest deeply."""
    stack: list[tuple[str, Any]] = [("$", document)]
    while stack:
        where, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            place = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}"
            for text in (key, value):
                if isinstance(text, str) and not text.isascii():
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError as error:
                        half = text[error.start].encode("unicode_escape").decode("ascii")
                        return f"{shown(place)} holds {half}, half of a UTF-16 pair, which is no character"
            stack.append((place, value))
    return None


def too_large(path: str, size: int) -> Unreadable:
    """A file of `size` bytes that sqladvise ran out of memory on."""
    return Unreadable(path, f"sqladvise ran out of memory on it ({size / 2**20:.1f} MB of SQL)", TOO_LARGE_FIX)


def collect(arguments: list[str]) -> list[Source | Unreadable]:
    """Every input in the order given; a folder's .sql files in sorted order, hidden folders skipped.
    A file named again (in its folder and on its own, or as ./q.sql and q.sql) is read once, where
    first named: its findings would otherwise be counted, and baselined, twice."""
    found: list[Source | Unreadable] = []
    seen: set[Path] = set()
    for argument in arguments:
        if argument == STDIN:
            found.append(Source("<stdin>", sys.stdin.buffer.read()))
            continue
        try:
            found.extend(_named(argument, seen))
        except OSError as error:  # a name longer than the file system takes
            found.append(Unreadable(shown(argument), f"cannot be read: {error.strerror or error}", NO_SUCH_PATH_FIX,
                                    None, "path"))
    return found


def _named(argument: str, seen: set[Path]) -> list[Source | Unreadable]:
    """What one argument names: a folder's files, a file, or nothing."""
    path = Path(argument)
    if not argument:
        return [Unreadable("''", "an empty path names no file or folder", EMPTY_PATH_FIX, None, "path")]
    if path.is_dir():
        files = folder_files(path, CHECKED_SUFFIXES)
        if not files:
            return [Unreadable(shown(argument), "it holds no .sql, .rdl or .rsd files", NO_SQL_FILES_FIX, path, "folder")]
        return [_read(file) for file in files if _first_time(file, seen)]
    if path.exists() or path.is_symlink():
        return [_read(path)] if _first_time(path, seen) else []
    return [Unreadable(shown(argument), "no such file or folder", NO_SUCH_PATH_FIX, path, "path")]


def real_path(path: str | Path) -> Path:
    """The absolute path with its links followed as far as they lead: Path.resolve raises on a
    link to itself, which a check reports as a link to nothing."""
    return Path(os.path.realpath(path))


def _first_time(file: Path, seen: set[Path]) -> bool:
    resolved = real_path(file)
    if resolved in seen:
        return False
    seen.add(resolved)
    return True


def named_files(arguments: list[str]) -> set[Path]:
    """The files the arguments name, and the files a check reads in the folders they name, resolved: the
    files a report must not be written over."""
    found = set()
    for argument in arguments:
        path = Path(argument)
        try:
            found.update(real_path(file) for file in (folder_files(path, CHECKED_SUFFIXES) if path.is_dir() else [path]))
        except OSError:
            continue  # a name longer than the file system takes names no file
    return found


def folder_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files in a folder and its subfolders named with one of `suffixes` (any case), sorted,
    hidden folders skipped; only regular files (or links to them, or to nothing, which are
    reported): a named pipe or a device would never finish being read."""
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(path for name in sorted(names) if name.lower().endswith(suffixes)
                     and ((path := Path(root) / name).is_file() or _broken_link(path)))
    return files


def _broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _read(path: Path) -> Source | Unreadable:
    try:
        return Source(shown(path), path.read_bytes(), file=path)
    except OSError as error:
        if _broken_link(path):
            return Unreadable(shown(path), "a link to a file that is not there, or to itself", BROKEN_LINK_FIX, file=path)
        return Unreadable(shown(path), f"cannot be read: {error.strerror or error}", NOT_READ_FIX, file=path)
    except MemoryError:
        return too_large(str(path), path.stat().st_size)

"""Writing a file so that a reader never sees half of it: a temporary file beside it, then a rename."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def cannot_write(path: Path) -> str | None:
    """Why `path` could not be written, in the words of the error writing it would raise, or None:
    asked before a long run, so that a mistyped path does not waste it."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if path.is_dir():
            return os.strerror(errno.EISDIR)
        if not folder.is_dir():
            return os.strerror(errno.ENOENT if not folder.exists() else errno.ENOTDIR)
    except OSError as error:  # a name longer than the file system takes
        return error.strerror or str(error)
    if not os.access(folder, os.W_OK):
        return os.strerror(errno.EACCES)
    return None


def write_atomic(path: Path, text: str) -> None:
    """Raises OSError, with the original file untouched, when the folder cannot be written."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Reading filters: folders of .sql files, pass-throughs saved with box markers, and CSV or JSON
Lines dumps with one filter per row. A row or file that cannot be read becomes a BadFilter that
says why; the others are still read.

Columns (CSV header, or JSON keys): name, owner, modified, kind (sql, passthrough or wizard),
sql (kind sql), box_a and box_b (kind passthrough), fields and conditions (kind wizard: one per
line in a CSV cell, a list or one per line in JSON). Other columns are ignored; a CSV header's
names are read in any case. A dump with no filters in it is a BadFilter too: never a silent pass.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from advisor.filters import KINDS, BadFilter, Filter
from advisor.filters.passthrough import Boxes, split_boxes
from advisor.filters.wizard import Wizard
from advisor.frontend.decode import NotText, decode
from advisor.sources import folder_files, half_character, shown, too_large

_TABLES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_TEXT_KEYS = ("name", "owner", "modified", "kind", "sql", "box_a", "box_b")  # fields and conditions may be lists


def read_inputs(arguments: list[str]) -> list[Filter | BadFilter]:
    found: list[Filter | BadFilter] = []
    for argument in arguments:
        try:
            found.extend(_named(argument))
        except OSError as error:  # a name longer than the file system takes
            found.append(BadFilter(shown(argument), None, f"cannot be read: {error.strerror or error}"))
    return found


def _named(argument: str) -> list[Filter | BadFilter]:
    """The filters one argument names: a folder's .sql files, a CSV or JSON Lines dump, or a file."""
    path = Path(argument)
    if not argument:
        return [BadFilter("''", None, "an empty path names no file or folder")]
    if path.is_dir():
        files = folder_files(path, (".sql",))
        return [_sql_file(file) for file in files] or [BadFilter(shown(argument), None, "no .sql files in this folder")]
    if not path.exists():
        return [BadFilter(shown(argument), None, "no such file or folder")]
    if _TABLES.get(path.suffix.lower()) == "csv":
        return _csv(path)
    if _TABLES.get(path.suffix.lower()) == "jsonl":
        return _jsonl(path)
    return [_sql_file(path)]


def _sql_file(path: Path) -> Filter | BadFilter:
    where, name = shown(path), shown(path.name)
    try:
        text = decode(path.read_bytes()).text
        boxes = split_boxes(text)
    except OSError as error:
        return BadFilter(where, name, f"cannot be read: {error.strerror or error}")
    except NotText as error:
        return BadFilter(where, name, str(error))
    except MemoryError:
        return BadFilter(where, name, _too_large(path))
    if boxes is not None:
        return Filter(name, "passthrough", where, boxes=boxes)
    return Filter(name, "sql", where, sql=text)


def _too_large(path: Path) -> str:
    return too_large(str(path), path.stat().st_size).reason


def _csv(path: Path) -> list[Filter | BadFilter]:
    where = shown(path)
    try:
        text = decode(path.read_bytes()).text
    except (OSError, NotText) as error:
        return [BadFilter(where, None, f"cannot be read: {getattr(error, 'strerror', None) or error}")]
    except MemoryError:
        return [BadFilter(where, None, _too_large(path))]
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    found: list[Filter | BadFilter] = []
    try:
        if reader.fieldnames is None:  # reads the header line
            return [BadFilter(where, None, "an empty file: no header line")]
    except csv.Error as error:
        return [BadFilter(f"{where}:1", None, f"broken CSV header ({error})")]
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    missing = [column for column in ("name", "kind") if column not in reader.fieldnames]
    if missing:
        return [BadFilter(f"{where}:1", None, f"its header has no {' or '.join(missing)} column "
                                             f"(it has: {', '.join(reader.fieldnames)})")]
    while True:
        first_line = reader.line_num + 1  # a row's origin is the line it starts on
        try:
            row = next(reader)
        except StopIteration:
            return found or [BadFilter(where, None, "no filters in it: a header line and nothing more")]
        except csv.Error as error:
            found.append(BadFilter(f"{where}:{first_line}", None,
                                   f"broken CSV quoting ({error}); the rows after it cannot be read"))
            return found
        found.append(_row({k: v for k, v in row.items() if k is not None}, f"{where}:{first_line}"))


def _jsonl(path: Path) -> list[Filter | BadFilter]:
    where = shown(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return [BadFilter(where, None, f"cannot be read: {error.strerror or error}")]
    except MemoryError:
        return [BadFilter(where, None, _too_large(path))]
    found: list[Filter | BadFilter] = []
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").splitlines(), start=1):
        origin = f"{where}:{number}"
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            found.append(BadFilter(origin, None, "not UTF-8 text, as JSON Lines must be"))
            continue
        except ValueError as error:
            found.append(BadFilter(origin, None, f"not a JSON object: {error}"))
            continue
        except RecursionError:
            found.append(BadFilter(origin, None, "not a filter: its JSON nests too deeply"))
            continue
        if not isinstance(row, dict):
            found.append(BadFilter(origin, None, "not a JSON object"))
            continue
        if half := half_character(row):
            found.append(BadFilter(origin, None, half))
            continue
        found.append(_row(row, origin))
    return found or [BadFilter(where, None, "no filters in it: the file is empty")]


def _row(row: dict, origin: str) -> Filter | BadFilter:
    def text(key: str) -> str:
        value = row.get(key)
        return "" if value is None else str(value)

    nested = [key for key in _TEXT_KEYS if isinstance(row.get(key), (dict, list))]
    name = None if "name" in nested else text("name").strip() or None
    kind = text("kind").strip().lower()
    owner = text("owner").strip() or None

    def bad(reason: str) -> BadFilter:
        return BadFilter(origin, name, reason, owner)

    if nested:
        return bad(f"{' and '.join(nested)} should be text, not a JSON list or object")
    if name is None:
        return bad("no name")
    if kind not in KINDS:
        return bad(f"unknown kind {text('kind')!r}: sql, passthrough or wizard")
    common = {"name": name, "kind": kind, "origin": origin, "owner": owner, "modified": text("modified").strip() or None}
    if kind == "sql":
        if not text("sql").strip():
            return bad("empty SQL")
        return Filter(**common, sql=text("sql"))
    if kind == "passthrough":
        if not (text("box_a").strip() or text("box_b").strip()):
            return bad("both boxes are empty")
        return Filter(**common, boxes=Boxes(text("box_a"), text("box_b")))
    fields, conditions = _lines(row.get("fields")), _lines(row.get("conditions"))
    if not fields:
        return bad("a wizard filter with no fields")
    return Filter(**common, wizard=Wizard(fields, conditions))


def _lines(value) -> tuple[str, ...]:
    """A wizard's fields or conditions: a JSON list, or text with one per line."""
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return tuple(str(item).strip() for item in items if str(item).strip())

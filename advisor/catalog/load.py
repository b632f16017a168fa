"""Reading a catalog file (the format is documented in docs/catalog-format.md and
schema_fixtures/catalog.schema.json), with one clear error for anything wrong in it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from advisor.catalog.model import (
    FUNCTION_KINDS,
    MOST_STUDENTS,
    SCOPE_KINDS,
    VIEW_ADVICE,
    VOLUME_BASES,
    Catalog,
    Column,
    ForeignKey,
    Function,
    Index,
    Profile,
    Server,
    Table,
    View,
    Volume,
)
from advisor.resources import data_dir
from advisor.sources import half_character

FORMAT = "sqladvise-catalog"
VERSION = 1

_TOP = {
    "format", "version", "description", "approximate", "server", "profile", "scope_join_keys", "wizard_fields",
    "tables", "views", "functions",
}
_SERVER = {"product_version", "edition", "compatibility_level", "collation"}
_TABLE = {
    "schema", "name", "columns", "primary_key", "indexes", "foreign_keys", "rows", "pages", "volume",
    "growth_per_year", "history", "scope", "join_keys", "grains", "shares", "one_row", "year_names",
}
_VIEW = {"schema", "name", "definition", "columns", "indexed", "schemabound", "indexes", "rows", "advice"}
_FUNCTION = {"schema", "name", "kind", "definition"}
_COLUMN = {"name", "type", "nullable", "collation"}
_INDEX = {"name", "columns", "include", "unique", "clustered"}
_FOREIGN_KEY = {"name", "columns", "references", "trusted"}
_REFERENCE = {"schema", "table", "columns"}
# The most each number of the profile can be: past these no district goes, and an estimate's
# arithmetic would overflow; rows, pages and growth go to a trillion.
_PROFILE = {"students": MOST_STUDENTS, "history_years": 100, "students_per_school": MOST_STUDENTS, "new_people_per_year": 10}
MOST_ROWS = 10**12


class CatalogError(ValueError):
    """A catalog file that cannot be used; the message names the file, the place and the fault."""


def bundled_path() -> Path:
    return data_dir("schema_fixtures") / "campus.json"


@lru_cache(maxsize=1)
def load_bundled() -> Catalog:
    catalog, _ = load(bundled_path(), origin="bundled")
    return catalog


def load(path: Path, origin: str | None = None) -> tuple[Catalog, list[str]]:
    """The catalog in `path`, and warnings about fields it does not know."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"{path}: cannot read the catalog: {error.strerror or error}") from None
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: the catalog is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise CatalogError(f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise CatalogError(f"{path}: its JSON nests too deeply to be a catalog") from None
    return from_document(document, str(path), origin)


def from_document(document: Any, file: str, origin: str | None = None) -> tuple[Catalog, list[str]]:
    """The catalog a parsed JSON document holds; `file` names it in errors."""
    reader = _Reader(file)
    if (half := half_character(document)) is not None:
        raise CatalogError(f"{file}: {half}")
    return reader.catalog(document, origin or file), reader.warnings


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.warnings: list[str] = []

    def fail(self, where: str, message: str) -> CatalogError:
        return CatalogError(f"{self.file}: {where}: {message}")

    def object(self, value: Any, where: str, known: set[str], required: tuple[str, ...] = ()) -> dict:
        value = self.mapping(value, where)
        for key in required:
            if key not in value:
                raise self.fail(where, f"'{key}' is required")
        for key in sorted(value.keys() - known):
            self.warnings.append(f"{self.file}: {where}.{key}: unknown field, ignored")
        return value

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def list(self, value: Any, where: str) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {_kind(value)}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"expected a non-empty string, found {_kind(value)}")
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        return tuple(self.string(item, f"{where}[{at}]") for at, item in enumerate(self.list(value, where)))

    def some_strings(self, value: Any, where: str) -> tuple[str, ...]:
        """An index's or a foreign key's columns: at least one."""
        found = self.strings(value, where)
        if not found:
            raise self.fail(where, "expected at least one column, found none")
        return found

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"expected true or false, found {_kind(value)}")
        return value

    def number(self, value: Any, where: str, integer: bool = False, most: float = MOST_ROWS) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            raise self.fail(where, f"expected {'a whole number' if integer else 'a number'}, found {_kind(value)}")
        if not 0 <= value <= most:  # NaN too; a huge number is not written out
            raise self.fail(where, f"expected a number from 0 to {most:,}, found {'a larger one' if value > most else value}")
        return value

    def optional_string(self, fields: dict, key: str, where: str) -> str | None:
        return self.string(fields[key], f"{where}.{key}") if fields.get(key) is not None else None

    def flag(self, fields: dict, key: str, where: str) -> bool | None:
        """false when absent; null when the catalog's source could not say."""
        if key in fields and fields[key] is None:
            return None
        return self.boolean(fields.get(key, False), f"{where}.{key}")

    def choice(self, value: Any, where: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(where, f"expected one of {', '.join(choices)}, found {json.dumps(value)}")
        return value

    # -- the document -------------------------------------------------------------------------
    def catalog(self, document: Any, origin: str) -> Catalog:
        top = self.object(document, "$", _TOP, required=("format", "version"))
        if top["format"] != FORMAT:
            raise self.fail("$.format", f"expected \"{FORMAT}\", found {json.dumps(top['format'])}")
        if top["version"] != VERSION:
            raise self.fail("$.version", f"this sqladvise reads version {VERSION}, found {json.dumps(top['version'])}")
        profile = self.profile(top["profile"]) if "profile" in top else None
        catalog = Catalog(
            description=self.string(top.get("description", "catalog"), "$.description"),
            approximate=self.boolean(top.get("approximate", False), "$.approximate"),
            origin=origin,
            scope_join_keys=frozenset(k.lower() for k in self.strings(top.get("scope_join_keys", []), "$.scope_join_keys")),
            profile=profile,
            server=self.server(top["server"]) if "server" in top else None,
            wizard_fields={prefix.lower(): self.string(view, f"$.wizard_fields.{prefix}")
                           for prefix, view in self.mapping(top.get("wizard_fields", {}), "$.wizard_fields").items()},
        )
        for at, raw in enumerate(self.list(top.get("tables", []), "$.tables")):
            table = self.table(raw, f"$.tables[{at}]", profile)
            catalog.tables[table.name.lower()] = table
        for at, raw in enumerate(self.list(top.get("views", []), "$.views")):
            view = self.view(raw, f"$.views[{at}]")
            catalog.views[view.name.lower()] = view
        for at, raw in enumerate(self.list(top.get("functions", []), "$.functions")):
            function = self.function(raw, f"$.functions[{at}]")
            catalog.functions[function.name.lower()] = function
        return catalog

    def server(self, raw: Any) -> Server:
        fields = self.object(raw, "$.server", _SERVER)
        level = fields.get("compatibility_level")
        return Server(
            product_version=self.optional_string(fields, "product_version", "$.server"),
            edition=self.optional_string(fields, "edition", "$.server"),
            compatibility_level=int(self.number(level, "$.server.compatibility_level", integer=True)) if level is not None else None,
            collation=self.optional_string(fields, "collation", "$.server"),
        )

    def profile(self, raw: Any) -> Profile:
        fields = self.object(raw, "$.profile", set(_PROFILE))
        values = {key: self.number(fields[key], f"$.profile.{key}", integer=key != "new_people_per_year", most=_PROFILE[key])
                  for key in fields.keys() & _PROFILE.keys()}
        if values.get("students_per_school") == 0 or values.get("students") == 0:
            raise self.fail("$.profile", "students and students_per_school must be above zero")
        return Profile(**values)

    def table(self, raw: Any, where: str, profile: Profile | None) -> Table:
        fields = self.object(raw, where, _TABLE, required=("name",))
        columns = tuple(self.column(item, f"{where}.columns[{at}]") for at, item in enumerate(self.list(fields.get("columns", []), f"{where}.columns")))
        volume = self.volume(fields["volume"], f"{where}.volume") if "volume" in fields else None
        rows_known = True
        if fields.get("rows") is not None:
            rows = int(self.number(fields["rows"], f"{where}.rows", integer=True))
        elif volume is not None:
            if profile is None:
                raise self.fail(f"{where}.volume", "a volume needs the catalog's profile")
            rows = profile.rows(volume)
        elif "rows" in fields:
            rows, rows_known = 0, False  # null: the source could not count them
        else:
            raise self.fail(where, "give 'rows' (null when unknown) or 'volume'")
        growth = fields.get("growth_per_year")
        if growth is not None:
            growth = int(self.number(growth, f"{where}.growth_per_year", integer=True))
        elif volume is not None and profile is not None:
            growth = profile.growth_per_year(volume)
        scope = self.mapping(fields.get("scope", {}), f"{where}.scope")
        return Table(
            name=self.string(fields["name"], f"{where}.name"),
            schema=self.string(fields.get("schema", "dbo"), f"{where}.schema"),
            columns=columns,
            primary_key=self.strings(fields.get("primary_key", []), f"{where}.primary_key"),
            indexes=self.indexes(fields, where),
            foreign_keys=tuple(self.foreign_key(item, f"{where}.foreign_keys[{at}]")
                               for at, item in enumerate(self.list(fields.get("foreign_keys", []), f"{where}.foreign_keys"))),
            rows=rows,
            rows_known=rows_known,
            pages=int(self.number(fields["pages"], f"{where}.pages", integer=True)) if "pages" in fields else None,
            growth_per_year=growth or 0,
            growth_known=growth is not None,
            volume=volume,
            history=self.boolean(fields.get("history", False), f"{where}.history"),
            scope={column.lower(): self.choice(kind, f"{where}.scope.{column}", SCOPE_KINDS) for column, kind in scope.items()},
            join_keys=frozenset(key.lower() for key in self.strings(fields.get("join_keys", []), f"{where}.join_keys")),
            grains=tuple(self.strings(grain, f"{where}.grains[{at}]") for at, grain in enumerate(self.list(fields.get("grains", []), f"{where}.grains"))),
            shares=self.shares(fields.get("shares", {}), f"{where}.shares"),
            one_row={column.lower(): self.string(value, f"{where}.one_row.{column}").lower()
                     for column, value in self.mapping(fields.get("one_row", {}), f"{where}.one_row").items()},
            year_names=frozenset(name.lower() for name in self.strings(fields.get("year_names", []), f"{where}.year_names")),
        )

    def shares(self, raw: Any, where: str) -> dict[str, dict[str, float]]:
        found = {}
        for column, values in self.mapping(raw, where).items():
            shares = {str(value).lower(): self.number(share, f"{where}.{column}.{value}")
                      for value, share in self.mapping(values, f"{where}.{column}").items()}
            if sum(shares.values()) > 1.0 + 1e-9:
                raise self.fail(f"{where}.{column}", f"the shares add up to {sum(shares.values()):g}, more than 1")
            found[column.lower()] = shares
        return found

    def indexes(self, fields: dict, where: str) -> tuple[Index, ...]:
        raw = self.list(fields.get("indexes", []), f"{where}.indexes")
        return tuple(self.index(item, f"{where}.indexes[{at}]") for at, item in enumerate(raw))

    def column(self, raw: Any, where: str) -> Column:
        fields = self.object(raw, where, _COLUMN, required=("name", "type"))
        return Column(
            self.string(fields["name"], f"{where}.name"),
            self.string(fields["type"], f"{where}.type"),
            self.boolean(fields.get("nullable", True), f"{where}.nullable"),
            self.optional_string(fields, "collation", where),
        )

    def foreign_key(self, raw: Any, where: str) -> ForeignKey:
        fields = self.object(raw, where, _FOREIGN_KEY, required=("name", "columns", "references"))
        target = self.object(fields["references"], f"{where}.references", _REFERENCE, required=("table", "columns"))
        columns = self.some_strings(fields["columns"], f"{where}.columns")
        referenced = self.some_strings(target["columns"], f"{where}.references.columns")
        if len(columns) != len(referenced):
            raise self.fail(where, f"{len(columns)} columns refer to {len(referenced)}")
        return ForeignKey(
            name=self.string(fields["name"], f"{where}.name"),
            columns=columns,
            references=self.string(target["table"], f"{where}.references.table"),
            referenced_columns=referenced,
            references_schema=self.string(target.get("schema", "dbo"), f"{where}.references.schema"),
            trusted=self.boolean(fields.get("trusted", True), f"{where}.trusted"),
        )

    def index(self, raw: Any, where: str) -> Index:
        fields = self.object(raw, where, _INDEX, required=("name", "columns"))
        return Index(
            self.string(fields["name"], f"{where}.name"),
            self.some_strings(fields["columns"], f"{where}.columns"),
            self.strings(fields.get("include", []), f"{where}.include"),
            self.boolean(fields.get("unique", False), f"{where}.unique"),
            self.flag(fields, "clustered", where),
        )

    def volume(self, raw: Any, where: str) -> Volume:
        fields = self.object(raw, where, {"per", "rate"}, required=("per", "rate"))
        return Volume(self.choice(fields["per"], f"{where}.per", VOLUME_BASES), self.number(fields["rate"], f"{where}.rate"))

    def view(self, raw: Any, where: str) -> View:
        fields = self.object(raw, where, _VIEW, required=("name", "definition"))
        return View(
            name=self.string(fields["name"], f"{where}.name"),
            definition=self.string(fields["definition"], f"{where}.definition"),
            schema=self.string(fields.get("schema", "dbo"), f"{where}.schema"),
            columns=self.strings(fields.get("columns", []), f"{where}.columns"),
            indexed=self.flag(fields, "indexed", where),
            schemabound=self.flag(fields, "schemabound", where),
            indexes=self.indexes(fields, where),
            rows=int(self.number(fields["rows"], f"{where}.rows", integer=True)) if "rows" in fields else None,
            advice=tuple(self.choice(item, f"{where}.advice[{at}]", VIEW_ADVICE) for at, item in enumerate(self.list(fields.get("advice", []), f"{where}.advice"))),
        )

    def function(self, raw: Any, where: str) -> Function:
        fields = self.object(raw, where, _FUNCTION, required=("name", "kind"))
        return Function(
            name=self.string(fields["name"], f"{where}.name"),
            kind=self.choice(fields["kind"], f"{where}.kind", FUNCTION_KINDS),
            schema=self.string(fields.get("schema", "dbo"), f"{where}.schema"),
            definition=self.optional_string(fields, "definition", where),
        )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {json.dumps(value[:40])}" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "a list"
    return "an object"

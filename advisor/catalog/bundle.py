"""Build the bundled catalog, schema_fixtures/campus.json, from the two files people edit:
campus/schema.sql (tables, keys, indexes, views, as T-SQL) and campus/profile.toml (sizes,
history, scope, row identities).

    python -m advisor.catalog.bundle            rewrite campus.json
    python -m advisor.catalog.bundle --check    exit 1 if campus.json is out of date
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

from sqlglot import exp

from advisor.catalog.load import FORMAT, VERSION, bundled_path
from advisor.frontend.parse import read_script
from advisor.resources import data_dir

DESCRIPTION = (
    "sqladvise's bundled approximation of the Infinite Campus schema; "
    "a district's own catalog export gives exact answers"
)
_TYPE = re.compile(r"\s*((?:\w+)(?:\s*\([^)]*\))?)")


class BundleError(ValueError):
    pass


def build() -> dict:
    folder = data_dir("schema_fixtures") / "campus"
    text = (folder / "schema.sql").read_text(encoding="utf-8")
    with open(folder / "profile.toml", "rb") as handle:
        profile = tomllib.load(handle)
    tables: dict[str, dict] = {}
    views: dict[str, dict] = {}
    for statement in read_script(text).statements:
        if not statement.understood:
            raise BundleError(f"schema.sql line {statement.span.line}: {statement.error}")
        tree = statement.tree
        if not isinstance(tree, exp.Create):
            continue
        kind = " ".join(str(tree.args.get("kind")).upper().split())
        if kind == "TABLE":
            table = _table(tree, text)
            tables[table["name"].lower()] = table
        elif kind == "VIEW":
            view = _view(tree, text[statement.span.start : statement.span.end])
            views[view["name"].lower()] = view
        elif kind in ("INDEX", "CLUSTERED INDEX", "NONCLUSTERED INDEX"):
            _add_index(tree, kind == "CLUSTERED INDEX", tables, views, statement.span.line)
    _apply_profile(profile, tables, views)
    return {
        "format": FORMAT,
        "version": VERSION,
        "description": DESCRIPTION,
        "approximate": True,
        "profile": profile["profile"],
        "scope_join_keys": profile["scope"]["join_keys"],
        "wizard_fields": profile["wizard_fields"],
        "tables": list(tables.values()),
        "views": list(views.values()),
    }


def render(document: dict) -> str:
    return json.dumps(document, indent=1) + "\n"


def _table(tree: exp.Create, text: str) -> dict:
    schema = tree.this
    table = schema.this
    columns, primary_key, indexes, foreign_keys = [], [], [], []
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            name = item.this
            type_text = _TYPE.match(text, name.meta["end"] + 1 + (1 if name.quoted else 0)).group(1)
            not_null = any(isinstance(c.args.get("kind"), exp.NotNullColumnConstraint) and not c.args["kind"].args.get("allow_null") for c in item.constraints)
            columns.append({"name": name.name, "type": type_text, "nullable": not not_null})
        elif isinstance(item, exp.Constraint) and isinstance(item.expressions[0], exp.ForeignKey):
            key = item.expressions[0]
            target = key.args["reference"].this
            foreign_keys.append({"name": item.this.name, "columns": [column.name for column in key.expressions],
                                 "references": {"schema": target.this.db or "dbo", "table": target.this.name,
                                                "columns": [column.name for column in target.expressions]}})
        elif isinstance(item, exp.Constraint):
            clustered = next((e for e in item.expressions if isinstance(e, (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint))), None)
            keys = [ordered.this.name for ordered in clustered.this]
            primary_key = keys
            indexes.append({"name": item.this.name, "columns": keys, "include": [], "unique": True,
                            "clustered": isinstance(clustered, exp.ClusteredColumnConstraint)})
    found = {"schema": table.db or "dbo", "name": table.name, "columns": columns, "primary_key": primary_key, "indexes": indexes}
    return {**found, "foreign_keys": foreign_keys} if foreign_keys else found


def _view(tree: exp.Create, definition: str) -> dict:
    query = tree.expression
    select = query if isinstance(query, exp.Select) else query.find(exp.Select)
    return {
        "schema": tree.this.db or "dbo",
        "name": tree.this.name,
        "definition": definition,
        "columns": [projection.alias_or_name for projection in select.expressions],
        "indexed": False,
        "indexes": [],
        "advice": [],
    }


def _add_index(tree: exp.Create, clustered: bool, tables: dict, views: dict, line: int) -> None:
    index = tree.this
    target = index.args["table"].name.lower()
    columns = [ordered.this.name for ordered in index.args["params"].args["columns"]]
    include = [column.name for column in index.args["params"].args.get("include") or []]
    entry = {
        "name": index.name,
        "columns": columns,
        "include": include,
        "unique": bool(tree.args.get("unique")),
        "clustered": clustered,
    }
    if target in tables:
        tables[target]["indexes"].append(entry)
    elif target in views:
        views[target]["indexed"] = True
        views[target]["indexes"].append(entry)
    else:
        raise BundleError(f"schema.sql line {line}: index {index.name} is on {target}, which is not defined above it")


def _apply_profile(profile: dict, tables: dict, views: dict) -> None:
    for name, facts in profile["tables"].items():
        table = tables.get(name.lower())
        if table is None:
            raise BundleError(f"profile.toml: [tables.{name}] names no table in schema.sql")
        known = {column["name"].lower() for column in table["columns"]}
        named = [*facts.get("scope", {}), *facts.get("join_keys", []), *(c for grain in facts.get("grains", []) for c in grain),
                 *facts.get("shares", {}), *facts.get("one_row", {}), *facts.get("year_names", [])]
        for column in named:
            if column.lower() not in known:
                raise BundleError(f"profile.toml: [tables.{name}] names column {column}, which {name} does not have")
        table.update({key: facts[key] for key in ("volume", "history", "scope", "join_keys", "grains", "shares", "one_row", "year_names") if key in facts})
    for name, table in tables.items():
        if "volume" not in table:
            raise BundleError(f"profile.toml: table {table['name']} has no [tables.{table['name']}] volume")
    for name, facts in profile.get("views", {}).items():
        view = views.get(name.lower())
        if view is None:
            raise BundleError(f"profile.toml: [views.{name}] names no view in schema.sql")
        view["advice"] = facts.get("advice", [])


def main(argv: list[str]) -> int:
    if argv not in ([], ["--check"]):  # --help among them: say what it does, and write nothing
        print("usage: python -m advisor.catalog.bundle [--check]", file=sys.stderr)
        return 2
    try:
        rendered = render(build())
    except BundleError as error:
        print(error, file=sys.stderr)
        return 1
    path: Path = bundled_path()
    if "--check" in argv:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != rendered:
            print(f"{path} is out of date: run python -m advisor.catalog.bundle", file=sys.stderr)
            return 1
        return 0
    path.write_text(rendered, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

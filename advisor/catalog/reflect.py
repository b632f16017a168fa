"""A catalog document from any database SQLAlchemy can reflect: tables, columns, keys, indexes and
views, written in the catalog file's format with T-SQL types and view definitions.

SQL Server itself goes through the export script instead (pull.py), which knows row counts, pages,
indexed views and trusted keys. Elsewhere row counts come from the database's own statistics
where it keeps them (SQLite's sqlite_stat1 after ANALYZE, PostgreSQL's pg_class); without them a
table's rows are null, and the bundled table of the same name sizes it.
"""

from __future__ import annotations

import re
from typing import Any

# What sqlglot calls each SQLAlchemy dialect, to turn view definitions into T-SQL.
_SQLGLOT_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql", "oracle": "oracle"}
_DEFAULT_SCHEMA = "dbo"  # sqladvise matches objects by name; the source's default schema reads as dbo


def reflect(connection: Any) -> tuple[dict, list[str]]:
    """The catalog document of what `connection` sees in its default schema, and warnings."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    dialect = connection.dialect.name
    sizes = _sizes(connection, dialect)
    warnings: list[str] = []
    tables = [_table(inspector, dialect, name, sizes) for name in sorted(inspector.get_table_names(), key=str.lower)]
    views = []
    for name in sorted(inspector.get_view_names(), key=str.lower):
        view, problem = _view(inspector, dialect, name)
        views.append(view)
        if problem:
            warnings.append(f"view {name}: {problem}")
    uncounted = [table["name"] for table in tables if table["rows"] is None]
    if uncounted:
        warnings.append(f"{len(uncounted)} of {len(tables)} tables have no row count in the database's statistics "
                        f"({', '.join(uncounted[:6])}{'...' if len(uncounted) > 6 else ''}); run ANALYZE first for exact sizes")
    return {"tables": tables, "views": views}, warnings


def _table(inspector: Any, dialect: str, name: str, sizes: dict[str, tuple[int | None, int | None]]) -> dict:
    declared = _declared_types(inspector, dialect, name)
    columns = []
    for column in inspector.get_columns(name):
        entry = {"name": column["name"], "type": declared.get(column["name"]) or _tsql_type(column["type"]),
                 "nullable": bool(column.get("nullable", True))}
        if getattr(column["type"], "collation", None):
            entry["collation"] = column["type"].collation
        columns.append(entry)
    primary = inspector.get_pk_constraint(name)
    key = list(primary.get("constrained_columns") or [])
    key_name = primary.get("name") or f"PK_{name}"
    reflected = inspector.get_indexes(name)
    clustered = _clustered(inspector, dialect, name, key_name, key, declared, [index["name"] for index in reflected])
    indexes = []
    if key:
        # Other databases list a primary key's index apart from their indexes; SQL Server lists it with them.
        indexes.append({"name": key_name, "columns": key, "include": [], "unique": True, "clustered": clustered.get(key_name)})
    for index in reflected:
        if not index.get("column_names") or None in index["column_names"]:
            continue  # an index on expressions: no column a query could seek on by name
        include = next((v for k, v in (index.get("dialect_options") or {}).items() if k.endswith("_include")), [])
        indexes.append({"name": index["name"], "columns": list(index["column_names"]), "include": list(include),
                        "unique": bool(index.get("unique")), "clustered": clustered.get(index["name"])})
    rows, pages = sizes.get(name.lower(), (None, None))
    entry = {"schema": _DEFAULT_SCHEMA, "name": name, "columns": columns, "primary_key": key, "indexes": indexes,
             "foreign_keys": [_foreign_key(name, key_info) for key_info in inspector.get_foreign_keys(name)],
             "rows": rows}
    if pages is not None:
        entry["pages"] = pages
    return entry


def _foreign_key(table: str, key: dict) -> dict:
    columns = key["constrained_columns"]
    return {"name": key.get("name") or f"FK_{table}_{'_'.join(columns)}", "columns": columns,
            "references": {"schema": key.get("referred_schema") or _DEFAULT_SCHEMA, "table": key["referred_table"],
                           "columns": key["referred_columns"]},
            # Only SQL Server records whether a key was checked; elsewhere a declared key is enforced.
            "trusted": True}


def _view(inspector: Any, dialect: str, name: str) -> tuple[dict, str | None]:
    text = inspector.get_view_definition(name) or ""
    definition, problem = _tsql_view(dialect, name, text)
    columns = [column["name"] for column in inspector.get_columns(name)]
    # Only SQL Server indexes or schema-binds views: a copy of its schema elsewhere cannot say.
    return {"schema": _DEFAULT_SCHEMA, "name": name, "definition": definition, "columns": columns,
            "indexed": None, "schemabound": None}, problem


def _tsql_view(dialect: str, name: str, text: str) -> tuple[str, str | None]:
    """The view as T-SQL's CREATE VIEW, which is how sqladvise reads every view definition."""
    import sqlglot
    from sqlglot import exp

    read = _SQLGLOT_DIALECTS.get(dialect)
    try:
        tree = sqlglot.parse_one(text, read=read) if read else None
    except sqlglot.errors.SqlglotError as error:
        return text, f"its definition could not be read as {dialect} SQL ({str(error).splitlines()[0]}); kept as it is"
    if tree is None:
        return text, None
    query = (tree.expression if isinstance(tree, exp.Create) else tree).transform(_sized_text)
    definition = f"CREATE VIEW [{_DEFAULT_SCHEMA}].[{name}] AS\n{query.sql('tsql', pretty=True)}\n"
    try:
        sqlglot.parse_one(definition, read="tsql")
    except sqlglot.errors.SqlglotError:
        return text, f"its definition has no T-SQL translation sqladvise can read; kept as {dialect} SQL"
    return definition, None


def _sized_text(node: Any) -> Any:
    """TEXT(10), as SQLite keeps varchar(10) in a CAST, is varchar(10) in T-SQL: sqlglot would
    write varchar(max)(10)."""
    from sqlglot import exp

    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.TEXT and node.expressions:
        return exp.DataType(this=exp.DataType.Type.VARCHAR, expressions=node.expressions)
    return node


def _tsql_type(sql_type: Any) -> str:
    from sqlalchemy.dialects import mssql

    try:
        return sql_type.compile(dialect=mssql.dialect()).lower()
    except Exception:  # noqa: BLE001 - a type T-SQL has no spelling for keeps its own name
        return str(sql_type).lower()


def _declared_types(inspector: Any, dialect: str, table: str) -> dict[str, str]:
    """SQLite keeps each column's type as it was written (smalldatetime, varchar(15)), which says more
    than the affinity SQLAlchemy maps it to."""
    if dialect != "sqlite":
        return {}
    rows = inspector.bind.exec_driver_sql(f"PRAGMA table_info({_quoted(table)})").fetchall()
    return {row[1]: row[2].lower() for row in rows if row[2]}


def _clustered(inspector: Any, dialect: str, table: str, key_name: str, key: list[str],
               declared: dict[str, str], names: list[str]) -> dict[str, bool]:
    """Index name -> whether rows are stored in its order, as under SQL Server's clustered index,
    where the database says so. Indexes left out are unknown: only SQL Server itself clusters
    on any index, so a copy of its schema elsewhere cannot say (merge.py asks the bundled catalog)."""
    if dialect == "sqlite":
        sql = inspector.bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar() or ""
        without_rowid = re.search(r"\bWITHOUT\s+ROWID\s*;?\s*$", sql, re.IGNORECASE)
        # A WITHOUT ROWID table is stored in primary-key order, and so is a rowid table whose key is
        # its one INTEGER PRIMARY KEY column (an alias of the rowid).
        if without_rowid or (len(key) == 1 and declared.get(key[0]) == "integer"):
            return {key_name: True, **dict.fromkeys(names, False)}
        return {}
    if dialect == "postgresql":
        rows = inspector.bind.exec_driver_sql(
            "SELECT i.relname, x.indisclustered FROM pg_catalog.pg_index x "
            "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid JOIN pg_catalog.pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = %(table)s AND t.relnamespace = to_regnamespace(current_schema())::oid",
            {"table": table}).fetchall()
        # CLUSTER ... USING marks the index the table was last ordered by.
        return {name: bool(flag) for name, flag in rows} if any(flag for _, flag in rows) else {}
    return {}


def _sizes(connection: Any, dialect: str) -> dict[str, tuple[int | None, int | None]]:
    """Rows and pages per lower-case table name, from the database's statistics, never its rows."""
    if dialect == "sqlite":
        present = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar()
        if not present:
            return {}
        counts: dict[str, tuple[int | None, int | None]] = {}
        for table, stat in connection.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1").fetchall():
            first = (stat or "").split(" ")[0]
            if first.isdigit():
                counts[table.lower()] = (int(first), None)
        return counts
    if dialect == "postgresql":
        rows = connection.exec_driver_sql(
            "SELECT c.relname, c.reltuples, c.relpages FROM pg_catalog.pg_class c "
            "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = to_regnamespace(current_schema())::oid").fetchall()
        # reltuples is -1 until the table is first analysed or vacuumed; PostgreSQL's pages are 8 KB too.
        return {name.lower(): ((round(tuples), pages) if tuples >= 0 else (None, None)) for name, tuples, pages in rows}
    return {}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

"""`sqladvise catalog pull`: a district's catalog read from a live database, read-only.

SQL Server answers the export script (export.sql), the same queries a DBA runs in SSMS, on a
connection that declares ApplicationIntent=ReadOnly. Other databases SQLAlchemy can reach are
reflected (reflect.py) on a read-only connection. Nothing but catalog queries is sent, and no
message ever carries the password.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from advisor.catalog.load import FORMAT, VERSION

EXPORT_SCRIPT = Path(__file__).parent / "export.sql"
LOGIN_TIMEOUT = 15  # seconds; an unreachable server should not hang a pre-commit run or a terminal
_ODBC_NOISE = re.compile(r"^\[\w+\]\s*|\s*\(\d+\)\s*\(SQL\w+\)$")
_MISSING_DRIVER = re.compile(r"Can't open lib '([^']+)'")


class PullError(Exception):
    """The database could not be read; the message is one line, free of the password."""


def pull(address: str) -> tuple[dict, list[str]]:
    """The catalog document of the database at `address` (a SQLAlchemy URL), and warnings."""
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
    except ImportError:
        raise PullError("SQLAlchemy is not installed: pip install sqlalchemy") from None
    try:
        url = make_url(address)
    except ArgumentError:
        raise PullError("the --url is not a database URL; it looks like dialect+driver://user@server/database") from None
    secret = url.password
    shown = url.render_as_string(hide_password=True)
    try:
        url, options = read_only(url)
        engine = create_engine(url, **options)
        try:
            with engine.connect() as connection:
                if connection.dialect.name == "mssql":
                    document, warnings = exported(connection), []
                else:
                    from advisor.catalog.reflect import reflect

                    found, warnings = reflect(connection)
                    document = {"format": FORMAT, "version": VERSION, "description": _description(url),
                                "approximate": False, **found}
        finally:
            engine.dispose()
    except PullError:
        raise
    except NoSuchModuleError:
        raise PullError(f"{shown}: SQLAlchemy has no dialect or driver '{url.drivername}'") from None
    except ImportError as error:
        raise PullError(f"{shown}: {_missing_library(error)}") from None
    except SQLAlchemyError as error:
        raise PullError(f"{shown}: {_first_line(getattr(error, 'orig', None) or error, secret)}") from None
    return document, [f"{shown}: {warning}" for warning in warnings]


def read_only(url: Any) -> tuple[Any, dict]:
    """The URL and engine options that open the database for reading only."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:" or not Path(database).is_file():
            raise PullError(f"{url.render_as_string(hide_password=True)}: no such SQLite database file")
        # SQLite would create a missing file, and could write to an existing one, without mode=ro.
        return url.set(database=Path(database).resolve().as_uri(), query={**url.query, "mode": "ro", "uri": "true"}), {}
    if backend == "mssql":
        return url.update_query_dict({"ApplicationIntent": "ReadOnly"}), {"connect_args": {"timeout": LOGIN_TIMEOUT}}
    if backend == "postgresql":
        return url, {"connect_args": {"options": "-c default_transaction_read_only=on", "connect_timeout": LOGIN_TIMEOUT}}
    return url, {}


def exported(connection: Any) -> dict:
    """The export script's one JSON value, from SQL Server."""
    query = EXPORT_SCRIPT.read_text(encoding="utf-8").split("SET NOCOUNT ON;", 1)[1]
    value = connection.exec_driver_sql(query).scalar()
    if not value:
        raise PullError("the server returned no catalog: does the login have VIEW DEFINITION on the database?")
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise PullError(f"the server's catalog is not valid JSON ({error.msg} at character {error.pos})") from None


def _description(url: Any) -> str:
    database = Path(url.database).name if url.get_backend_name() == "sqlite" else url.database
    return f"{database} ({url.get_backend_name()}), pulled {datetime.now().isoformat(timespec='seconds')}"


def _missing_library(error: ImportError) -> str:
    if "libodbc" in str(error):
        return ("the ODBC driver manager is not installed (libodbc.so.2): on Debian or Ubuntu, "
                "apt install unixodbc tdsodbc; see docs/catalog-format.md")
    return f"a database library is missing: {error}"


def _first_line(error: BaseException, secret: str | None) -> str:
    """The driver's own words, on one line: pyodbc's (SQLSTATE, message) pairs lose their
    SQLSTATE and call suffixes."""
    args = getattr(error, "args", ())
    text = args[1] if len(args) == 2 and all(isinstance(a, str) for a in args) else str(error)
    text = _ODBC_NOISE.sub("", " ".join(text.split())).strip() or type(error).__name__
    missing = _MISSING_DRIVER.search(text)
    if missing:
        text = (f"the ODBC driver '{missing.group(1)}' is not installed (odbcinst -q -d lists those that are; "
                "FreeTDS comes in Debian's tdsodbc package)")
    if secret:
        text = text.replace(secret, "***")
    return text[:400]

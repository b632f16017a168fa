"""Opening a database read-only through SQLAlchemy, for the catalog pull and live plans: one
place that knows each backend's read-only switch, and that turns every failure (no such driver,
no server, a refused login) into one line that never carries the password."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOGIN_TIMEOUT = 15  # seconds; an unreachable server should not hang a pre-commit run or a terminal
_ODBC_NOISE = re.compile(r"^\[\w+\]\s*|\s*\(\d+\)\s*\(SQL\w+\)$")
_MISSING_DRIVER = re.compile(r"Can't open lib '([^']+)'")


class ConnectError(Exception):
    """The database could not be reached or read; the message is one line, free of the password."""


@contextmanager
def connected(address: str) -> Iterator[Any]:
    """A read-only SQLAlchemy connection to the database at `address` (a SQLAlchemy URL).
    Errors inside the block that come from the database are turned into ConnectError too."""
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
    except ImportError:
        raise ConnectError("SQLAlchemy is not installed: pip install sqlalchemy") from None
    try:
        url = make_url(address)
    except ArgumentError:
        raise ConnectError("the --url is not a database URL; it looks like dialect+driver://user@server/database") from None
    secret = url.password
    shown = url.render_as_string(hide_password=True)
    try:
        opened, options = read_only(url)
        engine = create_engine(opened, **options)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()
    except NoSuchModuleError:
        raise ConnectError(f"{shown}: SQLAlchemy has no dialect or driver '{url.drivername}'") from None
    except ImportError as error:
        raise ConnectError(f"{shown}: {_missing_library(error)}") from None
    except SQLAlchemyError as error:
        raise ConnectError(f"{shown}: {one_line(getattr(error, 'orig', None) or error, secret)}") from None


def shown(address: str) -> str:
    """The address as messages may show it: the password replaced by ***."""
    from sqlalchemy.engine import make_url

    return make_url(address).render_as_string(hide_password=True)


def read_only(url: Any) -> tuple[Any, dict]:
    """The URL and engine options that open the database for reading only."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:" or not Path(database).is_file():
            raise ConnectError(f"{url.render_as_string(hide_password=True)}: no such SQLite database file")
        # SQLite would create a missing file, and could write to an existing one, without mode=ro.
        return url.set(database=Path(database).resolve().as_uri(), query={**url.query, "mode": "ro", "uri": "true"}), {}
    if backend == "mssql":
        return url.update_query_dict({"ApplicationIntent": "ReadOnly"}), {"connect_args": {"timeout": LOGIN_TIMEOUT}}
    if backend == "postgresql":
        return url, {"connect_args": {"options": "-c default_transaction_read_only=on", "connect_timeout": LOGIN_TIMEOUT}}
    return url, {}


def _missing_library(error: ImportError) -> str:
    if "libodbc" in str(error):
        return ("the ODBC driver manager is not installed (libodbc.so.2): on Debian or Ubuntu, "
                "apt install unixodbc tdsodbc; see docs/catalog-format.md")
    return f"a database library is missing: {error}"


def one_line(error: BaseException, secret: str | None = None) -> str:
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

"""Opening the history database: URL checks, drivers, and settings for concurrent writers.

- A URL is checked before anything connects: a port outside 1-65535 or a driver that is
  not installed is a one-line error naming ``--db`` (the password never shown).
- ``postgresql://`` uses psycopg 3 (``pip install 'harness[postgres]'``); connections are
  checked before use, so a database that restarted is reconnected to transparently.
- SQLite: every transaction starts with ``BEGIN IMMEDIATE`` and waits up to
  :data:`SQLITE_BUSY_SECONDS` for another writer, so two monitors on one file queue up
  instead of failing on a lock upgrade (the read-then-write deadlock of deferred
  transactions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from harness.errors import HarnessError

__all__ = ["SQLITE_BUSY_SECONDS", "is_outage", "open_engine", "safe_url"]

SQLITE_BUSY_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 10
DRIVERS = {"postgresql": "psycopg", "sqlite": "pysqlite"}
EXTRAS = {"psycopg": "postgres", "psycopg2": "postgres", "asyncpg": "postgres"}


def safe_url(url: URL | str) -> str:
    """The URL with its password masked (what error messages show)."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return "<unparseable URL>"
    return parsed.render_as_string(hide_password=True)


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ValueError as exc:  # e.g. a port that is not a number
        raise HarnessError(
            f"--db: not a database URL ({exc}); expected e.g. "
            "postgresql://user@host:5432/harness or sqlite:///reports/history.sqlite"
        ) from None
    except sa.exc.ArgumentError:
        raise HarnessError(
            "--db: not a database URL; expected e.g. postgresql://user@host:5432/harness "
            "or sqlite:///reports/history.sqlite"
        ) from None
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise HarnessError(
            f"--db {safe_url(parsed)}: port {parsed.port} is outside 1-65535; "
            "give the port the database listens on (PostgreSQL's default is 5432)"
        )
    backend = parsed.get_backend_name()
    if "+" not in parsed.drivername and backend in DRIVERS:
        parsed = parsed.set(drivername=f"{backend}+{DRIVERS[backend]}")
    return parsed


def open_engine(url: str) -> Engine:
    """An engine for the history at ``url``, set up for several writers."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {"pool_pre_ping": True}
    if backend == "sqlite":
        database = parsed.database or ""
        if database not in ("", ":memory:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS}
    elif backend == "postgresql":
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    try:
        engine = sa.create_engine(parsed, **options)
    except ImportError as exc:
        driver = parsed.get_driver_name()
        extra = EXTRAS.get(driver)
        fix = f"pip install 'harness[{extra}]'" if extra else f"install the {driver} driver"
        raise HarnessError(
            f"--db {safe_url(parsed)}: the database driver {driver!r} is not installed "
            f"({exc.name or exc}); {fix}"
        ) from None
    except sa.exc.ArgumentError as exc:
        raise HarnessError(f"--db {safe_url(parsed)}: {exc}") from None
    if backend == "sqlite":
        _immediate_transactions(engine)
    return engine


def _immediate_transactions(engine: Engine) -> None:
    """SQLite: the driver's own transaction handling off; every transaction ``BEGIN
    IMMEDIATE`` (takes the write lock at once, waiting up to the busy timeout)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_outage(exc: BaseException) -> bool:
    """Whether a database error means "not reachable now" (retry later), not a bug."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError | sa.exc.TimeoutError)


def describe(exc: BaseException) -> str:
    """One line about a database error (SQLAlchemy's own text spans several lines and
    may quote the statement)."""
    original = getattr(exc, "orig", None) or exc
    first = str(original).strip().splitlines()
    return f"{type(original).__name__}: {first[0] if first else ''}".rstrip(": ")

"""The data generation: what a cached page's key says about the data it was rendered from.

It has two parts, read together by :func:`current`:

- the **database counter** (``pagecache_generation.value``), increased once after every
  committed transaction that wrote anything, by whichever process wrote (a second server
  worker, ``jixiao import`` or a management command): every process's cached pages are retired;
- a **process-local counter**, increased at once on every write statement and again when its
  transaction commits. The first increase makes this process stop serving old pages even
  before the commit (a test's transaction never commits; a request reading what it just
  wrote); the second retires a page that another thread rendered from the old rows in between.

Writes are noticed at the SQL level — an execute wrapper on every database connection —
rather than through model signals, because ``QuerySet.update()``, ``bulk_create``, queryset
deletes and raw SQL send no signals, and the review workflow, optimistic locking, the API's
and the portal's indexes and the dashboard's figures all use them. Anything that is not a
plain read counts as a write, except writes to the tables in :func:`ignored_tables`.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from functools import partial

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError

logger = logging.getLogger(__name__)

TABLE = "pagecache_generation"

# Statements that change nothing (first word). DECLARE/FETCH/CLOSE are PostgreSQL's server-side
# cursors, which Django only declares FOR SELECT.
_READS = frozenset({"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW", "PRAGMA", "BEGIN", "COMMIT",
                    "EXPLAIN", "DECLARE", "FETCH", "CLOSE", "VALUES"})
_TARGET = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?([A-Za-z0-9_]+)', re.IGNORECASE)
SESSIONS = "django_session"
# Django's update_last_login on every login; no page shows the date, and a wave of morning
# logins must not retire every cached page.
_LAST_LOGIN = re.compile(r'\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE\s', re.IGNORECASE)
_CTE_WRITE = re.compile(r"\b(?:INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\b", re.IGNORECASE)

_lock = threading.Lock()
_local = 0
_ignored: frozenset | None = None


# The login throttle's failure counts (django-axes, accounts/throttle.py): no page shows them
# (the admin's are never cached), and a stranger's failed logins must not retire every page.
THROTTLE_TABLES = ("axes_accessattempt", "axes_accessattemptexpiration", "axes_accessfailurelog", "axes_accesslog")


def ignored_tables() -> frozenset:
    """Tables whose writes change no page: this counter itself, the login throttle's and a
    database cache table. Sessions are half in it, see :func:`is_change`."""
    global _ignored
    if _ignored is None:
        names = {TABLE, *THROTTLE_TABLES}
        for alias in settings.CACHES.values():
            if alias.get("BACKEND", "").endswith("DatabaseCache"):
                names.add(alias["LOCATION"].lower())
        _ignored = frozenset(names)
    return _ignored


def is_change(sql: str) -> bool:
    """Whether this SQL statement may change what a page shows."""
    # A compound query starts with its first part in brackets on PostgreSQL ("(SELECT …) UNION …").
    words = sql.lstrip(" \t\r\n(")[:16].split(None, 1)
    if not words or words[0].upper() in _READS:
        return False
    if words[0].upper() == "WITH":
        # A common table expression (the dashboard's queries) writes only if one of its parts
        # does (parameters are never in the SQL text, so data cannot look like a statement).
        return _CTE_WRITE.search(sql) is not None
    target = _TARGET.match(sql)
    if target is None:
        return True
    if _LAST_LOGIN.match(sql):
        return False
    table = target.group(2).lower()
    if table == SESSIONS:
        # A session is created or renewed on logins and refreshes (no page changes), but a
        # deleted one is a logout (or a login replacing it): the page cache's memo of which
        # user a session belongs to (middleware.py) must be forgotten in every process.
        return target.group(1)[:1].upper() == "D"
    return table not in ignored_tables()


def _bump_local() -> None:
    global _local
    with _lock:
        _local += 1


def local_value() -> int:
    return _local


def current() -> tuple[int, int] | None:
    """(database counter, local counter), or None when the counter cannot be read (the table
    does not exist yet: before ``migrate``): then nothing is cached or served from the cache.

    The local part is read first and both before the page's data, so a page is never stored
    under a key newer than the rows it was rendered from."""
    local = _local
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            _recreate_row(connection)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
                row = cursor.fetchone()
    except DatabaseError:
        return None
    return None if row is None else (row[0], local)


def _recreate_row(conn) -> None:
    """The row is gone (``flush``, a test database emptied between tests): put it back.

    It starts at the time in milliseconds rather than 0, above any count the old row can
    have reached, so no process can meet a key from before the flush again. Two processes
    may race here; the savepoint keeps the loser's transaction usable."""
    try:
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (1, %s)", [int(time.time() * 1000)])
    except IntegrityError:
        pass


def _committed(conn) -> None:
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")
            missing = cursor.rowcount == 0
        if missing:
            _recreate_row(conn)
    except DatabaseError as exc:
        # Only before the first `migrate` (no table yet); the local counter still moves.
        logger.debug("page cache generation not renewed: %s", exc)
    _bump_local()


def changed(conn) -> None:
    """A write went through ``conn``: retire this process's pages now, and every process's
    once the write is committed (one counter update per transaction, not per statement)."""
    _bump_local()
    if not conn.in_atomic_block:
        if conn.get_autocommit():
            _committed(conn)  # autocommit: the statement is committed already
        return  # manual transaction management (not used by jixiao): this process only
    callback = conn.__dict__.get("_jixiao_pagecache_commit")
    if callback is None:
        callback = conn._jixiao_pagecache_commit = partial(_committed, conn)
    # Registered once per transaction; a rolled-back savepoint drops it, and then it is
    # registered again by the next write (run_on_commit holds (savepoint ids, func, robust)).
    if not any(entry[1] is callback for entry in conn.run_on_commit):
        try:
            transaction.on_commit(callback, using=conn.alias)
        except TransactionManagementError:
            pass


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # Anything but a plain string (psycopg's composed SQL) is taken for a write.
    if not isinstance(sql, str) or is_change(sql):
        changed(context["connection"])
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: install the write watcher on this connection once.

    Inserted first in ``execute_wrappers``: ``connection.execute_wrapper()`` blocks pop their
    wrapper from the end of the list, so a permanent one must not sit after theirs."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)

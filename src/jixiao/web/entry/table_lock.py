"""The table's row as the one lock for every decision that depends on its state.

A transition (submit, return, approve, publish, reopen), a comment, and every edit of a
table's projects or header first check the table's status and then change something. Both
happen in one transaction that holds the table's row: on PostgreSQL ``SELECT … FOR UPDATE``
(a second transaction on the same table waits, then reads the new status); on SQLite the
connection opens every transaction with ``BEGIN IMMEDIATE`` (settings: ``transaction_mode``),
which takes the database's write lock before the first read, so the same check sees the
last committed state and waits (up to the busy timeout) instead of failing with "database is
locked" when it would have to upgrade a read snapshot that another writer made stale.

Permission checks at the start of a request stay (they decide 403 and 404); these checks
decide whether the change is still allowed when it is written. A refusal is
:class:`NotEditable` (an edit) or the workflow's ``TransitionError``; the views answer it
with "the state has changed" (a 409 page or a message and a redirect).

Lock order: the table before its projects, everywhere, so two transactions never wait for
each other in a cycle on PostgreSQL. ``Project.save`` and ``Project.delete`` lock the table
too: with a query of their own when the write does not come through here (the admin,
scripts), with none when it does. A function run by :func:`atomic_retrying` remembers the
tables it has locked until it returns, so a project saved through the entry view locks its
table once (the dashboard's figures, computed in the same transaction, read it without a lock
of their own), and an import of hundreds of projects once, not once more per project.
"""

from __future__ import annotations

import functools
import time

from django.db import OperationalError, connection, transaction

from jixiao.web import workflow

from .models import DisclosureTable, held_tables

# Whole-transaction retries when SQLite still reports its lock as busy (a writer held it for
# longer than the busy timeout); the waits between attempts, in seconds.
BUSY_RETRY_WAITS = (0.2, 1.0)


class NotEditable(Exception):
    """The table is no longer 草稿 or 退回 (submitted, approved or published meanwhile)."""

    def __init__(self, table: DisclosureTable | None = None):
        super().__init__("table not editable")
        self.table = table


def locked(pk: int) -> DisclosureTable:
    """The table as committed now, its row locked until the transaction ends (call inside one):
    the workflow's lock (jixiao.web.workflow.locked), which the 绩效目标表 takes on its sheet.
    A row this transaction holds already is read again without a second lock (no one else can
    have changed it since)."""
    held = held_tables.get()
    if held is not None and pk in held:
        return DisclosureTable.objects.get(pk=pk)
    table = workflow.locked(DisclosureTable, pk)
    if held is not None:
        held.add(pk)
    return table


def locked_editable(pk: int) -> DisclosureTable:
    """:func:`locked`, or NotEditable when its status no longer allows editing."""
    table = locked(pk)
    if not table.editable:
        raise NotEditable(table)
    return table


def atomic_retrying(func):
    """``transaction.atomic`` around ``func``; on SQLite, a transaction that found the database
    still locked after the busy timeout is rolled back and run again (twice at most).

    Only the outermost call retries: inside another transaction the error goes up to it.
    The tables ``func`` locks are remembered while it runs (``models.held_tables``; a set per
    attempt and per nested call, starting from what the caller holds). PostgreSQL releases the
    locks of a nested atomic block that is rolled back, unseen by the set: ``func`` must not
    catch such a rollback and then write on.
    """

    @functools.wraps(func)
    def holding(*args, **kwargs):
        token = held_tables.set(set(held_tables.get() or ()))
        try:
            return func(*args, **kwargs)
        finally:
            held_tables.reset(token)

    atomic = transaction.atomic(holding)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return atomic(*args, **kwargs)
        for wait in BUSY_RETRY_WAITS:
            try:
                return atomic(*args, **kwargs)
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc).lower():
                    raise
                time.sleep(wait)
        return atomic(*args, **kwargs)

    return wrapper

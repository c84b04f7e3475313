"""The memo behind scoring's remembered cells: a dict that stays out of the collector's view."""

from __future__ import annotations

import gc
from decimal import Decimal

from jixiao.core.memo import Memo


def test_get_put_and_missing():
    m = Memo(100, fresh_max=8)
    assert m.get("a") is None
    m.put("a", (1, "x"))
    assert m.get("a") == (1, "x")
    for i in range(20):
        m.put(("k", i), (Decimal(i), str(i)))
    assert all(m.get(("k", i)) == (Decimal(i), str(i)) for i in range(20))
    assert len(m) == 21


def test_bounded():
    m = Memo(50, fresh_max=10)
    for i in range(1000):
        m.put(i, (i,))
    assert len(m) <= 50 + 10
    assert m.get(999) == (999,)  # the newest entries are kept


def test_settled_entries_are_invisible_to_the_collector():
    # Flat tuples of strings and Decimals are untracked by the first collection that sees
    # them; the memo moves only those into its large dict, which therefore stays untracked.
    m = Memo(10_000, fresh_max=64)
    for i in range(2000):
        m.put((f"target {i}", f"actual {i}", 0, "10.00"), (Decimal(i), f"reason {i}", None, True))
        if i % 50 == 0:
            gc.collect(0)
    assert len(m._settled) > 1500
    assert not gc.is_tracked(m._settled)
    assert m.get(("target 7", "actual 7", 0, "10.00")) == (Decimal(7), "reason 7", None, True)


def test_values_that_stay_tracked_are_still_remembered():
    # A list is never untracked: the memo gives up keeping such entries apart rather than
    # letting its small dict grow, and still returns them.
    m = Memo(10_000, fresh_max=16)
    for i in range(500):
        m.put(i, [i])
    assert len(m._fresh) < 16
    assert all(m.get(i) == [i] for i in range(500))


def test_clear():
    m = Memo(10, fresh_max=4)
    for i in range(8):
        m.put(i, (i,))
    m.clear()
    assert len(m) == 0 and m.get(3) is None

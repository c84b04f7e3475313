"""Redis database numbers for the tests that start servers or workers: claimed, not fixed.

The deployment test flushes its cache and broker databases and its worker takes whatever
message is queued there; the worker test's child does the same with its broker. With fixed
numbers, two suites on one machine (or one beside a benchmark) emptied each other's databases
and took each other's jobs — a job "still queued" in one run because the other's worker had
taken its message. Each test claims free numbers among 8–15 with ``SET … NX`` on database 0
(an atomic claim that expires by itself if a run dies) and gives them back when done.
"""

from __future__ import annotations

from contextlib import contextmanager
from uuid import uuid4

CLAIMABLE = range(8, 16)
KEY = "jixiao-tests:redis-db:{}"


@contextmanager
def claimed(count: int, host: str = "127.0.0.1", port: int = 6379, seconds: int = 1800):
    """``count`` Redis database numbers nobody else holds, emptied; released at the end.
    Raises ``redis.RedisError`` when Redis does not answer (callers skip then)."""
    import redis

    admin = redis.Redis(host=host, port=port, db=0, socket_connect_timeout=2, socket_timeout=5)
    token = uuid4().hex
    got: list[int] = []
    try:
        for number in CLAIMABLE:
            if len(got) == count:
                break
            if admin.set(KEY.format(number), token, nx=True, ex=seconds):
                got.append(number)
        if len(got) < count:
            raise RuntimeError(f"no {count} free Redis databases among {CLAIMABLE.start}–{CLAIMABLE.stop - 1}: "
                               "other test runs hold them")
        for number in got:
            client = redis.Redis(host=host, port=port, db=number, socket_connect_timeout=2, socket_timeout=5)
            client.flushdb()
            client.close()
        yield [f"redis://{host}:{port}/{number}" for number in got]
    finally:
        for number in got:
            if admin.get(KEY.format(number)) == token.encode():
                admin.delete(KEY.format(number))
        admin.close()

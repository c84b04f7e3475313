"""The browser walks whose outcome depends on the database, again on PostgreSQL: the whole round
(gates, return, approval, publication, withdrawal, correction; the row locks of each transition
and what the portal, the API and the dashboard read at each state), two editors merging one
project (the stored project read with its row locked), a cell marked 不适用 through the form,
the score page and the portal (a JSON field written and read back), and the performance
targets: declared, returned, approved (the sheet's row locked, the approval frozen as JSON and
published), pre-filled, JX611, the public page; and declared by importing a workbook.

Runs when JIXIAO_TEST_DATABASE_URL is set, like test_postgres.py: a child pytest points the
default database at that server, with a test database named after the child's process id.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import CHILD_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
FILES = ["tests/web/test_browser_gates.py", "tests/web/test_browser_merge.py",
         "tests/web/test_browser_not_applicable.py", "tests/web/test_browser_targets.py",
         "tests/web/test_postgres.py::test_running_on_postgresql"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.skipif(not os.environ.get("JIXIAO_TEST_DATABASE_URL") or os.environ.get("JIXIAO_WEB_TEST_DB") == "postgres",
                    reason="JIXIAO_TEST_DATABASE_URL not set (or already in the PostgreSQL run)")
def test_browser_walks_pass_on_postgresql():
    env = {**os.environ, "JIXIAO_WEB_TEST_DB": "postgres", "DATABASE_URL": os.environ["JIXIAO_TEST_DATABASE_URL"]}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *FILES]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "6 passed" in r.stdout, r.stdout[-2000:]

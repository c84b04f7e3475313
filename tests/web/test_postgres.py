"""The role matrix, optimistic locking and publication tests again, on PostgreSQL.

Runs when JIXIAO_TEST_DATABASE_URL is set (scripts/test.sh sets it when a server answers on
127.0.0.1:5432). A child pytest points the default database at that server; its test
database is named after the child's process id, so parallel runs never collide.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import CHILD_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
FILES = ["tests/web/test_roles.py", "tests/web/test_locking.py", "tests/web/test_publication.py",
         "tests/web/test_merge.py",  # the merge reads the stored project with its row locked
         "tests/web/test_score_override.py",
         "tests/web/test_validation_paths.py",  # the bounds against the real column types
         "tests/web/test_import_year.py",  # a new year's table and the replaced draft's projects
         "tests/web/test_not_applicable.py",  # marked cells through the form, the portal and the API
         "tests/web/test_jobs.py",  # a job's row locked by each delivery (SELECT … FOR UPDATE)
         "tests/web/test_targets.py",  # the target sheet's row locked by each transition and edit
         # approval publishes (keyset pages of /api/targets/ with the year newest first)
         "tests/web/test_targets_publication.py",
         "tests/web/test_targets_history.py",  # JX612's two queries: approved rounds' and projects' JSON
         "tests/web/test_postgres.py::test_running_on_postgresql"]


@pytest.mark.skipif(not os.environ.get("JIXIAO_TEST_DATABASE_URL"), reason="JIXIAO_TEST_DATABASE_URL not set")
def test_database_dependent_tests_pass_on_postgresql():
    # DATABASE_URL is set here too: the child inherits DJANGO_SETTINGS_MODULE from this process,
    # so pytest-django may read the settings before the child's conftest runs.
    env = {**os.environ, "JIXIAO_WEB_TEST_DB": "postgres", "DATABASE_URL": os.environ["JIXIAO_TEST_DATABASE_URL"]}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
           # Downloads and the users without a role touch nothing database-specific; skipping
           # them here keeps the PostgreSQL run short.
           "-k", "not download_matrix and not nobody and not anonymous", *FILES]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert " passed" in r.stdout


@pytest.mark.skipif(os.environ.get("JIXIAO_WEB_TEST_DB") != "postgres", reason="only in the PostgreSQL child run")
def test_running_on_postgresql(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_jixiao_web_")

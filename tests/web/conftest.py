"""Web tests: Django settings, a small world of two departments and one user per role.

pytest-django is configured here (no ini change needed): the settings module is the real
one, with a test secret key and a temporary data folder. Tests run on SQLite (in memory);
``test_postgres.py`` runs the role matrix, locking and publication tests again in a child
pytest with ``JIXIAO_WEB_TEST_DB=postgres``, which points the default database at
``JIXIAO_TEST_DATABASE_URL`` under a test database name unique to that process.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from decimal import Decimal

import pytest

from .browser import browser, shots, site  # noqa: F401 - the browser tests' fixtures


def pytest_configure(config):
    os.environ.setdefault("JIXIAO_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
    data_dir = tempfile.mkdtemp(prefix="jixiao-webtest-")
    atexit.register(shutil.rmtree, data_dir, True)
    os.environ["JIXIAO_DATA_DIR"] = data_dir
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    if os.environ.get("JIXIAO_WEB_TEST_DB") == "postgres":
        os.environ["DATABASE_URL"] = os.environ["JIXIAO_TEST_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    # Jobs run in process unless a test sets a broker (test_worker.py starts a real worker).
    os.environ.pop("JIXIAO_BROKER_URL", None)
    # Django's cache is this process's own memory whatever JIXIAO_CACHE_URL says: on a Redis
    # database shared by both xdist workers (or by another program), a test's cache.clear()
    # emptied the other worker's entries between two of its page views, and a test that expects
    # its second view from the cache failed when the two met. (Tests of Redis start processes.)
    os.environ.pop("JIXIAO_CACHE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    # pytest-django may have read the settings before this hook, in an xdist worker with the
    # controller's environment: every process gets its data folder here, or two workers' jobs
    # of the same id (jobs/<id>/) would share — and delete — each other's uploads.
    settings.DATA_DIR = Path(data_dir)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"jixiao-tests-{os.getpid()}"}}
    if os.environ.get("JIXIAO_WEB_TEST_DB") == "postgres":
        # One test database per process, so parallel runs never share (or drop) each other's.
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_jixiao_web_{os.getpid()}"


ROLES = ("editor", "approver", "reviewer", "admin")


def make_project(table, seq=1, **extra):
    from jixiao.web.entry.models import Project

    fields = dict(seq=seq, unit_name="甲单位", name=f"项目{seq}", gov_investment=False,
                  budget=Decimal("100.00"), actual_total=Decimal("90.00"), actual_general_budget=Decimal("90.00"),
                  actual_gov_fund=Decimal("0.00"), actual_non_fiscal=Decimal("0.00"), execution_rate_text="90.00%",
                  annual_goal="完成年度任务", overall_completion="基本完成",
                  indicators={"quantity": {"target": "培训≥4次", "actual": "培训5次"},
                              "satisfaction": {"target": "满意度≥90%", "actual": "满意度95%"}},
                  problems="无", rectification="无")
    fields.update(extra)
    return Project.objects.create(table=table, **fields)


class World:
    """Departments A and B, each with a 2019 table in ``status`` and one project; users per role."""

    def __init__(self, status="draft"):
        from django.contrib.auth.models import User

        from jixiao.web import demo_data
        from jixiao.web.accounts import roles
        from jixiao.web.entry.models import Department, DisclosureTable, Year

        self.dept_a = Department.objects.create(name="甲部门", short_name="甲")
        self.dept_b = Department.objects.create(name="乙部门", short_name="乙")
        year = Year.objects.create(year=2019)
        self.users = {
            "editor": demo_data.create_user("editor_a", "pw-editor-a-123", roles.EDITOR, self.dept_a),
            "approver": demo_data.create_user("approver_a", "pw-approver-a-123", roles.APPROVER, self.dept_a),
            "reviewer": demo_data.create_user("reviewer", "pw-reviewer-123", roles.REVIEWER, None),
            "admin": demo_data.create_user("admin", "pw-admin-123", roles.ADMIN, None),
            "editor_b": demo_data.create_user("editor_b", "pw-editor-b-123", roles.EDITOR, self.dept_b),
            "approver_b": demo_data.create_user("approver_b", "pw-approver-b-123", roles.APPROVER, self.dept_b),
        }
        self.nobody = User.objects.create_user("nobody", password="pw-nobody-123")  # no role
        self.tables = {}
        self.projects = {}
        for key, dept in (("own", self.dept_a), ("other", self.dept_b)):
            t = DisclosureTable.objects.create(year=year, department=dept, department_short=dept.short_name,
                                               attachment="附件2-3")
            self.projects[key] = make_project(t)
            self.tables[key] = t
            bring_to(t, status, self.users["approver"] if key == "own" else self.users["approver_b"],
                     self.users["reviewer"])


def explain_all(table, text="已核实，如实填报") -> dict[str, str]:
    """An explanation for every open warning of ``table`` (the submission gates need one each)."""
    from jixiao.web.review import gates

    return {w.key: text for w in gates.assess(table).warnings}


def explanation_post(table, text="已核实，如实填报") -> dict[str, str]:
    """The submit page's POST data explaining every open warning of ``table``."""
    from jixiao.web.review import gates

    return {w.field_name: text for w in gates.assess(table).warnings}


def bring_to(table, status, approver, reviewer):
    """Move a draft table through the real workflow to ``status``."""
    from django.test import override_settings

    from jixiao.web.review import workflow

    path = {"draft": [], "submitted": ["submit"], "returned": ["submit", "return"],
            "approved": ["submit", "approve"], "published": ["submit", "approve", "publish"]}[status]
    for step in path:
        if step == "submit":
            # The worlds' tables hold whatever a test needs (errors too): they are submitted
            # with nothing blocking and every finding explained; the gates have their own tests.
            with override_settings(JIXIAO_SUBMIT_BLOCKING=()):
                workflow.submit(table, approver, explanations=explain_all(table))
        elif step == "return":
            workflow.return_table(table, reviewer, "请补充")
        elif step == "approve":
            workflow.approve(table, reviewer)
        elif step == "publish":
            workflow.publish(table, reviewer)
    table.refresh_from_db()


@pytest.fixture(autouse=True)
def _as_in_a_fresh_thread():
    """Each test starts as a new server thread would: the default language active and an empty
    cache. A request leaves its language active in the thread after the response (Django's
    LocaleMiddleware does not undo it), so a label read outside a request after an English
    page came out in English; and nothing a test kept in the cache is found by the next one."""
    from django.core.cache import cache
    from django.utils import translation

    translation.deactivate()
    cache.clear()
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    return World("draft")


@pytest.fixture
def make_world(db):
    return World


@pytest.fixture
def seed_doc(golden_path):
    import json

    return json.loads(golden_path.read_text(encoding="utf-8"))

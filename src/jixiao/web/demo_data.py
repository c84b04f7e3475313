"""The demo's data: the seed table as published, a second department's table submitted and
under review, and one user per role with a generated password (kept in the data folder, 0600,
so a second run prints the same ones)."""

from __future__ import annotations

import json
import secrets
from importlib import resources
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from jixiao.core.model import Table
from jixiao.formats import table_json
from jixiao.generate import generate_table

from .accounts import roles
from .accounts.models import Profile
from .entry import convert
from .entry.models import Department, DisclosureTable
from .review import gates, workflow

PASSWORD_FILE = "demo-users.json"
SEED_RESOURCE = "seed-2019-longgang-gsl.json"
SECOND_DEPARTMENT = "深圳市龙岗区示范街道办事处"
SECOND_SHORT = "示范街道办"


def seed_table() -> Table:
    text = resources.files("jixiao.data").joinpath(SEED_RESOURCE).read_text(encoding="utf-8")
    return table_json.loads(text, source=SEED_RESOURCE)


def second_table(year: int = 2019) -> Table:
    """A generated department with deliberate inconsistencies, so the reviewer sees findings."""
    table = generate_table(projects=6, seed=7, inconsistent_share=0.3, year=year, department=SECOND_DEPARTMENT)
    table.department_short = table.department_short or SECOND_SHORT
    return table


DEMO_USERS = (
    # username, role, department (None = finance bureau / administrator)
    ("gsl_editor", roles.EDITOR, "seed"),
    ("gsl_approver", roles.APPROVER, "seed"),
    ("jd_editor", roles.EDITOR, "second"),
    ("jd_approver", roles.APPROVER, "second"),
    ("czj_reviewer", roles.REVIEWER, None),
    ("admin", roles.ADMIN, None),
)


def ensure_groups() -> dict[str, Group]:
    return {r: Group.objects.get_or_create(name=r)[0] for r in roles.ROLE_NAMES}


def create_user(username: str, password: str, role: str, department: Department | None) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = role == roles.ADMIN
    user.is_superuser = role == roles.ADMIN
    user.save()
    user.groups.set([ensure_groups()[role]])
    Profile.objects.update_or_create(user=user, defaults={"department": department})
    return user


def _passwords(data_dir: Path) -> dict[str, str]:
    path = data_dir / PASSWORD_FILE
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    new = {username: secrets.token_urlsafe(9) for username, _role, _dept in DEMO_USERS if username not in stored}
    if new:
        stored |= new
        path.touch(mode=0o600)
        path.write_text(json.dumps(stored, ensure_ascii=False, indent=1), encoding="utf-8")
    return stored


# The demo loads real published tables as they were published, inconsistencies included (the
# seed reports an execution rate its amounts do not give): nothing blocks, every finding is
# explained as the original's.
DEMO_BLOCKING: tuple[str, ...] = ()


def _explained(table) -> dict[str, str]:
    """The demo's explanation of every open finding (a submission needs one each)."""
    return {w.key: "演示数据：原表如此公开，保留原样。" for w in gates.assess(table, blocking=DEMO_BLOCKING).warnings}


@transaction.atomic
def load(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """Create what is missing; returns (username, password, role name, department) per demo user."""
    seed = seed_table()
    second = second_table(seed.year)
    seed_dept, _ = Department.objects.get_or_create(name=seed.department,
                                                    defaults={"short_name": seed.department_short or "区工商联"})
    second_dept, _ = Department.objects.get_or_create(name=second.department,
                                                      defaults={"short_name": second.department_short})
    departments = {"seed": seed_dept, "second": second_dept}
    passwords = _passwords(data_dir)
    # A user already there keeps whatever password the operator may have changed.
    users = {u: User.objects.filter(username=u).first() or create_user(u, passwords[u], r, departments.get(d))
             for u, r, d in DEMO_USERS}
    if not DisclosureTable.objects.filter(department=seed_dept, year__year=seed.year).exists():
        t = convert.save_table(seed, user=users["gsl_editor"], department=seed_dept)
        workflow.submit(t, users["gsl_approver"], explanations=_explained(t), blocking=DEMO_BLOCKING)
        workflow.approve(t, users["czj_reviewer"])
        workflow.publish(t, users["czj_reviewer"], note="演示数据：原表公开")
    if not DisclosureTable.objects.filter(department=second_dept, year__year=second.year).exists():
        t = convert.save_table(second, user=users["jd_editor"], department=second_dept)
        workflow.submit(t, users["jd_approver"], explanations=_explained(t), blocking=DEMO_BLOCKING)
    return [(u, passwords[u], str(roles.ROLE_NAMES[r]),
             departments[d].name if d else "财政局") for u, r, d in DEMO_USERS]

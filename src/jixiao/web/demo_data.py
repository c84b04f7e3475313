"""The demo's data: the seed table as published, a second department's table submitted and
under review, and one user per role with a generated password (kept in the data folder, 0600,
so a second run prints the same ones)."""

from __future__ import annotations

import json
import os
import secrets
from decimal import Decimal
from importlib import resources
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from jixiao.core.model import IndicatorCell, Project, Table
from jixiao.core.money import MoneyUnit
from jixiao.formats import table_json

from .accounts import roles
from .accounts.models import Profile
from .entry import convert
from .entry.models import Department, DisclosureTable
from .review import workflow

PASSWORD_FILE = "demo-users.json"
SEED_RESOURCE = "seed-2019-longgang-gsl.json"
SECOND_DEPARTMENT = "深圳市龙岗区示范街道办事处"
SECOND_SHORT = "示范街道办"


def seed_table() -> Table:
    text = resources.files("jixiao.data").joinpath(SEED_RESOURCE).read_text(encoding="utf-8")
    return table_json.loads(text, source=SEED_RESOURCE)


def second_table(year: int = 2019) -> Table:
    """A generated department (jixiao.generate when present), with a deliberate inconsistency."""
    try:
        from jixiao.generate import generate_table
    except ImportError:
        generate_table = None
    if generate_table is not None:
        table = generate_table(projects=6, seed=7, inconsistent_share=0.3, year=year, department=SECOND_DEPARTMENT)
        table.department_short = table.department_short or SECOND_SHORT
        return table
    # Until the generator exists: a small hand-built table (the 2nd project's parts do not add up).
    projects = [
        Project(seq=1, unit_name=SECOND_SHORT, name="社区网格化管理服务", gov_investment=False,
                budget=Decimal("120.00"), actual_total=Decimal("112.35"), actual_general_budget=Decimal("112.35"),
                actual_gov_fund=Decimal("0.00"), actual_non_fiscal=Decimal("0.00"), execution_rate_text="93.63%",
                annual_goal="完善社区网格化管理，提升基层治理效能。", overall_completion="完成网格巡查与事件处置。",
                indicators={"quantity": IndicatorCell("网格员培训≥4次；巡查覆盖社区≥12个", "培训5次；覆盖12个"),
                            "quality": IndicatorCell("事件处置率≥95%", "事件处置率97%"),
                            "timeliness": IndicatorCell("12月底前完成年度巡查", "按期完成"),
                            "social": IndicatorCell("群众安全感提升", "群众安全感明显提升"),
                            "satisfaction": IndicatorCell("居民满意度≥90%", "居民满意度93%")},
                problems="无", rectification="无"),
        Project(seq=2, unit_name=SECOND_SHORT, name="辖区道路清扫保洁", gov_investment=False,
                budget=Decimal("300.00"), actual_total=Decimal("285.00"), actual_general_budget=Decimal("280.00"),
                actual_gov_fund=Decimal("0.00"), actual_non_fiscal=Decimal("0.00"), execution_rate_text="95.00%",
                annual_goal="保持辖区道路整洁。", overall_completion="道路保洁达标。",
                indicators={"quantity": IndicatorCell("保洁道路面积≥80万平方米", "82万平方米"),
                            "quality": IndicatorCell("保洁质量达标率≥95%", "98%"),
                            "ecological": IndicatorCell("改善市容环境", "市容环境改善"),
                            "satisfaction": IndicatorCell("居民满意度≥90%", "居民满意度91%")},
                problems="无", rectification="无"),
        Project(seq=3, unit_name=SECOND_SHORT, name="老旧小区安全隐患整治", gov_investment=True,
                budget=Decimal("80.00"), actual_total=Decimal("52.00"), actual_general_budget=Decimal("52.00"),
                actual_gov_fund=Decimal("0.00"), actual_non_fiscal=Decimal("0.00"), execution_rate_text="65.00%",
                annual_goal="整治老旧小区消防与用电隐患。", overall_completion="已完成大部分整治任务。",
                indicators={"quantity": IndicatorCell("整治小区≥10个", "整治小区7个"),
                            "timeliness": IndicatorCell("11月底前完成", "部分延期"),
                            "social": IndicatorCell("消除安全隐患", "隐患明显减少"),
                            "satisfaction": IndicatorCell("居民满意度≥90%", "100.00%")},
                problems="无", rectification="无"),
    ]
    return Table(year=year, department=SECOND_DEPARTMENT, department_short=SECOND_SHORT, projects=projects,
                 money_unit=MoneyUnit.WAN_YUAN, attachment="附件2-3")


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
    changed = False
    for username, _role, _dept in DEMO_USERS:
        if username not in stored:
            stored[username] = secrets.token_urlsafe(9)
            changed = True
    if changed:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(stored, out, ensure_ascii=False, indent=1)
    return stored


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
    users = {}
    for username, role, dept in DEMO_USERS:
        existing = User.objects.filter(username=username).first()
        if existing is None:
            users[username] = create_user(username, passwords[username], role, departments.get(dept))
        else:
            users[username] = existing  # keep whatever password the operator may have changed
    if not DisclosureTable.objects.filter(department=seed_dept, year__year=seed.year).exists():
        t = convert.save_table(seed, user=users["gsl_editor"], department=seed_dept)
        workflow.submit(t, users["gsl_approver"])
        workflow.approve(t, users["czj_reviewer"])
        workflow.publish(t, users["czj_reviewer"], note="演示数据：原表公开")
    if not DisclosureTable.objects.filter(department=second_dept, year__year=second.year).exists():
        t = convert.save_table(second, user=users["jd_editor"], department=second_dept)
        workflow.submit(t, users["jd_approver"])
    return [(u, passwords[u], str(roles.ROLE_NAMES[r]),
             departments[d].name if d else "财政局") for u, r, d in DEMO_USERS]

"""The finance bureau's dashboard: figures stored on save, aggregated per year across
departments, each drilling down to its projects; sortable comparison; XLSX; who may see it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jixiao.core.checks import check_project
from jixiao.core.money import MoneyUnit
from jixiao.core.scoring import score_project
from jixiao.web.dashboard import aggregate, stats, table_figures
from jixiao.web.dashboard.models import FindingStat, ProjectStat, ShownVersion
from jixiao.web.entry import convert
from jixiao.web.entry.models import Department, DisclosureTable, Project, Year

from .conftest import bring_to, make_project
from .helpers import queries_of_get

DASH = "/dashboard/"


@pytest.fixture
def demo(db, tmp_path):
    from django.contrib.auth.models import User

    from jixiao.web import demo_data

    demo_data.load(tmp_path)
    return {u.username: u for u in User.objects.all()}


def sort_rows(rows: list[dict], key: str, descending: bool) -> list[dict]:
    """The comparison sorted in Python, as the page must sort it in SQL: by the column (the
    state's order for 状态), then the department name; empty values always last."""
    if key == "status":
        order = ("missing", "draft", "returned", "submitted", "approved", "published", "revision")
        value = lambda r: order.index(r["state"])  # noqa: E731
    else:
        value = lambda r: r[key]  # noqa: E731
    present = [r for r in rows if value(r) is not None]
    present.sort(key=lambda r: (value(r), r["department"]), reverse=descending)
    return present + [r for r in rows if value(r) is None]


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- figures stored on save ------------------------------------------------------------

@pytest.mark.parametrize("rate, band", [
    (None, "none"), (Decimal("0"), "lt60"), (Decimal("59.99"), "lt60"), (Decimal("60"), "60-80"),
    (Decimal("79.99"), "60-80"), (Decimal("80"), "80-90"), (Decimal("90"), "90-95"), (Decimal("94.99"), "90-95"),
    (Decimal("95"), "95-100"), (Decimal("100"), "95-100"), (Decimal("100.01"), "gt100"),
])
def test_rate_bands(rate, band):
    assert stats.rate_band(rate) == band


def test_amounts_convert_exactly_to_ten_thousandths_of_yuan():
    assert stats.to_e4(Decimal("3.8000"), MoneyUnit.WAN_YUAN) == 38000 * 10000
    assert stats.to_e4(Decimal("0.0001"), MoneyUnit.YUAN) == 1
    assert stats.from_e4_wan(stats.to_e4(Decimal("267.1"), MoneyUnit.WAN_YUAN)) == Decimal("267.1")


def test_saving_a_project_stores_its_figures_from_the_core(world):
    row = world.projects["own"]
    stat = ProjectStat.objects.get(project=row)
    core_table = convert.table_to_core(row.table, [])
    core = convert.project_to_core(row)
    core_table.projects = [core]
    score = score_project(core)
    assert stat.grade == score.grade and Decimal(stat.score_x100) / 100 == score.total
    assert Decimal(stat.evidence_gap_x100) / 100 == score.evidence_gap
    assert stat.execution_rate == Decimal("90.00") and stat.rate_band == "90-95"
    assert stat.budget_e4 == 100 * 10000 * 10000  # 100 万元
    assert stat.year == 2019 and stat.department == world.dept_a
    found = sorted(FindingStat.objects.filter(project=row).values_list("code", flat=True))
    assert found == sorted(f.code for f in check_project(core, table=core_table))

    # Editing changes the figures at once; deleting removes them.
    row.actual_total = Decimal("50.00")
    row.actual_general_budget = Decimal("50.00")
    row.save()
    stat.refresh_from_db()
    assert stat.execution_rate == Decimal("50.00") and stat.rate_band == "lt60"
    row.delete()
    assert not ProjectStat.objects.filter(pk=stat.pk).exists()
    assert not FindingStat.objects.filter(project_id=stat.pk).exists()


def test_the_database_refuses_figures_of_both_a_stored_project_and_a_version_or_of_neither(world):
    stat = ProjectStat.objects.get(project=world.projects["own"])
    version = ShownVersion.objects.create(table=stat.table, number=1, kind="submitted", at=timezone.now())
    frozen = ProjectStat.objects.create(version=version, table=stat.table, year=2019, department=stat.department,
                                        money_unit="万元", rate_band="none")
    figures = {"table": stat.table, "year": 2019, "department": stat.department, "money_unit": "万元",
               "rate_band": "none"}
    for owners in ({"project": world.projects["other"], "version": version}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectStat.objects.create(**owners, **figures)
    for owners in ({"project": world.projects["own"], "stat": frozen}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FindingStat.objects.create(**owners, table=stat.table, year=2019, code="JX201", severity="error")
    assert ProjectStat.objects.count() == 3 and FindingStat.objects.filter(code="JX201", stat=frozen).count() == 0


def test_changing_the_money_unit_recomputes_the_amounts(world):
    table = world.tables["own"]
    table.money_unit = MoneyUnit.YUAN.value
    table.save()
    stat = ProjectStat.objects.get(project=world.projects["own"])
    assert stat.money_unit == "元" and stat.budget_e4 == 100 * 10000  # 100 元


def test_projects_saved_before_the_app_get_figures_after_migrate(world):
    ProjectStat.objects.all().delete()
    FindingStat.objects.all().delete()
    from django.apps import apps

    from jixiao.web.dashboard import signals

    signals.backfill(sender=None, app_config=apps.get_app_config("dashboard"))
    assert ProjectStat.objects.count() == Project.objects.count() == 2
    expected = sorted(FindingStat.objects.values_list("project_id", "code"))
    ProjectStat.objects.all().delete()
    assert stats.refresh(missing=True, batch=1) == 2  # one project per batch: the loop ends
    assert sorted(FindingStat.objects.values_list("project_id", "code")) == expected


# --- who may see it ----------------------------------------------------------------------

def test_only_reviewers_and_administrators_see_the_dashboard(make_world):
    world = make_world("submitted")
    anonymous = Client().get(DASH)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    for role in ("editor", "approver", "editor_b", "approver_b"):
        c = client_for(world.users[role])
        assert c.get(DASH).status_code == 403, role
        assert c.get(reverse("dashboard:projects")).status_code == 403, role
        assert c.get(DASH + "?format=xlsx").status_code == 403, role
        assert 'id="nav-dashboard"' not in c.get("/").content.decode()
    assert client_for(world.nobody).get(DASH).status_code == 403
    for role in ("reviewer", "admin"):
        c = client_for(world.users[role])
        assert c.get(DASH).status_code == 200, role
        assert 'id="nav-dashboard"' in c.get("/").content.decode()


def test_reviewer_sees_submitted_tables_only_and_a_draft_as_not_yet_submitted(make_world):
    world = make_world("draft")
    bring_to(world.tables["own"], "submitted", world.users["approver"], world.users["reviewer"])
    reviewer = world.users["reviewer"]
    rows = {r["department"]: r for r in aggregate.DepartmentRows(reviewer, 2019)}
    assert rows["甲部门"]["projects"] == 1 and rows["甲部门"]["state"] == "submitted"
    assert rows["乙部门"]["projects"] == 0 and rows["乙部门"]["state"] == "draft"
    assert rows["乙部门"]["table_id"] is None  # no link to a table the bureau may not open
    # The drill-down list does not reveal the draft's projects either.
    body = client_for(reviewer).get(reverse("dashboard:projects") + "?year=2019").content.decode()
    assert body.count('class="drill-project"') == 1
    # Administrators may open the draft, but a draft is nobody's figures: not submitted, no figures.
    admin_rows = {r["department"]: r for r in aggregate.DepartmentRows(world.users["admin"], 2019)}
    assert admin_rows["乙部门"]["table_id"] == world.tables["other"].pk
    assert admin_rows["乙部门"]["projects"] == 0 and admin_rows["乙部门"]["status"] == "未报送"


# --- the figures -------------------------------------------------------------------------

def test_dashboard_shows_both_demo_departments_with_their_totals(demo):
    from jixiao.web import demo_data

    c = client_for(demo["czj_reviewer"])
    body = c.get(DASH).content.decode()
    seed, second = demo_data.seed_table(), demo_data.second_table()
    table_html = body[body.index('id="department-table"'):]
    assert seed.department in table_html and second.department in table_html
    ov = aggregate.overview(demo["czj_reviewer"], 2019, date(2020, 1, 1))
    assert ov.projects == len(seed.projects) + len(second.projects)
    assert ov.budget == seed.totals().budget + second.totals().budget  # both in 万元
    assert sum(n for _k, _l, n in ov.bands) == ov.projects
    assert sum(n for _g, n in ov.grades) == ov.projects
    by_name = {d["department"]: d for d in ov.departments}
    assert by_name[seed.department]["budget"] == seed.totals().budget
    assert by_name[seed.department]["state"] == "published"
    assert by_name[second.department]["state"] == "submitted"
    # The charts read their data from a JSON block (no inline script under the CSP).
    assert 'id="dashboard-data" type="application/json"' in body


def test_the_page_loads_every_script_stylesheet_and_icon_from_its_own_static_files(demo, monkeypatch):
    """No CDN (docs/dashboard.md, "Charts (ECharts)"): every address a script, stylesheet or
    icon tag loads is one of the site's /static/ files. The addresses are checked, not the
    page's text: that also holds the page's random CSRF token, which contains "cdn" (in any
    case) on about one page in 500 — a search of the text for "cdn" failed that way. Here the
    token is made to contain it."""
    import django.middleware.csrf as csrf

    monkeypatch.setattr(csrf, "_get_new_csrf_string", lambda: "cdnCDN" + "a" * (csrf.CSRF_SECRET_LENGTH - 6))
    body = client_for(demo["czj_reviewer"]).get(DASH).content.decode()
    assert "cdn" in body.lower()  # in the token, which the check below does not read
    tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", body)
    addresses = [a for tag in tags for a in re.findall(r'\b(?:src|href)="([^"]*)"', tag)]
    assert "/static/dashboard/vendor/echarts/echarts.min.js" in addresses
    assert all(a.startswith("/static/") for a in addresses), addresses


def _links(body: str, pattern: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(pattern, body)]


def test_every_figure_drills_down_to_exactly_its_projects(demo):
    c = client_for(demo["czj_reviewer"])
    body = c.get(DASH).content.decode()
    checked = 0
    for href, count in re.findall(r'<a href="(/dashboard/projects/\?[^"]+)" id="(?:band|grade|finding)-[^"]+">(\d+)</a>',
                                  body):
        listed = c.get(href.replace("&amp;", "&")).content.decode()
        m = re.search(r'id="drill-summary">共 (\d+) 个项目', listed)
        assert m and int(m.group(1)) == int(count), href
        assert listed.count('class="drill-project"') == min(int(count), 50)
        checked += 1
    assert checked >= 7 + 4  # every band and grade (and the findings)
    # A department's row drills down to that department's projects only.
    from jixiao.web import demo_data

    seed = demo_data.seed_table()
    dept = Department.objects.get(name=seed.department)
    listed = c.get(reverse("dashboard:projects") + f"?year=2019&department={dept.pk}").content.decode()
    assert listed.count('class="drill-project"') == len(seed.projects)
    for p in seed.projects:
        assert p.name in listed


def test_most_frequent_findings_are_counted_and_drill_down(demo):
    reviewer = demo["czj_reviewer"]
    ov = aggregate.overview(reviewer, 2019, date(2020, 1, 1))
    assert ov.findings, "the generated department has deliberate inconsistencies"
    counts = [n for _c, _s, _t, n, _p in ov.findings]
    assert counts == sorted(counts, reverse=True)
    code, _sev, title, n, projects = ov.findings[0]
    assert title and FindingStat.objects.filter(year=2019, code=code).count() == n
    listed = client_for(reviewer).get(reverse("dashboard:projects") + f"?year=2019&finding={code}").content.decode()
    assert listed.count('class="drill-project"') == projects


def test_department_table_sorts_by_every_column_on_the_server(demo):
    c = client_for(demo["admin"])
    for key in aggregate.COLUMNS:
        for direction in ("asc", "desc"):
            r = c.get(DASH + f"?year=2019&sort={key}&dir={direction}")
            assert r.status_code == 200
            body = r.content.decode()
            expected = "descending" if direction == "desc" else "ascending"
            assert re.search(rf'aria-sort="{expected}"><a class="sort active" href="[^"]*" id="sort-{key}"', body), key
    rows = sort_rows(list(aggregate.DepartmentRows(demo["admin"], 2019)), "budget", True)
    budgets = [r["budget"] for r in rows if r["budget"] is not None]
    assert budgets == sorted(budgets, reverse=True) and len(budgets) == 2
    body = c.get(DASH + "?year=2019&sort=budget&dir=desc").content.decode()
    table = body[body.index('id="department-table"'):]
    names = [r["department"] for r in rows]
    positions = [table.index(n) for n in names]
    assert positions == sorted(positions)
    # An unknown sort key falls back to the department name rather than failing.
    assert c.get(DASH + "?sort=__class__&dir=sideways").status_code == 200
    # Each header is a link (reachable by keyboard) that reverses the current order.
    href = re.search(r'<a class="sort active" href="([^"]+)" id="sort-budget"', body).group(1)
    assert parse_qs(urlparse(href.replace("&amp;", "&")).query)["dir"] == ["asc"]


def test_the_department_comparison_shows_the_mean_evidence_gap(make_world):
    world = make_world("submitted")
    row = world.projects["own"]
    ProjectStat.objects.filter(project=row).update(evidence_gap_x100=1234)
    table_figures.refresh(row.table_id)  # update() sends no signals (dashboard_refresh does this)
    rows = {r["department"]: r for r in aggregate.DepartmentRows(world.users["admin"], 2019)}
    assert rows[row.table.department.name]["gap"] == Decimal("12.34")
    assert "gap" in aggregate.COLUMNS


def test_drill_down_list_filters_sorts_and_searches(demo):
    c = client_for(demo["admin"])
    url = reverse("dashboard:projects")
    body = c.get(url + "?q=管理事务").content.decode()
    assert body.count('class="drill-project"') == 2  # one in each department
    body = c.get(url + "?year=2019&sort=budget&dir=desc").content.decode()
    names = re.findall(r'class="drill-project">([^<]+)<', body)
    stats_by_name = {s.project.name: s.budget_e4 for s in ProjectStat.objects.select_related("project")}
    assert [stats_by_name[n] for n in names] == sorted(stats_by_name[n] for n in names)[::-1]
    for bad in ("?year=abc", "?band=nope", "?grade=X", "?page=999", "?department=99999999999", "?sort=x"):
        assert c.get(url + bad).status_code == 200, bad


def test_missing_and_overdue_departments(demo):
    reviewer = demo["czj_reviewer"]
    Department.objects.create(name="未报送的测试局", short_name="测试局")
    year = Year.objects.get(year=2019)
    year.deadline = date.today() - timedelta(days=1)
    year.save()
    body = client_for(reviewer).get(DASH + "?year=2019").content.decode()
    outstanding = body[body.index('id="outstanding"'):]
    assert "未报送的测试局" in outstanding and "已过截止日期" in outstanding
    year.deadline = date.today() + timedelta(days=30)
    year.save()
    ov = aggregate.overview(reviewer, 2019, date.today())
    assert not ov.overdue and [d["department"] for d in ov.outstanding] == ["未报送的测试局"]


def test_dashboard_tables_export_as_xlsx(demo):
    from jixiao.web import demo_data

    r = client_for(demo["czj_reviewer"]).get(DASH + "?year=2019&sort=budget&dir=desc&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["概况", "部门对比", "执行率分布", "等级分布", "常见问题", "未报送或逾期"]
    ws = wb["部门对比"]
    header = [c.value for c in ws[1]]
    assert header[0] == "部门" and "预算金额（万元）" in header
    rows = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    seed = demo_data.seed_table()
    assert Decimal(str(rows[seed.department][header.index("预算金额（万元）")])) == seed.totals().budget
    assert sum(row[1] for row in wb["执行率分布"].iter_rows(min_row=2, values_only=True)) == \
        len(seed.projects) + len(demo_data.second_table().projects)


@pytest.mark.parametrize("code, severities, grades", [
    ("zh-hans", {"错误", "警告"}, {"优", "良", "中", "差"}),
    ("en", {"Error", "Warning"}, {"Excellent", "Good", "Fair", "Poor"}),
])
def test_xlsx_rates_are_percent_numbers_and_words_follow_the_language(demo, code, severities, grades):
    client = client_for(demo["czj_reviewer"])
    client.cookies["django_language"] = code
    page = client.get(DASH + "?year=2019").content.decode()
    wb = load_workbook(BytesIO(client.get(DASH + "?year=2019&format=xlsx").content))
    summary, departments, findings, by_grade = wb.worksheets[0], wb.worksheets[1], wb.worksheets[4], wb.worksheets[3]
    rate = summary["B5"]
    assert isinstance(rate.value, (int, float)) and rate.number_format == "0.00%"
    assert f"{Decimal(str(rate.value)) * 100:.2f}%" in page  # the page's rate, as a number
    assert summary["B3"].number_format == summary["B4"].number_format == "#,##0.00"
    header = [c.value for c in departments[1]]
    col = header.index("执行率" if code == "zh-hans" else "Execution rate") + 1
    cells = [departments.cell(row=r, column=col) for r in range(2, departments.max_row + 1)]
    assert cells and all(isinstance(c.value, (int, float)) and 0 < c.value < 2 and c.number_format == "0.00%"
                         for c in cells)
    found = {row[1] for row in findings.iter_rows(min_row=2, values_only=True)}
    assert found and found <= severities | ({"提示"} if code == "zh-hans" else {"Note"})
    assert {row[0] for row in by_grade.iter_rows(min_row=2, values_only=True)} <= grades


def test_page_markup_is_accessible_and_printable(demo):
    body = client_for(demo["admin"]).get(DASH).content.decode()
    assert "<th scope=\"col\"" in body and "<th scope=\"row\"" in body
    assert 'role="search"' in body and '<label for="dash-year">' in body
    assert "<script>" not in body and " style=" not in body  # the CSP forbids inline code
    from pathlib import Path

    import jixiao.web.dashboard as app

    css = (Path(app.__file__).parent / "static/dashboard/dashboard.css").read_text(encoding="utf-8")
    assert re.search(r"@media print\s*{\s*@page\s*{\s*size:\s*A3 landscape", css)


def test_a_stored_table_with_a_new_project_appears_in_the_figures(demo):
    reviewer = demo["czj_reviewer"]
    before = aggregate.overview(reviewer, 2019, date(2020, 1, 1)).projects
    table = DisclosureTable.objects.filter(status="submitted").first()
    make_project(table, seq=99, name="新增的测试项目", budget=Decimal("10.00"), actual_total=Decimal("12.00"),
                 actual_general_budget=Decimal("12.00"))
    ov = aggregate.overview(reviewer, 2019, date(2020, 1, 1))
    assert ov.projects == before + 1
    assert dict((k, n) for k, _l, n in ov.bands)["gt100"] >= 1


def test_dashboard_queries_do_not_grow_with_projects_or_departments(demo):
    c = client_for(demo["czj_reviewer"])

    def count() -> int:
        return queries_of_get(c, DASH + "?year=2019")

    before = count()
    table = DisclosureTable.objects.filter(status="submitted").first()
    for seq in range(20, 40):
        make_project(table, seq=seq, name=f"追加项目{seq}")
    for i in range(5):
        Department.objects.create(name=f"追加部门{i}")
    assert count() == before
    # Session and user, summary, findings, year, department page and its count, chart, outstanding.
    assert before <= 17


def test_many_departments_are_paged_and_the_chart_shows_the_largest(demo):
    import json

    for i in range(60):
        Department.objects.create(name=f"编号{i:02d}局")
    c = client_for(demo["admin"])
    first = c.get(DASH + "?year=2019&sort=department&dir=asc").content.decode()
    table = first[first.index('id="department-table"'):first.index("</table>", first.index('id="department-table"'))]
    assert table.count("<tr>") - 1 == 50  # header row + 50 departments
    assert "共 62 个部门" in first
    second = c.get(DASH + "?year=2019&sort=department&dir=asc&dpage=2").content.decode()
    table2 = second[second.index('id="department-table"'):second.index("</table>", second.index('id="department-table"'))]
    assert table2.count("<tr>") - 1 == 12
    data = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', first).group(1))
    assert len(data["departments"]["labels"]) == 2  # only departments with a budget, at most 20
    wb = load_workbook(BytesIO(c.get(DASH + "?year=2019&format=xlsx").content))
    assert wb["部门对比"].max_row == 1 + 62  # the export has every department
    assert wb["未报送或逾期"].max_row == 1 + 60


def test_department_rows_are_sorted_and_paged_in_sql_like_sort_rows(demo):
    """The page's SQL sort (and slice) gives the same order as sorting every row in Python."""
    from jixiao.web.entry.models import Department as Dept

    for i in range(7):
        Dept.objects.create(name=f"排序测试局{i}", short_name=f"测{i}")
    admin = demo["admin"]
    every = list(aggregate.DepartmentRows(admin, 2019))
    assert len(every) == Dept.objects.count()
    rows = aggregate.DepartmentRows(admin, 2019)
    for key in aggregate.COLUMNS:
        for descending in (False, True):
            expected = [r["department"] for r in sort_rows(every, key, descending)]
            ordered = rows.sorted(key, descending)
            assert [r["department"] for r in ordered] == expected, (key, descending)
            assert [r["department"] for r in ordered[3:6]] == expected[3:6], (key, descending)
    assert len(rows) == len(every) and rows[0] == every[0]


def test_cached_figures_are_renewed_by_every_change(demo):
    """The year's figures are cached; a new project, a deleted one and a new department show
    on the very next page view."""
    c = client_for(demo["admin"])

    def kpi() -> int:
        body = c.get(DASH + "?year=2019").content.decode()
        return int(re.search(r'id="kpi-projects">.*?class="kpi-value">(\d+)<', body, re.S).group(1))

    before = kpi()
    assert kpi() == before  # served from the cache
    table = DisclosureTable.objects.filter(year__year=2019).first()
    added = make_project(table, seq=90, name="缓存测试项目")
    assert kpi() == before + 1
    added.delete()
    assert kpi() == before
    n = len(aggregate.DepartmentRows(demo["admin"], 2019))
    Department.objects.create(name="缓存测试局")
    assert len(aggregate.DepartmentRows(demo["admin"], 2019)) == n + 1

"""Import into a chosen table: the year picked on the upload form decides the table whatever the
file says (with a warning when they differ); the preview shows every column of the layout and
each project's findings; replacing a draft lists the projects removed, added and updated."""

from __future__ import annotations

import html as h

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.core import checks
from jixiao.formats import table_json
from jixiao.web.entry import convert
from jixiao.web.entry.models import DisclosureTable, ImportRun, Year

from .conftest import World, make_project


def _upload(client, path, department, year=None):
    with open(path, "rb") as f:
        data = {"file": f, "department": department.pk}
        if year is not None:
            data["year"] = year
        return client.post(reverse("entry:import"), data)


def editor_client(world, language=None) -> Client:
    client = Client()
    client.force_login(world.users["editor"])
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.mark.django_db
def test_the_2019_seed_is_imported_as_the_2025_draft_with_a_warning(golden_path):
    world = World("draft")
    Year.objects.create(year=2025)
    client = editor_client(world)
    assert 'name="year"' in client.get(reverse("entry:import")).content.decode()
    r = _upload(client, golden_path, world.dept_a, 2025)
    assert r.status_code == 302
    run = ImportRun.objects.get()
    assert run.year == 2025 and run.file_year == 2019
    preview = client.get(r["Location"]).content.decode()
    assert 'id="import-year-warning"' in preview and "文件中的年度为 2019；将导入到 2025 年度。" in preview
    client.post(reverse("entry:import_confirm", args=[run.pk]))
    table = DisclosureTable.objects.get(department=world.dept_a, year__year=2025)
    assert table.status == "draft" and table.projects.count() == 6
    assert table.title.startswith("2025年度")
    # The 2019 table was left alone.
    assert DisclosureTable.objects.get(department=world.dept_a, year__year=2019).projects.count() == 1


@pytest.mark.django_db
def test_without_a_chosen_year_the_file_year_is_used_and_nothing_is_warned(golden_path):
    world = World("draft")
    client = editor_client(world)
    r = _upload(client, golden_path, world.dept_a)
    run = ImportRun.objects.get()
    assert run.year == 2019 and run.file_year is None
    assert 'id="import-year-warning"' not in client.get(r["Location"]).content.decode()


@pytest.mark.django_db
def test_a_year_not_offered_is_refused(golden_path):
    world = World("draft")
    r = _upload(editor_client(world), golden_path, world.dept_a, 1999)
    assert r.status_code == 200 and r.context["form"].errors["year"]
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_the_english_preview_warns_about_the_year_in_english(golden_path):
    world = World("draft")
    Year.objects.create(year=2025)
    client = editor_client(world, "en")
    r = _upload(client, golden_path, world.dept_a, 2025)
    preview = client.get(r["Location"]).content.decode()
    assert "The file says 2019; it will be imported into 2025." in preview


@pytest.mark.django_db
def test_the_preview_shows_every_column_and_each_projects_findings(golden_path):
    world = World("draft")
    Year.objects.create(year=2025)
    client = editor_client(world)
    r = _upload(client, golden_path, world.dept_a, 2025)
    preview = client.get(r["Location"]).content.decode()
    seed = table_json.load(golden_path)
    body = preview[preview.index('id="import-projects"'):]
    for heading in ("年初绩效目标", "绩效目标整体完成情况", "数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标",
                    "生态效益指标", "服务对象满意度指标", "项目执行中存在的问题", "整改情况", "一般公共预算", "检查"):
        assert heading in body, heading
    assert body.count('class="import-project"') == len(seed.projects)
    for p in seed.projects:
        for text in (p.annual_goal, p.overall_completion, p.problems, p.rectification):
            assert h.escape(text) in body
        for cell in p.indicators.values():
            assert h.escape(cell.target) in body and h.escape(cell.actual) in body
    # Each project's findings, as the check registry reports them (the table page's findings).
    found = [f for f in checks.check_table(seed.moved_to_year(2025)) if f.project_seq is not None]
    assert found
    for f in found:
        assert f"<b>{f.code}</b>" in body


@pytest.mark.django_db
def test_replacing_a_draft_lists_the_projects_removed_added_and_updated(golden_path):
    world = World("draft")
    Year.objects.create(year=2025)
    seed = table_json.load(golden_path)
    draft = DisclosureTable.objects.create(year=Year.objects.get(year=2025), department=world.dept_a)
    convert.save_table(seed.moved_to_year(2025), department=world.dept_a, existing=draft)
    draft.projects.filter(seq=seed.projects[1].seq).update(actual_total=1)  # differs from the file
    draft.projects.filter(seq=seed.projects[2].seq).delete()
    make_project(draft, seq=90, name="只在草稿中的项目")
    client = editor_client(world)
    r = _upload(client, golden_path, world.dept_a, 2025)
    preview = client.get(r["Location"]).content.decode()
    changes = preview[preview.index('id="import-changes"'):preview.index("</section>", preview.index('id="import-changes"'))]
    removed = changes[changes.index('id="import-removed"'):changes.index('id="import-added"')]
    added = changes[changes.index('id="import-added"'):changes.index('id="import-updated"')]
    updated = changes[changes.index('id="import-updated"'):]
    assert "90. 只在草稿中的项目" in removed
    assert f"{seed.projects[2].seq}. {seed.projects[2].name}" in added
    assert f"{seed.projects[1].seq}. {seed.projects[1].name}" in updated
    assert seed.projects[0].name not in changes  # unchanged
    assert "删除 1 个项目，新增 1 个，修改 1 个，4 个不变。" in changes
    assert 'aria-describedby="import-changes"' in preview and "确认并替换现有草稿" in preview

"""The finance bureau's score overrides: stored with who, when and why; bad input is a field
error; markup is escaped; overrides reach the MoF form, the history and the publication
snapshot; two reviewers never silently overwrite each other."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.entry.models import Project
from jixiao.web.review import overrides, workflow

from .conftest import World

SCRIPT = '<script>alert("x")</script><b>粗</b>'


def _client(world, role):
    c = Client()
    c.force_login(world.users[role])
    return c


def _url(project):
    return reverse("review:project_scores", args=[project.pk])


def _post(client, project, item, score, reason, version=None):
    version = Project.objects.get(pk=project.pk).version if version is None else version
    return client.post(_url(project), {"item": item, "version": version, f"{item}-score": score,
                                       f"{item}-reason": reason})


@pytest.fixture
def submitted(db):
    return World("submitted")


def test_override_is_stored_with_who_when_and_reason_and_the_suggestion_kept(submitted):
    world = submitted
    project = world.projects["own"]
    reviewer = _client(world, "reviewer")
    page = reviewer.get(_url(project)).content.decode()
    # The suggestions with their reasons: 执行率 90% of 10 points, the cells and their items.
    assert "9.00" in page and "培训≥4次" in page and "满意度≥90%" in page and "预算执行率90.00%" in page

    before = Project.objects.get(pk=project.pk).version
    r = _post(reviewer, project, "quantity", "40.5", "培训质量一般，按抽查结果调整")
    assert r.status_code == 302 and r["Location"] == _url(project)
    stored = Project.objects.get(pk=project.pk)
    assert stored.version == before + 1 and stored.updated_by == world.users["reviewer"]
    [ov] = stored.overrides
    assert ov["item"] == "quantity" and ov["score"] == "40.50" and ov["reason"] == "培训质量一般，按抽查结果调整"
    assert ov["by"] == "reviewer" and ov["at"][:4].isdigit() and "+08:00" in ov["at"]

    # The page shows the override beside the suggestion; the total follows the override.
    page = reviewer.get(_url(project)).content.decode()
    assert "调整为 40.50 分" in page and "培训质量一般" in page
    from jixiao.core.scoring import score_project
    from jixiao.web.entry import convert

    score = score_project(convert.project_to_core(stored))
    quantity = score.categories[0].indicators[0]
    assert quantity.score == Decimal("40.50") and quantity.suggested == Decimal("50.00")
    assert score.total == Decimal("9.00") + Decimal("40.50") + score.categories[2].score

    # A second override of the same item replaces the first (one per item), a new item adds one.
    assert _post(reviewer, project, "quantity", "45", "复核后改为45分").status_code == 302
    assert _post(reviewer, project, "total", "88", "综合考虑").status_code == 302
    stored.refresh_from_db()
    assert [(o["item"], o["score"]) for o in stored.overrides] == [("quantity", "45.00"), ("total", "88.00")]


def test_override_is_in_the_history_and_shown_read_only_to_the_department(submitted):
    world = submitted
    project = world.projects["own"]
    reviewer = _client(world, "reviewer")
    assert _post(reviewer, project, "execution", "8", "支出进度偏慢").status_code == 302
    records = list(Project.objects.get(pk=project.pk).history.order_by("-history_date", "-history_id"))
    assert records[0].history_user == world.users["reviewer"]
    assert records[0].overrides[0]["reason"] == "支出进度偏慢" and records[1].overrides == []
    history = reviewer.get(reverse("entry:project_history", args=[project.pk])).content.decode()
    assert "评分调整" in history and "预算执行率 = 8.00（支出进度偏慢；reviewer" in history

    for role in ("editor", "approver"):
        dept = _client(world, role)
        page = dept.get(reverse("entry:project", args=[project.pk])).content.decode()
        assert "财政局评分调整" in page and "支出进度偏慢" in page and "8.00" in page
        assert _url(project) not in page  # no link to the reviewer's page …
        assert dept.get(_url(project)).status_code == 403  # … and no way in
        assert _post(dept, project, "execution", "10", "自己改").status_code == 403
    assert Project.objects.get(pk=project.pk).overrides[0]["score"] == "8.00"
    # The reviewer's project page links to the score page.
    assert _url(project) in reviewer.get(reverse("entry:project", args=[project.pk])).content.decode()


def test_removing_an_override_restores_the_suggestion(submitted):
    world = submitted
    project = world.projects["own"]
    reviewer = _client(world, "admin")
    assert _post(reviewer, project, "satisfaction", "5", "问卷样本过少").status_code == 302
    version = Project.objects.get(pk=project.pk).version
    r = reviewer.post(_url(project), {"item": "satisfaction", "version": version, "action": "remove"})
    assert r.status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert stored.overrides == [] and stored.version == version + 1
    page = reviewer.get(_url(project)).content.decode()
    assert "问卷样本过少" not in page and "撤销调整" not in page


@pytest.mark.parametrize("item,score,reason,field,message", [
    ("execution", "abc", "理由", "score", "请输入数字得分"),
    ("execution", "NaN", "理由", "score", "请输入数字得分"),
    ("execution", "-1", "理由", "score", "得分应在 0 至 10.00 分之间"),
    ("execution", "10.01", "理由", "score", "得分应在 0 至 10.00 分之间"),
    ("total", "100.5", "理由", "score", "得分应在 0 至 100.00 分之间"),
    ("quantity", "40.001", "理由", "score", "得分最多保留 2 位小数"),
    ("quantity", "", "理由", "score", "这个字段是必填项"),
    ("quantity", "40", "", "reason", "这个字段是必填项"),
    ("quantity", "40", "   ", "reason", "这个字段是必填项"),
    ("quantity", "40", "长" * 2001, "reason", "2000"),
    ("quantity", "40", "含\x00空字符", "reason", "不允许是用空字符串"),  # Django's own (odd) wording
    ("quantity", "40", "含\x1b控制字符", "reason", "控制字符"),  # jixiao.core.validation's bound
])
def test_bad_input_is_a_field_error_and_nothing_is_saved(submitted, item, score, reason, field, message):
    world = submitted
    project = world.projects["own"]
    version = Project.objects.get(pk=project.pk).version
    r = _post(_client(world, "reviewer"), project, item, score, reason)
    assert r.status_code == 400
    page = r.content.decode()
    assert "errorlist" in page and message in page
    form = r.context["rows"][[row["item"].key for row in r.context["rows"]].index(item)]["form"]
    assert field in form.errors and set(form.errors) == {field}
    stored = Project.objects.get(pk=project.pk)
    assert stored.overrides == [] and stored.version == version


def test_unknown_item_is_refused(submitted):
    world = submitted
    project = world.projects["own"]
    # "quality" is a real kind, but this project has no 质量指标 cell: nothing to override.
    for item in ("quality", "nonsense", ""):
        r = _post(_client(world, "reviewer"), project, item, "1", "理由")
        assert r.status_code == 400 and "没有这一评分项" in r.content.decode()
    assert Project.objects.get(pk=project.pk).overrides == []


def test_markup_in_the_reason_is_escaped_everywhere(submitted):
    world = submitted
    project = world.projects["own"]
    reviewer = _client(world, "reviewer")
    assert _post(reviewer, project, "quantity", "30", SCRIPT).status_code == 302
    assert Project.objects.get(pk=project.pk).overrides[0]["reason"] == SCRIPT  # stored verbatim
    pages = [
        reviewer.get(_url(project)),
        reviewer.get(reverse("entry:project_history", args=[project.pk])),
        _client(world, "editor").get(reverse("entry:project", args=[project.pk])),
        reviewer.get(reverse("entry:project_mof", args=[project.pk, "html"])),
    ]
    for r in pages:
        body = r.content.decode()
        assert r.status_code == 200
        assert "<script>alert" not in body and "<b>粗</b>" not in body
        assert "&lt;script&gt;" in body


def test_override_is_on_the_mof_form_in_every_export_and_in_the_publication_snapshot(submitted):
    world = submitted
    project = world.projects["own"]
    table = world.tables["own"]
    reviewer = _client(world, "reviewer")
    assert _post(reviewer, project, "quantity", "42", "抽查发现两次培训未签到").status_code == 302

    # MoF form: the stored score, the suggestion and the reason (HTML and XLSX).
    mof = reviewer.get(reverse("entry:project_mof", args=[project.pk, "html"])).content.decode()
    assert "数量指标得分经评价人调整为 42.00（系统建议 50.00）" in mof
    assert "理由：抽查发现两次培训未签到" in mof and "调整人：reviewer" in mof
    import io

    import openpyxl

    xlsx = reviewer.get(reverse("entry:project_mof", args=[project.pk, "xlsx"]))
    cells = [str(c.value) for ws in openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("抽查发现两次培训未签到" in c and "系统建议 50.00" in c for c in cells)
    # The table JSON download carries the override too.
    doc = reviewer.get(reverse("entry:table_download", args=[table.pk, "json"])).json()
    assert doc["projects"][0]["overrides"][0]["reason"] == "抽查发现两次培训未签到"

    # Approve and publish: the snapshot keeps it, the public download too; closed afterwards.
    table.refresh_from_db()
    workflow.approve(table, world.users["reviewer"])
    assert _post(reviewer, project, "quantity", "10", "审核后再改").status_code == 403
    assert reviewer.post(reverse("review:publish", args=[table.pk]), {"note": ""}).status_code == 302
    pub = table.publications.get()
    [ov] = pub.snapshot["projects"][0]["overrides"]
    assert ov["item"] == "quantity" and ov["score"] == "42.00" and ov["by"] == "reviewer"
    assert ov["reason"] == "抽查发现两次培训未签到"
    public = Client().get(reverse("review:publication_download", args=[pub.pk, "json"])).json()
    assert public["projects"][0]["overrides"] == pub.snapshot["projects"][0]["overrides"]
    assert _post(reviewer, project, "quantity", "10", "公开后再改").status_code == 403
    # The score page stays readable, without forms.
    page = reviewer.get(_url(project)).content.decode()
    assert "抽查发现两次培训未签到" in page and "保存调整" not in page


def test_a_concurrent_override_is_refused_not_silently_overwritten(submitted):
    world = submitted
    project = world.projects["own"]
    alice, bob = _client(world, "reviewer"), _client(world, "admin")
    started = Project.objects.get(pk=project.pk).version  # both pages were loaded at this version
    assert alice.get(_url(project)).status_code == 200 and bob.get(_url(project)).status_code == 200

    assert _post(alice, project, "execution", "7", "爱丽丝的理由", version=started).status_code == 302
    second = _post(bob, project, "quantity", "20", "鲍勃的理由", version=started)
    assert second.status_code == 409
    page = second.content.decode()
    assert "此项目已被他人修改" in page and "reviewer" in page
    assert "爱丽丝的理由" in page  # the current state is shown …
    assert "鲍勃的理由" in page  # … and bob's input is kept in his form
    stored = Project.objects.get(pk=project.pk)
    assert [(o["item"], o["reason"]) for o in stored.overrides] == [("execution", "爱丽丝的理由")]
    assert stored.version == started + 1

    # A removal from a stale page is refused too.
    r = bob.post(_url(project), {"item": "execution", "version": started, "action": "remove"})
    assert r.status_code == 409 and Project.objects.get(pk=project.pk).overrides != []

    # From the current version bob's override goes through, next to alice's.
    assert _post(bob, project, "quantity", "20", "鲍勃的理由", version=started + 1).status_code == 302
    assert [o["item"] for o in Project.objects.get(pk=project.pk).overrides] == ["execution", "quantity"]


def test_no_override_once_the_table_left_review(submitted):
    """The status is checked again inside the write: an approval in between wins, nothing is written."""
    world = submitted
    project = Project.objects.get(pk=world.projects["own"].pk)
    table = world.tables["own"]
    workflow.approve(table, world.users["reviewer"])
    with pytest.raises(overrides.NotUnderReview):
        overrides.set_override(project, project.version, world.users["reviewer"], "total", Decimal("50"), "理由")
    stored = Project.objects.get(pk=project.pk)
    assert stored.overrides == [] and stored.version == project.version


def test_one_item_of_a_cell_with_several_is_overridden_on_its_own(submitted):
    world = submitted
    project = world.projects["own"]
    cells = dict(project.indicators)
    cells["quantity"] = {"target": "培训≥4次；参训人数≥100人", "actual": "培训5次；参训人数120人"}
    Project.objects.filter(pk=project.pk).update(indicators=cells)
    reviewer = _client(world, "reviewer")
    page = reviewer.get(_url(project)).content.decode()
    # one row per 三级 item of the two-item cell, each with its own form
    assert 'id="item-quantity.1"' in page and 'id="item-quantity.2"' in page
    assert 'id="btn-override-quantity.2"' in page and "参训人数≥100人" in page
    # an item's override is bounded by the item's weight (25 of the cell's 50), not the cell's
    r = _post(reviewer, project, "quantity.2", "30", "超出分值")
    assert r.status_code == 400 and Project.objects.get(pk=project.pk).overrides == []
    r = _post(reviewer, project, "quantity.2", "20", "参训人员构成不符合要求")
    assert r.status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert [(o["item"], o["score"], o["target"]) for o in stored.overrides] == [("quantity.2", "20.00", "参训人数≥100人")]

    from jixiao.core.scoring import score_project
    from jixiao.web.entry import convert

    quantity = score_project(convert.project_to_core(stored)).categories[0].indicators[0]
    assert [it.score for it in quantity.items] == [Decimal("25.00"), Decimal("20.00")]
    assert quantity.score == Decimal("45.00") and quantity.suggested == Decimal("50.00")
    page = reviewer.get(_url(project)).content.decode()
    assert "调整为 20.00 分" in page and "参训人员构成不符合要求" in page
    assert "数量指标第2项“参训人数≥100人”得分经评价人调整为20.00分" in page
    # the cell's table of items keeps the suggestion in its 建议得分 column (then the evidenced
    # score, which an override sets alike, and the published one: none)
    assert page.count('<td class="num">25.00</td><td class="num">25.00</td><td class="num">25.00</td>'
                      '<td class="num">—</td></tr>') == 1
    assert page.count('<td class="num">25.00</td><td class="num">25.00</td><td class="num">20.00</td>'
                      '<td class="num">—</td></tr>') == 1
    assert 'id="evidence-gap"' in page
    # the English page names the item in English
    reviewer.cookies["django_language"] = "en"
    english = reviewer.get(_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ", item 2" in english and "score adjusted by the evaluator to 20.00 points" in english

    # the department sees it read-only on its project page, named as the item
    editor = _client(world, "editor")
    own = editor.get(reverse("entry:project", args=[project.pk])).content.decode()
    assert "数量指标 第 2 项" in own and "参训人员构成不符合要求" in own and "20.00" in own

    # the cell edited afterwards (item 2 is another item now): the override is set aside and said
    Project.objects.filter(pk=project.pk).update(indicators={**cells, "quantity": {
        "target": "参训人数≥100人；培训≥4次", "actual": "参训人数120人；培训5次"}})
    reviewer.cookies["django_language"] = "zh-hans"
    page = reviewer.get(_url(project)).content.decode()
    assert "针对的三级指标“参训人数≥100人”已改为“培训≥4次”，未采用，请重新评分" in page

    # removed: the suggestion applies again
    version = Project.objects.get(pk=project.pk).version
    r = reviewer.post(_url(project), {"item": "quantity.2", "version": version, "action": "remove"})
    assert r.status_code == 302 and Project.objects.get(pk=project.pk).overrides == []


def test_a_cell_of_one_item_offers_no_item_override(submitted):
    world = submitted
    project = world.projects["own"]
    reviewer = _client(world, "reviewer")
    page = reviewer.get(_url(project)).content.decode()
    assert 'id="item-quantity"' in page and 'id="item-quantity.1"' not in page
    r = _post(reviewer, project, "quantity.1", "10", "单项")
    assert r.status_code == 400 and Project.objects.get(pk=project.pk).overrides == []

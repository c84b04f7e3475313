"""Browser test of two editors saving one project at once (Playwright, Debian's Chromium).

Two browser contexts open the same project. Different fields: both saves keep their change,
the second says which field the other editor changed. The same field: the second save shows
the merge choice (409) for only that field, and saving with "take theirs" succeeds.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.web.entry.models import Project

from .browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_two_editors_keep_changes_to_different_fields_and_choose_on_the_same_field(browser, site):
    world, base = site
    project = world.tables["own"].projects.order_by("seq").first()
    url = base + reverse("entry:project", args=[project.pk])
    alice, bob = login(browser, base, "editor"), login(browser, base, "approver")
    alice.goto(url)
    bob.goto(url)

    # Different fields from the same version: both kept, no conflict.
    alice.fill("#id_problems", "爱丽丝写的问题")
    alice.click("#btn-save")
    alice.wait_for_selector(".msg-success")
    bob.fill("#id_rectification", "鲍勃写的整改")
    bob.click("#btn-save")
    bob.wait_for_selector(".msg-info")
    assert "项目执行中存在的问题" in bob.locator(".msg-info").inner_text()
    stored = Project.objects.get(pk=project.pk)
    assert stored.problems == "爱丽丝写的问题" and stored.rectification == "鲍勃写的整改"

    # The same field, from the same (now current) version: the second save shows the choice.
    alice.goto(url)
    bob.goto(url)
    alice.fill("#id_annual_goal", "爱丽丝的目标")
    alice.click("#btn-save")
    alice.wait_for_selector(".msg-success")
    bob.fill("#id_annual_goal", "鲍勃的目标")
    bob.fill("#id_overall_completion", "鲍勃的完成情况")
    bob.click("#btn-save")
    bob.wait_for_selector("#conflict")
    rows = bob.locator("#conflict tbody tr")
    assert rows.count() == 1 and "年初绩效目标" in rows.inner_text()
    assert bob.locator('input[name="keep_annual_goal"][value="mine"]').is_checked()
    bob.check('input[name="keep_annual_goal"][value="theirs"]')
    bob.click("#btn-merge-save")
    bob.wait_for_selector(".msg-success")
    stored = Project.objects.get(pk=project.pk)
    assert stored.annual_goal == "爱丽丝的目标" and stored.overall_completion == "鲍勃的完成情况"
    assert stored.problems == "爱丽丝写的问题" and stored.rectification == "鲍勃写的整改"
    alice.context.close()
    bob.context.close()

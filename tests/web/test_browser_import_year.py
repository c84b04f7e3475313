"""Browser test: an editor imports the 2019 seed file into the 2025 table, sees the year
warning, every indicator cell and each project's findings in the preview, and confirms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_editor_imports_the_seed_into_2025_and_checks_indicators_and_findings(browser, site, golden_path, shots):
    from jixiao.core import checks
    from jixiao.formats import table_json
    from jixiao.web.entry.models import DisclosureTable, Year

    world, base = site
    Year.objects.get_or_create(year=2025)
    seed = table_json.load(golden_path)
    page = login(browser, base, "editor")
    page.goto(base + reverse("entry:import"))
    page.set_input_files("#id_file", str(golden_path))
    page.select_option("#id_year", "2025")
    page.click("#btn-upload")
    page.wait_for_selector("#import-projects")
    assert "2019" in page.inner_text("#import-year-warning") and "2025" in page.inner_text("#import-year-warning")
    rows = page.locator("#import-projects tbody tr")
    assert rows.count() == len(seed.projects)
    # The quantity indicator of the third project: target and completion, as in the file.
    third = seed.projects[2]
    cell = third.indicators["quantity"]
    text = rows.nth(2).inner_text()
    assert cell.target in text and cell.actual in text and third.problems in text
    expected = {(f.project_seq, f.code) for f in checks.check_table(seed.moved_to_year(2025))
                if f.project_seq is not None}
    assert expected
    shown = set()
    for i, p in enumerate(seed.projects):
        for code in rows.nth(i).locator(".project-findings li b").all_inner_texts():
            shown.add((p.seq, code))
    assert shown == expected
    shots(page, "25-import-preview-2025")
    page.click("#btn-confirm")
    page.wait_for_url(lambda url: "/tables/" in url)
    table = DisclosureTable.objects.get(department=world.dept_a, year__year=2025)
    assert table.projects.count() == len(seed.projects) and table.status == "draft"

"""The dashboard's charts at 390 px (an iPhone 12-14 in portrait): no two texts drawn in a chart —
axis labels, value labels, slice labels, legend — overlap, nor after widening to 1366 px (Playwright driving Debian's Chromium
against a live server loaded with the demo data).

The charts are drawn on a canvas, so their texts are not elements to measure. ECharts' own
server-side SVG rendering (``echarts.init(null, null, {renderer: "svg", ssr: true})`` and
``renderToSVGString``, public API) lays out the chart's option (``getOption``) at the chart's
size with the same code; the SVG is opened in a page of its own (no CSP there, so its fonts are
applied) and each ``<text>``'s box is measured. Axis labels are never rotated, so the boxes are
the texts' own.
"""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from .test_browser_dashboard_portal import demo_site, new_page  # noqa: F401 - demo_site is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
CHARTS = ("chart-bands", "chart-grades", "chart-departments")

AS_SVG = """(id) => {
    const el = document.getElementById(id);
    const chart = echarts.getInstanceByDom(el);
    const ssr = echarts.init(null, null, {renderer: "svg", ssr: true, width: el.clientWidth, height: el.clientHeight});
    ssr.setOption(chart.getOption());
    const svg = ssr.renderToSVGString();
    ssr.dispose();
    return svg;
}"""

BOXES = """() => [...document.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


def overlapping(boxes: list[dict], slack: float = 0.5) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for a, b in itertools.combinations(boxes, 2)
            if a["left"] < b["right"] - slack and b["left"] < a["right"] - slack
            and a["top"] < b["bottom"] - slack and b["top"] < a["bottom"] - slack]


def more_departments(n: int) -> None:
    """``n`` departments with long names, each with a submitted 2019 table of one project, so
    the departments' chart is as full as a district's."""
    from decimal import Decimal

    from jixiao.web.entry.models import Department, DisclosureTable, Year

    from .conftest import bring_to, make_project

    year = Year.objects.get(year=2019)
    for i in range(n):
        dept = Department.objects.create(name=f"深圳市龙岗区第{i + 1}街道办事处", short_name=f"街道{i + 1}")
        table = DisclosureTable.objects.create(year=year, department=dept, department_short=dept.short_name)
        make_project(table, budget=Decimal(100 + 40 * i), actual_total=Decimal(90 + 40 * i),
                     actual_general_budget=Decimal(90 + 40 * i), execution_rate_text="")
        bring_to(table, "submitted", None, None)


def test_no_two_chart_labels_overlap_at_390_px(browser, demo_site):  # noqa: F811 - the imported fixture
    users, base = demo_site
    more_departments(12)
    errors: list[str] = []
    page = new_page(browser, errors)
    page.set_viewport_size(PHONE)
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", "czj_reviewer")
    page.fill("#id_password", users["czj_reviewer"])
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    page.goto(base + reverse("dashboard:index") + "?year=2019")
    page.wait_for_selector("#chart-departments canvas")
    assert overlaps(browser, page) == {chart: [] for chart in CHARTS}
    # Widened past the phone layout (the resize lays the charts out again): still none.
    page.set_viewport_size(LAPTOP)
    page.wait_for_function("() => document.getElementById('chart-departments').clientWidth > 1000")
    assert overlaps(browser, page) == {chart: [] for chart in CHARTS}
    assert not errors, errors
    page.context.close()


def overlaps(browser, page) -> dict[str, list[tuple[str, str]]]:
    """Each chart's overlapping texts, as laid out at the chart's present size."""
    svg_page = browser.new_page()
    found = {}
    for chart in CHARTS:
        svg = page.evaluate(AS_SVG, chart)
        svg_page.set_content(f"<!doctype html><html><body style='margin:0'>{svg}</body></html>")
        boxes = svg_page.evaluate(BOXES)
        assert len(boxes) >= 4, (chart, boxes)  # the texts are there to compare
        found[chart] = overlapping(boxes)
    svg_page.close()
    return found

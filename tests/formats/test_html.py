"""The standalone HTML page of the disclosure table, read back with a real HTML5 parser
(tinyhtml5, WeasyPrint's own parser), so escaping and structure are checked as a browser
and a screen reader would see them."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import tinyhtml5

from jixiao.core.model import IndicatorCell, Project, Table
from jixiao.core.taxonomy import FULL
from jixiao.errors import InputError
from jixiao.formats import headers
from jixiao.formats.html import (
    MAX_UNSPLIT_LINES, column_widths, estimated_lines, render_disclosure_html, text_width,
)

EVIL = '<script>alert("x")</script>&amp;\'"'


def _parse(html: str):
    return tinyhtml5.parse(html, namespace_html_elements=False)


def _text(el) -> str:
    return "".join(el.itertext())


def _table(root):
    tables = root.findall(".//table")
    assert len(tables) == 1
    return tables[0]


def test_page_is_chinese_standalone_and_printable(seed_table):
    html = render_disclosure_html(seed_table)
    root = _parse(html)
    assert root.get("lang") == "zh-CN"
    assert root.find("./head/meta[@charset]").get("charset") == "utf-8"
    assert _text(root.find("./head/title")) == "2019年度区工商联部门预算项目绩效自评情况公开表"
    # No external resource of any kind: no links, scripts, images, imports or URLs.
    for tag in ("link", "script", "img", "iframe", "object"):
        assert root.find(f".//{tag}") is None, tag
    assert not re.search(r"\b(src|href)=|url\(|@import|https?:", html)
    css = _text(root.find("./head/style"))
    assert "size: A3 landscape" in css and "counter(pages)" in css
    assert re.search(r"\.n \{[^}]*text-align: right", css)
    assert "overflow-wrap: anywhere" in css


def test_caption_holds_title_stamp_line_and_unit(seed_table):
    root = _parse(render_disclosure_html(seed_table))
    caption = _table(root).find("./caption")
    assert _text(caption.find("./span[@class='title']")) == seed_table.display_title
    assert _text(caption.find(".//span[@class='stamp']")) == "部门名称（盖章）：深圳市龙岗区工商业联合会"
    assert _text(caption.find(".//span[@class='unit']")) == "单位：万元"
    assert _text(root.find(".//p[@class='attachment']")) == "附件2-3："


def test_thead_is_the_shared_header_with_spans_and_scopes(seed_table):
    table = _table(_parse(render_disclosure_html(seed_table)))
    rows = table.findall("./thead/tr")
    assert len(rows) == headers.header_depth(seed_table) == 3
    got = [(r, _text(th), int(th.get("rowspan", 1)), int(th.get("colspan", 1)), th.get("scope"))
           for r, tr in enumerate(rows) for th in tr.findall("./th")]
    want = [(h.row, h.text, h.rowspan, h.colspan, "colgroup" if h.colspan > 1 else "col")
            for h in headers.header_cells(seed_table)]
    assert got == want
    assert ("政府性基金预算（含2019年政府专项债券资金）" in [g[1] for g in got])


def test_colgroups_follow_the_top_header_and_widths_fill_the_table(seed_table):
    table = _table(_parse(render_disclosure_html(seed_table)))
    groups = table.findall("./colgroup")
    top = [h for h in headers.header_cells(seed_table) if h.row == 0]
    assert [len(g.findall("./col")) for g in groups] == [h.colspan for h in top]
    widths = [float(re.search(r"width:([\d.]+)%", c.get("style")).group(1))
              for c in table.findall("./colgroup/col")]
    assert len(widths) == 28 and sum(widths) == pytest.approx(100, abs=0.05)


def test_body_rows_equal_the_table_and_name_heads_each_row(seed_table):
    table = _table(_parse(render_disclosure_html(seed_table)))
    columns = headers.body_columns(seed_table)
    rows = table.findall("./tbody/tr")
    assert len(rows) == 6
    for tr, project in zip(rows, seed_table.projects):
        cells = list(tr)
        assert [_text(c) for c in cells] == [headers.column_text(project, c) for c in columns]
        row_headers = [c for c in cells if c.tag == "th"]
        assert len(row_headers) == 1 and row_headers[0].get("scope") == "row"
        assert _text(row_headers[0]) == project.name
    first = [_text(c) for c in rows[0]]
    assert first[:10] == ["1", "区工商联", "办公设备购置", "否", "3.80", "3.79", "3.79", "0.00",
                          "0.00", "99.74%"]
    amount_cells = list(rows[0])[4:10]
    assert all(c.get("class") == "n" for c in amount_cells)


def test_totals_row_is_computed_in_tfoot(seed_table):
    table = _table(_parse(render_disclosure_html(seed_table)))
    (tr,) = table.findall("./tfoot/tr")
    cells = list(tr)
    assert cells[0].tag == "th" and cells[0].get("scope") == "row"
    assert _text(cells[0]) == "合计" and cells[0].get("colspan") == "4"
    # 3.80 + 23.44 + 267.10 + 102.56 + 54.69 + 40.00 = 491.59; 489.20 / 491.59 = 99.51%
    assert [_text(c) for c in cells[1:7]] == ["491.59", "489.20", "489.20", "0.00", "0.00",
                                             "99.51%"]
    assert sum(int(c.get("colspan", 1)) for c in cells) == 28


def test_every_text_field_is_escaped(seed_table):
    p = seed_table.projects[0]
    evil_project = replace(
        p, unit_name=EVIL, name=EVIL, annual_goal=EVIL, overall_completion=EVIL, problems=EVIL,
        rectification=EVIL, execution_rate_text=EVIL,
        indicators={k: IndicatorCell(EVIL, EVIL) for k in seed_table.layout})
    table = replace(seed_table, department=EVIL, title=EVIL, attachment=EVIL,
                    department_short=EVIL, projects=[evil_project])
    html = render_disclosure_html(table)
    assert "<script" not in html
    root = _parse(html)
    assert root.find(".//script") is None
    assert _text(root.find("./head/title")) == EVIL
    assert root.find(".//meta[@name='description']").get("content") == EVIL
    assert _text(root.find(".//caption/span[@class='title']")) == EVIL
    assert _text(root.find(".//span[@class='stamp']")) == "部门名称（盖章）：" + EVIL
    assert _text(root.find(".//p[@class='attachment']")) == EVIL + "："
    texts = [_text(c) for c in root.find(".//tbody/tr")]
    assert texts.count(EVIL) == 7 * 2 + 7  # 14 indicator cells + 7 text fields


def test_year_and_layout_shape_the_header(seed_table):
    full = replace(seed_table, year=2023, layout=FULL)
    table = _table(_parse(render_disclosure_html(full)))
    texts = [_text(th) for th in table.iter("th")]
    assert "政府性基金预算（含2023年政府专项债券资金）" in texts
    assert "成本指标" in texts and "可持续影响指标" in texts
    assert len(table.findall("./colgroup/col")) == 32
    assert all(len(list(tr)) == 32 for tr in table.findall("./tbody/tr"))


def test_zero_projects_is_an_input_error(seed_table):
    with pytest.raises(InputError) as err:
        render_disclosure_html(replace(seed_table, projects=[]))
    assert "没有项目" in err.value.message_zh and "no projects" in err.value.message_en


def test_text_width_counts_cjk_as_two():
    assert text_width("ab") == 2 and text_width("党建") == 4 and text_width("（1）") == 5


def test_long_text_columns_get_more_room_and_numbers_keep_theirs(seed_table):
    columns = headers.body_columns(seed_table)
    widths = dict(zip((c.key for c in columns), column_widths(seed_table, columns)))
    assert widths["annual_goal"] > widths["problems"]  # 152-char goals vs mostly 「无」
    assert widths["execution_rate"] >= widths["budget"]  # "100.00%" needs the most room
    longer = replace(seed_table, projects=[
        replace(p, problems="执行中存在的问题很多，需要详细说明" * 5) for p in seed_table.projects])
    widths2 = dict(zip((c.key for c in columns), column_widths(longer, columns)))
    assert widths2["problems"] > widths["problems"]
    assert widths2["budget"] == pytest.approx(widths["budget"], rel=0.2)


def test_only_rows_taller_than_a_page_may_split(seed_table):
    html = render_disclosure_html(seed_table)
    assert 'class="tall"' not in html
    huge = replace(seed_table.projects[1], annual_goal="很长的年初绩效目标，" * 400)
    html = render_disclosure_html(replace(seed_table, projects=[seed_table.projects[0], huge]))
    rows = _table(_parse(html)).findall("./tbody/tr")
    assert [r.get("class") for r in rows] == [None, "tall"]


def test_estimated_lines_counts_wrapped_and_explicit_lines():
    assert estimated_lines("", 5) == 1
    one = estimated_lines("短", 5)
    assert one == 1
    many = estimated_lines("很" * 200, 3)
    assert many > MAX_UNSPLIT_LINES // 4
    assert estimated_lines("a\nb\nc", 5) == 3


def test_a_minimal_table_renders(seed_table):
    t = Table(year=2020, department="某部门", projects=[Project(seq=1, unit_name="", name="项目")])
    root = _parse(render_disclosure_html(t))
    cells = [_text(c) for c in root.find(".//tbody/tr")]
    assert cells[:4] == ["1", "", "项目", ""] and cells[4:9] == [""] * 5
    assert _text(root.find(".//caption/span[@class='title']")) == "2020年度某部门部门预算项目绩效自评情况公开表"
    assert root.find(".//p[@class='attachment']") is None


def test_number_columns_fit_their_longest_number_in_any_layout(seed_table):
    from decimal import Decimal

    from jixiao.formats.html import _TABLE_UNITS

    big = replace(seed_table.projects[0], budget=Decimal("123456789.12"))
    for layout in (seed_table.layout, FULL):
        table = replace(seed_table, layout=layout, projects=[big, *seed_table.projects[1:]])
        columns = headers.body_columns(table)
        widths = dict(zip((c.key for c in columns), column_widths(table, columns)))
        units = widths["budget"] * _TABLE_UNITS / 100
        assert units >= text_width("123456789.12") + 1  # one line, with its padding
        total = headers.totals_text(table)["budget"]  # the 合计 is longer still
        assert units >= text_width(total) + 1

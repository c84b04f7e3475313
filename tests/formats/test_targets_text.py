"""The 绩效目标表 from ``pdftotext -layout`` text (formats/targets_text.py).

The texts are what pdftotext makes of three producers' PDFs (tests/fixtures/targets-text,
make_fixtures.py): LibreOffice's prints of three regional forms laid out by hand — 湘潭 2023
(the workbook the XLSX and PDF tests import), 鄂州 2022, 宁乡 2021 — and jixiao's own PDF of the
two-project sample and of a 77-indicator sheet over three pages. Each is expected to give every
field the form prints, as written down by hand from the workbook (``*.targets.json``) or as
exported; fields the form leaves blank stay blank."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import InputError
from jixiao.formats import targets_json
from jixiao.formats.importer import TARGETS, ImportLimits, read_file
from jixiao.formats.targets_text import head_is_targets_text, looks_like_targets_text, read_targets_text

from .targets_fixtures import long_sheet, sample_sheet

HERE = Path(__file__).resolve().parent
TEXTS = HERE.parent / "fixtures" / "targets-text"
SEED_TEXT = HERE.parent / "fixtures" / "000_68657388ac173f3b.txt"


def text(name: str) -> str:
    return (TEXTS / f"{name}.txt").read_text("utf-8")


def expected(name: str):
    if name == "sample-jixiao":
        sheet = sample_sheet()
    elif name == "long-jixiao":
        sheet = long_sheet()
    else:
        return targets_json.load(TEXTS / f"{name}.targets.json")
    sheet.title, sheet.profile = "", ""  # the form prints neither
    return sheet


@pytest.mark.parametrize("name", ["xiangtan-lo", "ezhou-lo", "ningxiang-lo", "sample-jixiao", "long-jixiao"])
def test_every_fixture_s_layout_text_imports_with_every_value_the_form_prints(name):
    assert read_targets_text(text(name), name) == expected(name)


def test_the_hand_laid_xiangtan_2023_text_gives_what_its_workbook_gives(tmp_path):
    """The same form three ways — the workbook (openpyxl, cell by cell), its LibreOffice PDF's
    -layout text — read by two readers: the same projects."""
    from jixiao.formats.targets_read import read_targets_xlsx

    from .targets_fixtures import xiangtan_2023

    xiangtan_2023(tmp_path / "x.xlsx")
    from_text = read_targets_text(text("xiangtan-lo"))
    assert from_text.projects == read_targets_xlsx(tmp_path / "x.xlsx").projects
    [p] = from_text.projects
    assert [i.target_text() for i in p.indicators] == ["=10辆", "≥80M", "优良", "2023.07-2024.01", "≤250万元", "≥85%",
                                                       "≥90%"]


def test_the_ezhou_2022_text_keeps_a_cost_block_out_of_the_goal_and_prose_out_of_the_basis():
    sheet = read_targets_text(text("ezhou-lo"))
    [p] = sheet.projects
    assert p.goal == "以办公大楼服务对象满意为目标,着力打造文明型机关、卫生Z口机关。"
    assert (p.total, p.fiscal, p.other) == (None, None, None)  # 成本构成 is not the funds
    assert {i.basis for i in p.indicators} == {None}  # 绩效标准 here says what an indicator reflects
    assert p.indicators[0].name == "办公大楼日常维修维护次数"  # wrapped over two lines around 2280次


def test_the_ningxiang_2021_text_reads_the_annual_block_continued_on_the_next_page():
    sheet = read_targets_text(text("ningxiang-lo"))
    [p] = sheet.projects
    assert "\f" in text("ningxiang-lo")
    assert [i.kind for i in p.indicators][-4:] == ["social", "ecological", "sustainability", "satisfaction"]
    assert p.fiscal == expected("ningxiang-lo").projects[0].fiscal  # the amount wrapped under its label


def test_a_header_repeated_on_each_page_gives_that_page_its_columns_and_a_cut_label_goes_on():
    sheet = read_targets_text(text("long-jixiao"))
    assert len(sheet.projects[0].indicators) == 77
    assert {i.kind for i in sheet.projects[0].indicators[7:]} == {"quantity"}


def test_plain_utf8_text_of_the_same_shape_reads_the_same():
    """Text saved by hand from the same layout: a byte-order mark, Windows line ends, tabs
    between cells, a one-page form without its form feed."""
    plain = "\ufeff" + text("ningxiang-lo").replace("\n", "\r\n")
    assert read_targets_text(plain) == expected("ningxiang-lo")
    tabbed = text("xiangtan-lo").replace("          ", "\t\t").replace("\f", "")
    assert read_targets_text(tabbed) == expected("xiangtan-lo")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_text_file_in_any_encoding_the_table_import_reads_is_read(tmp_path, encoding):
    path = tmp_path / "t.txt"
    path.write_bytes(text("xiangtan-lo").encode(encoding))
    assert read_file(path, ImportLimits(), TARGETS, "t.txt") == expected("xiangtan-lo")


def test_a_targets_form_is_told_from_a_self_evaluation_table_by_its_first_lines():
    assert looks_like_targets_text(text("xiangtan-lo"))
    assert looks_like_targets_text(text("sample-jixiao"))
    seed = SEED_TEXT.read_text("utf-8")
    assert "绩效目标" in seed and not looks_like_targets_text(seed)  # 年初绩效目标 in its header, 自评 in its title
    assert head_is_targets_text(text("ezhou-lo").encode("utf-8")[:100])  # a character cut at the end of the head
    assert head_is_targets_text(codecs.BOM_UTF16_LE + text("ezhou-lo").encode("utf-16-le"))
    assert not head_is_targets_text(SEED_TEXT.read_bytes())
    assert not head_is_targets_text('{"kind": "targets", "title": "绩效目标"}'.encode())


def test_a_self_evaluation_table_s_text_is_not_a_targets_form(tmp_path):
    assert read_file(SEED_TEXT, ImportLimits(), TARGETS, "seed.txt") is None


def test_text_without_layout_is_refused_with_what_to_do_instead():
    with pytest.raises(InputError, match="-layout") as info:
        read_targets_text((TEXTS / "without-layout" / "xiangtan-lo.txt").read_text("utf-8"), "plain.txt")
    assert "pdftotext -layout" in info.value.message_en and info.value.source == "plain.txt"


@pytest.mark.parametrize("content, words", [
    ("", "文本为空"),
    ("2024年项目支出绩效目标表\n\n项目名称      某项目          主管部门      某局\n", "表头"),
    ("2024年项目支出绩效目标表\n\n一级指标   二级指标    三级指标    指标值\n", "项目名称"),
    ("项目支出绩效目标表\n\n项目名称    某项目\n\n一级指标   二级指标    三级指标    指标值\n"
     "产出指标   数量指标    某某        10个\n", "年度"),
])
def test_a_form_missing_what_the_reader_needs_is_refused_in_both_languages(content, words):
    with pytest.raises(InputError, match=words) as info:
        read_targets_text(content, "t.txt")
    assert info.value.message_zh and info.value.message_en


def test_a_level_2_label_jixiao_does_not_know_is_refused_with_its_form():
    bad = text("xiangtan-lo").replace("时效指标", "速度指标")
    with pytest.raises(InputError, match="无法识别二级指标「速度指标」"):
        read_targets_text(bad)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(text("xiangtan-lo") + " " * 2000, "utf-8")
    with pytest.raises(InputError, match="文件过大"):
        read_file(path, ImportLimits(max_file_bytes=1000), TARGETS, "big.txt")


def test_binary_content_after_a_targets_title_is_refused_as_not_text(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("项目支出绩效目标表\n".encode() + b"\x00\x01\x02" * 100)
    with pytest.raises(InputError, match="不是可识别的文件格式"):
        read_file(path, ImportLimits(), TARGETS, "x.txt")


def test_text_of_too_many_lines_is_refused():
    from jixiao.formats import targets_text

    with pytest.raises(InputError, match="文本过长"):
        read_targets_text("项目支出绩效目标表\n" + "x  y\n" * (targets_text.MAX_LINES + 1))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_text_gives_a_sheet_or_an_input_error_never_a_traceback(data):
    """Lines of the fixtures deleted, duplicated, shifted or cut at random."""
    name = data.draw(st.sampled_from(["xiangtan-lo", "ezhou-lo", "ningxiang-lo", "sample-jixiao"]))
    lines = text(name).split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "shift", "cut", "junk"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "shift":
            lines[i] = " " * data.draw(st.integers(1, 12)) + lines[i]
        elif action == "cut":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            lines[i] = data.draw(st.text(max_size=40))
        if not lines:
            lines = [""]
    try:
        read_targets_text("\n".join(lines))
    except InputError as exc:
        assert exc.message_zh and exc.message_en


def _layout_text(pdf) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_the_xiangtan_2023_form_printed_by_libreoffice_now_reads_from_its_text_with_every_value(tmp_path):
    """The fixture's way, live: the hand-laid workbook printed by this machine's LibreOffice
    (as the XLSX/PDF test prints it), pdftotext -layout, the text reader."""
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location("make_fixtures", TEXTS / "make_fixtures.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    build, ruled, widths, height, vertical = make.LAYOUTS["xiangtan-lo"]
    from .targets_fixtures import libreoffice_pdf

    if shutil.which("soffice") is None:
        pytest.skip("soffice (LibreOffice) is not installed")
    build(tmp_path / "xiangtan.xlsx")
    make.print_setup(tmp_path / "xiangtan.xlsx", ruled, widths, height, vertical)
    text_now = _layout_text(libreoffice_pdf(tmp_path / "xiangtan.xlsx", tmp_path))
    assert read_targets_text(text_now) == expected("xiangtan-lo")


@pytest.mark.slow
def test_jixiao_s_own_targets_pdf_reads_back_from_its_text_with_every_printed_field(tmp_path):
    from jixiao.formats.targets_typst import write_targets_pdf

    write_targets_pdf(long_sheet(), tmp_path / "t.pdf")
    assert read_targets_text(_layout_text(tmp_path / "t.pdf")) == expected("long-jixiao")

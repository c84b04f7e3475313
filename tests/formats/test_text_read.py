"""The text importer (formats/text_read.py) on the seed and on our own pdftotext fixtures.

Accuracy is measured and printed (run with ``-s`` to see the figures): on the seed, all
numbers, 序号, names, 问题 and 整改 must be exact and at least 90% of the other text
cells; on the LibreOffice fixtures under tests/fixtures/text/ (made by make_fixtures.py)
numbers and names must be exact and text cells at least FIXTURE_THRESHOLD.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.errors import InputError
from jixiao.formats import table_json
from jixiao.formats.text_read import CELL_FIELDS, read_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_TEXT = FIXTURES / "000_68657388ac173f3b.txt"
GOLDEN = FIXTURES / "selfeval-2019-longgang-gsl.golden.json"
TEXT_DIR = FIXTURES / "text"
# Fixtures in the seed's form (cells as blocks, merges only where baselines meet).
SEED_FORM = ["lo-seedlike", "lo-seedwidths", "lo-wide-top", "lo-random-a4", "lo-multipage", "lo-bottom",
             "lo-merges", "lo-merges-top", "gen-a4-multipage", "gen-merges"]
# Measured minimum over SEED_FORM is 94.6% (gen-merges); the overall figure is 99.3%.
FIXTURE_THRESHOLD = 0.90
EXACT_FIELDS = ("seq", "unit_name", "name", "gov_investment", "budget", "actual_total", "actual_general_budget",
                "actual_gov_fund", "actual_non_fiscal", "execution_rate", "problems", "rectification")
TEXT_CELLS = CELL_FIELDS[:-2]  # annual_goal, overall_completion and the 14 indicator cells


def _get(doc: dict, path: str):
    for part in path.split("."):
        doc = doc[part]
    return doc


def _compare(text: str, expected: dict) -> tuple[list, int, int, list]:
    """(exact-field mismatches, text cells right, text cells in all, text-cell mismatches)."""
    result = read_text(text, source="test")
    doc = table_json.to_document(result.table)
    assert len(doc["projects"]) == len(expected["projects"])
    wrong_exact, wrong_text, right = [], [], 0
    for i, (got, want) in enumerate(zip(doc["projects"], expected["projects"])):
        for f in EXACT_FIELDS:
            if str(got[f]) != str(want[f]):
                wrong_exact.append((i, f, got[f], want[f]))
        for f in TEXT_CELLS:
            if _get(got, f) == _get(want, f):
                right += 1
            else:
                wrong_text.append((i, f, _get(got, f), _get(want, f)))
    for key in ("attachment", "title", "year", "department", "money_unit"):
        if doc.get(key) != expected.get(key):
            wrong_exact.append(("header", key, doc.get(key), expected.get(key)))
    return wrong_exact, right, len(expected["projects"]) * len(TEXT_CELLS), wrong_text


def _fixture(name: str) -> tuple[str, dict]:
    text = (TEXT_DIR / f"{name}.txt").read_text(encoding="utf-8")
    return text, json.loads((TEXT_DIR / f"{name}.json").read_text(encoding="utf-8"))


def test_seed_accuracy():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    wrong_exact, right, total, wrong_text = _compare(SEED_TEXT.read_text(encoding="utf-8"), golden)
    print(f"\nseed: text cells exact {right}/{total} = {right / total:.1%}")
    assert wrong_exact == []
    assert right / total >= 0.90, wrong_text


def test_seed_result_shape_and_confidence():
    result = read_text(SEED_TEXT.read_text(encoding="utf-8"), source="seed.txt")
    assert result.kind == "text"
    t = result.table
    assert (t.year, t.money_unit.value, t.department) == (2019, "万元", "深圳市龙岗区工商业联合会")
    assert [p.budget for p in t.projects][:2] == [Decimal("3.80"), Decimal("23.44")]
    assert t.projects[2].indicators["economic"].target.startswith("发挥党组织")
    assert all(0.0 <= c <= 1.0 for c in result.confidence.values())
    # every placed text cell has a confidence, and a clean row's cells are trusted
    for i in range(len(t.projects)):
        for f in CELL_FIELDS:
            assert result.confidence[f"projects[{i}].{f}"] >= 0.9
    assert result.confidence["projects[0].budget"] == 1.0
    assert result.report == []


@pytest.mark.parametrize("name", SEED_FORM)
def test_fixture_accuracy(name):
    text, expected = _fixture(name)
    wrong_exact, right, total, wrong_text = _compare(text, expected)
    print(f"\n{name}: text cells exact {right}/{total} = {right / total:.1%}")
    assert wrong_exact == []
    assert right / total >= FIXTURE_THRESHOLD, wrong_text[:5]


def test_fixtures_overall_figure():
    right = total = 0
    for name in SEED_FORM:
        _, r, t, _ = _compare(*_fixture(name))
        right, total = right + r, total + t
    print(f"\nall seed-form fixtures: text cells exact {right}/{total} = {right / total:.1%}")
    assert right / total >= 0.95


def test_tight_interleaved_is_measured_not_solved():
    """Without cell padding pdftotext interleaves neighbouring cells line by line.

    That is not the seed's form; the numbers and 序号 still come out exact, the text cells
    mostly do not (the figure is printed and documented in docs/import-text.md).
    """
    text, expected = _fixture("tight-interleaved")
    wrong_exact, right, total, _ = _compare(text, expected)
    print(f"\ntight-interleaved: text cells exact {right}/{total} = {right / total:.1%}")
    numbers = [w for w in wrong_exact if w[1] not in ("problems", "rectification")]
    assert numbers == []
    result = read_text(text)
    assert any("placed by inference" in line or "low-confidence" in line for line in result.report)


def _seed_lines() -> list[str]:
    return SEED_TEXT.read_text(encoding="utf-8").split("\n")


def _seed_accuracy_of(text: str) -> float:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    doc = table_json.to_document(read_text(text).table)
    pairs = [(p, q) for p, q in zip(doc["projects"], golden["projects"])]
    right = sum(_get(p, f) == _get(q, f) for p, q in pairs for f in CELL_FIELDS)
    return right / (len(golden["projects"]) * len(CELL_FIELDS))


def test_lost_blank_lines_are_recovered_by_column_widths():
    """Delete one blank line between two cells: the row has 17 pieces, the program splits one."""
    lines = _seed_lines()
    start = lines.index("否 3.80 3.79 3.79 0.00 0.00 99.74%")
    cases = [i for i in range(start, len(lines) - 2) if lines[i] == "" and lines[i - 1] and lines[i + 1]]
    scores = [_seed_accuracy_of("\n".join(lines[:i] + lines[i + 1:])) for i in cases[::4]]
    mean = sum(scores) / len(scores)
    print(f"\nseed with one blank line deleted ({len(scores)} cases): mean cell accuracy {mean:.1%}, "
          f"perfect in {sum(s == 1 for s in scores)}")
    assert mean >= 0.98


@pytest.mark.slow
def test_split_cells_are_joined_again():
    """Insert a blank line inside a cell: 19 pieces; the program joins the right two."""
    lines = _seed_lines()
    start = lines.index("否 3.80 3.79 3.79 0.00 0.00 99.74%")
    cases = [i for i in range(start + 1, len(lines) - 1)
             if lines[i] and lines[i + 1] and " " not in lines[i] + lines[i + 1] and not lines[i].isdigit()]
    scores = [_seed_accuracy_of("\n".join(lines[:i + 1] + [""] + lines[i + 1:])) for i in cases[::12]]
    mean = sum(scores) / len(scores)
    print(f"\nseed with one cell split ({len(scores)} cases): mean cell accuracy {mean:.1%}, "
          f"perfect in {sum(s == 1 for s in scores)}")
    assert mean >= 0.98


def test_inferred_rows_are_reported_with_lower_confidence():
    lines = _seed_lines()
    i = lines.index("有效合理配备办公设备，改")  # split project 1's 年初绩效目标 in two
    result = read_text("\n".join(lines[:i + 1] + [""] + lines[i + 1:]))
    assert any("row 1" in line and "placed by inference" in line for line in result.report)
    assert result.confidence["projects[0].annual_goal"] < 0.9
    assert result.table.projects[0].annual_goal.startswith("有效合理配备办公设备，改善工作环境")


def test_repeated_page_header_is_dropped():
    text, expected = _fixture("lo-multipage")
    assert text.count("\f") > 1 and text.count("年度指标内容") > 7  # the header is repeated per page
    wrong_exact, right, total, _ = _compare(text, expected)
    assert wrong_exact == [] and right == total


def test_interleaved_unit_and_project_names_are_untangled():
    text, expected = _fixture("lo-random-a4")
    assert "深圳市龙岗\n区城市管理 文体活动经费\n和综合执法\n项目\n局" in text
    table = read_text(text).table
    assert [(p.unit_name, p.name) for p in table.projects] == \
        [(p["unit_name"], p["name"]) for p in expected["projects"]]


def test_merged_line_gives_its_next_line_to_the_cell_it_fits():
    text, expected = _fixture("lo-merges-top")
    assert "举办活动≥20场 100.00%\n次。" in text  # top-aligned: the next line continues the left cell
    table = read_text(text).table
    assert table.projects[0].indicators["timeliness"].target == "举办活动≥20场次。"
    assert table.projects[0].indicators["timeliness"].actual == "100.00%"


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\f"])
def test_empty_text_is_refused(text):
    with pytest.raises(InputError) as e:
        read_text(text, source="empty.txt")
    assert "为空" in e.value.message_zh and "empty" in e.value.message_en


@pytest.mark.parametrize("text", [
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。\n" * 50,
    "The quick brown fox jumps over the lazy dog.\n\nLorem ipsum 1 2 3 4 5.\n",
    "name,budget,actual\n办公,3.80,3.79\n党建,267.10,266.89\n",  # a different table
    "序号 姓名 成绩\n1 张三 90\n2 李四 85\n",
])
def test_text_not_in_this_form_is_refused(text):
    with pytest.raises(InputError) as e:
        read_text(text, source="other.txt")
    assert e.value.message_zh and e.value.message_en
    assert "找不到项目的数字行" in e.value.message_zh


def test_column_major_text_is_refused_with_advice():
    text = (TEXT_DIR / "column-major.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_text(text, source="lo.txt")
    assert "按列" in e.value.message_zh and "column by column" in e.value.message_en


def test_too_long_text_is_refused():
    with pytest.raises(InputError) as e:
        read_text("x" * 101, max_chars=100)
    assert "too long" in e.value.message_en


def test_through_the_dispatcher(tmp_path):
    from jixiao.formats.importer import import_file

    result = import_file(SEED_TEXT)
    assert result.kind == "text"
    assert len(result.table.projects) == 6


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("否是 \n\f0123456789.%，。无区工商联年度指标附件2-3单位：万元")),
               max_size=400))
def test_any_text_gives_a_table_or_an_input_error(text):
    try:
        result = read_text(text)
    except InputError:
        return
    for p in result.table.projects:
        assert len(p.indicators) == 7


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_damaged_seed_never_crashes(seed):
    rng = random.Random(seed)
    lines = _seed_lines()
    for _ in range(rng.randint(1, 12)):
        i = rng.randrange(len(lines))
        action = rng.random()
        if action < 0.4:
            del lines[i]
        elif action < 0.7:
            lines.insert(i, "")
        else:
            lines[i] = lines[i] + " " + rng.choice(["100.00%", "无", "否 1.00 1.00 1.00 0.00 0.00 100.00%", "7"])
    try:
        result = read_text("\n".join(lines))
    except InputError:
        return
    assert all(0.0 <= c <= 1.0 for c in result.confidence.values())


def test_text_after_the_table_is_reported_not_placed():
    note = "注：本表金额单位为万元，数据来源于2019年度部门决算报表，由各单位自行填报并经主管部门审核。"
    result = read_text(SEED_TEXT.read_text(encoding="utf-8") + "\n" + note + "\n\n")
    last = result.table.projects[-1]
    assert (last.problems, last.rectification) == ("无", "无")
    assert any("not placed in any cell" in line and note in line for line in result.report)


def test_unknown_header_lines_are_reported():
    text = SEED_TEXT.read_text(encoding="utf-8").replace("附件2-3：", "附件2-3：\n\n公开日期：2020年9月30日", 1)
    result = read_text(text)
    assert result.report == ["表头中未识别的文字 / header text not placed: 公开日期：2020年9月30日"]
    assert result.table.attachment == "附件2-3" and result.table.year == 2019


@pytest.mark.parametrize("where", ["first", "last"])
def test_totals_row_is_skipped(where):
    seed = SEED_TEXT.read_text(encoding="utf-8")
    total = "合计 491.59 488.20 488.20 0.00 0.00 99.31%"
    text = seed.replace("\n\n1\n区工\n", f"\n\n{total}\n\n1\n区工\n", 1) if where == "first" else f"{seed}\n{total}\n\n"
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    wrong_exact, right, total_cells, _ = _compare(text, golden)
    assert wrong_exact == [] and right == total_cells
    assert any("合计" in line and "skipped" in line for line in read_text(text).report)


def test_no_year_is_refused():
    text = SEED_TEXT.read_text(encoding="utf-8").replace("2019年度", "本年度").replace("（含2019年", "（含")
    with pytest.raises(InputError) as e:
        read_text(text, source="noyear.txt")
    assert "年度" in e.value.message_zh and "no year" in e.value.message_en and e.value.source == "noyear.txt"


def test_rate_with_its_percent_sign_apart():
    text = SEED_TEXT.read_text(encoding="utf-8").replace("0.00 99.74%", "0.00 99.74 %")
    project = read_text(text).table.projects[0]
    assert project.execution_rate_text == "99.74%" and project.indicators["quantity"].target == "电脑3台，办公桌椅1批"


def test_an_empty_cell_is_placed_by_evidence():
    """Drop one cell's block (a blank cell prints nothing): 17 pieces for 18 columns.

    Where the gap goes is a guess from widths, bare percentages and column words; the
    figure is printed, and most cells stay right even when the guess is wrong.
    """
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    blocks = SEED_TEXT.read_text(encoding="utf-8").split("\n\n")
    scores = []
    for bi, block in enumerate(blocks):
        joined = block.replace("\n", "")
        where = [(pi, f) for pi, p in enumerate(golden["projects"]) for f in CELL_FIELDS
                 if _get(p, f) == joined and joined != "100.00%"]
        if bi < 40 or " " in block or len(where) != 1 or bi % 3:
            continue
        expected = json.loads(json.dumps(golden))
        pi, f = where[0]
        *parents, leaf = f.split(".")
        node = expected["projects"][pi]
        for part in parents:
            node = node[part]
        node[leaf] = ""
        doc = table_json.to_document(read_text("\n\n".join(blocks[:bi] + blocks[bi + 1:])).table)
        right = sum(_get(p, g) == _get(q, g) for p, q in zip(doc["projects"], expected["projects"]) for g in CELL_FIELDS)
        scores.append(right / (len(expected["projects"]) * len(CELL_FIELDS)))
    mean = sum(scores) / len(scores)
    print(f"\nseed with one cell emptied ({len(scores)} cases): mean cell accuracy {mean:.1%}, "
          f"perfect in {sum(s == 1 for s in scores)}")
    assert mean >= 0.97


@pytest.mark.parametrize("name", ["seed-libreoffice.raw.txt", "seed-jixiao.raw.txt"])
def test_plain_pdftotext_of_the_seed_pdfs_is_refused_not_misread(name):
    """Whole-page pdftotext (no -layout) of jixiao's PDF and of LibreOffice's PDF of the seed
    reads the table partly column by column: imported, it gave 11 of 120 text cells and half
    the amounts. It must be refused, in both languages, pointing to what works instead."""
    text = (FIXTURES / "text" / "layout" / name).read_text(encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_text(text, source=name)
    assert "pdftotext -layout" in e.value.message_en and "PDF" in e.value.message_zh


def test_a_column_of_yes_no_lines_is_refused():
    """是/否 of three projects one under the other, each a line of its own: the page was read
    column by column, even where number rows happen to be found."""
    seed = SEED_TEXT.read_text(encoding="utf-8")
    text = seed.replace("否 3.80 3.79", "否\n\n否\n\n否\n\n否 3.80 3.79", 1)
    with pytest.raises(InputError) as e:
        read_text(text)
    assert "是/否 lines in a row" in e.value.message_en and "不是逐行抽取" in e.value.message_zh


def test_a_number_row_broken_into_lines_is_refused_not_skipped():
    """A project whose 是/否 and amounts stand on separate lines (each a block) is not a number
    row: reading on would silently drop the project, so the text is refused."""
    seed = SEED_TEXT.read_text(encoding="utf-8")
    text = seed.replace("否 23.44 21.49 21.49 0.00 0.00 91.68%", "否\n\n23.44\n\n21.49\n\n21.49\n\n0.00\n\n0.00", 1)
    with pytest.raises(InputError) as e:
        read_text(text)
    assert "would be missed" in e.value.message_en

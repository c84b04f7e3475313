"""The whole real 项目支出绩效自评表 in tests/fidelity/forms: each transcription is well formed,
every value it records is in the raw excerpt the search tool returned (after folding the
layout's whitespace and cell separators), its own arithmetic is recorded truthfully, there are
as many whole forms as the README says, and every hand-laid XLSX fixture in tests/fixtures/mof
holds every value of the forms its manifest names (read back with openpyxl)."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
FORMS = HERE / "forms"
MOF = HERE.parent / "fixtures" / "mof"
README = FORMS / "README.md"

SOURCE_KEYS = {"url", "title", "province", "region", "department", "year"}
MONEY_KEYS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
ITEM_KEYS = {"一级", "一级_label", "二级", "三级", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"}
LAYOUTS = {"mof-central", "mof-split-target", "mof-weights-first", "mof-hubei", "sichuan"}


def _load(folder: Path) -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]


WHOLE = _load(FORMS)
PARTIAL = _load(FORMS / "partial")
ALL = WHOLE + PARTIAL
IDS = [form["id"] for _, form in ALL]


PINYIN_NOTE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
TRADITIONAL = str.maketrans("產標滿數質績進", "产标满数质绩进")


def fold(text: str) -> str:
    """The excerpt as a sequence of characters: whitespace and table separators dropped (pages
    flatten a table into ``| a | b |`` lines and break long cells with spaces), and the pinyin
    notes some reposts put after a character (``監(jiān)測``) removed."""
    return re.sub(r"[\s|]+", "", PINYIN_NOTE.sub("", text))


def dec(text) -> Decimal | None:
    try:
        return Decimal(str(text).strip().rstrip("分"))
    except (InvalidOperation, AttributeError):
        return None


def recorded_values(form: dict) -> list[str]:
    """Every value of the transcription that came from the page (not notes or derived sums)."""
    values = [form["project"]["name"], form["project"]["主管部门"], form["project"]["实施单位"],
              form["goal"]["预期目标"], form["goal"]["实际完成情况"]]
    values += [form["money"][k] for k in MONEY_KEYS]
    for row in form.get("money_sub", {}).values():
        values += row
    for item in form["indicators"]:
        values += [item["一级_label"], item["二级"], item["三级"], item["实际完成值"], item["分值"],
                   item["得分"], item["偏差原因"]]
        if "指标性质" in item:
            values += [item["指标性质"], item["指标值"], item["度量单位"]]
        else:
            values.append(item["年度指标值"])
    values += [form.get("总分_text"), form.get("评价等级"), form.get("合计"), form.get("偏差原因_text")]
    values += list(form.get("section_labels", {}).values())
    return [v for v in values if v not in (None, "")]


@pytest.mark.parametrize("path,form", ALL, ids=IDS)
def test_each_form_is_well_formed_and_named_after_its_file(path, form):
    assert form["id"] == path.stem
    assert SOURCE_KEYS <= set(form["source"]), "source needs url, title, province, region, department, year"
    url = form["source"]["url"]
    assert (url or "").startswith("http") or form["source"].get("url_note"), "a URL, or why there is none"
    assert form["layout"] in LAYOUTS
    assert form["money_unit"] in ("万元", "元")
    assert set(form["money"]) == set(MONEY_KEYS)
    assert form["indicators"], "a form has indicator rows"
    for item in form["indicators"]:
        assert ITEM_KEYS <= set(item), item
        assert item["一级"] in ("产出指标", "效益指标", "满意度指标"), item["一级"]
        label = item["一级_label"]
        assert label.translate(TRADITIONAL).startswith(item["一级"][:2]) or re.fullmatch(r"\(\d+分\)", label), label
    assert path.with_suffix(".txt").exists(), "the raw excerpt is kept beside the transcription"
    assert isinstance(form["arithmetic"]["consistent"], bool)


@pytest.mark.parametrize("path,form", ALL, ids=IDS)
def test_every_recorded_value_is_in_the_raw_excerpt(path, form):
    raw = fold(path.with_suffix(".txt").read_text(encoding="utf-8"))
    rebuilt = form.get("reconstructed", {})
    missing = [v for v in recorded_values(form) if fold(v) not in raw and v not in rebuilt]
    assert not missing, f"not in the excerpt: {missing}"


@pytest.mark.parametrize("path,form", WHOLE, ids=[f["id"] for _, f in WHOLE])
def test_the_recorded_arithmetic_is_the_forms_own(path, form):
    """Σ 分值 (indicators + 执行率) and Σ 得分 are recomputed from the rows; ``consistent`` says
    whether they give 100 and the printed 总分, and an inconsistent form names the discrepancy."""
    arithmetic = form["arithmetic"]
    if "section_points" in form:  # 湖北-style forms print the points per section, not per item
        assert all(i["分值"] is None for i in form["indicators"]) and form["money"]["分值"] is None
        weights = [dec(v) for v in form["section_points"].values()]
    else:
        weights = [dec(i["分值"]) for i in form["indicators"]] + [dec(form["money"]["分值"])]
    assert None not in weights
    assert sum(weights) == dec(arithmetic["Σ分值"])
    scored = [i["得分"] for i in form["indicators"]]
    if form.get("scores_published") is False:
        assert form["总分"] is None and arithmetic["Σ得分"] is None
        return
    assert None not in scored, "a whole scored form has every indicator's 得分"
    if form["money"]["得分"] is not None:  # some forms leave the 执行率 得分 blank (新洲)
        scored.append(form["money"]["得分"])
    total = sum(dec(s) for s in scored)
    assert total == dec(arithmetic["Σ得分"])
    consistent = sum(weights) == 100 and total == dec(form["总分"])
    assert arithmetic["consistent"] is consistent
    if not consistent:
        assert arithmetic["discrepancy"], "an inconsistent form says where"
    assert form["总分_text"] is not None and dec(form["总分_text"]) == dec(form["总分"])


def test_there_are_as_many_whole_scored_forms_as_the_readme_says():
    text = README.read_text(encoding="utf-8")
    match = re.search(r"Whole forms with published scores: \*\*(\d+)\*\*", text)
    assert match, "README states the number of whole scored forms"
    scored = [f for _, f in WHOLE if f.get("scores_published") is not False]
    assert len(scored) == int(match.group(1))
    provinces = {f["source"]["province"] for f in scored}
    assert f"from **{len(provinces)}** province" in text
    for form in scored:
        assert f"`{form['id']}`" in text, f"the README's table lists {form['id']}"
    if len(scored) < 10:
        assert "## Why fewer than 10" in text, "the README explains the shortfall and lists the queries"


def test_values_rebuilt_from_interleaved_text_say_how_and_their_parts_are_in_the_excerpt():
    for path, form in ALL:
        raw = fold(path.with_suffix(".txt").read_text(encoding="utf-8"))
        for value, how in form.get("reconstructed", {}).items():
            assert how, value
            quoted = re.findall(r"'([^']+)'", how)
            assert quoted and all(fold(q) in raw for q in quoted), (value, how)


def test_partial_forms_are_marked_and_say_where_the_excerpt_stops():
    for _, form in PARTIAL:
        assert form["whole"] is False
        assert form["cut"], "a partial form says where its excerpt stops"
        assert form["总分"] is None


# ------------------------------------------------------------------ fixtures (XLSX and PDF)

MANIFEST = json.loads((MOF / "manifest.json").read_text(encoding="utf-8")) if (MOF / "manifest.json").exists() else []
BY_ID = {form["id"]: form for _, form in WHOLE}


def cell_strings(ws) -> tuple[set[str], list[Decimal], set[str]]:
    """What a reader of the sheet sees: text cells (folded), numbers, and percentages shown."""
    texts, numbers, percents = set(), [], set()
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            if isinstance(value, (int, float)):
                number = Decimal(str(value))
                numbers.append(number)
                if "%" in (cell.number_format or ""):
                    places = cell.number_format.split(".")[1].count("0") if "." in cell.number_format else 0
                    percents.add(f"{(number * 100):.{places}f}%")
            else:
                texts.add(fold(str(value)))
    return texts, numbers, percents


def present(value: str, texts, numbers, percents) -> bool:
    folded = fold(value)
    if any(folded == t or folded in t for t in texts):
        return True
    if value in percents:
        return True
    number = dec(value)
    return number is not None and not value.endswith("%") and number in numbers


def fixture_values(form: dict, layout: str, variants: list[str]) -> list[str]:
    values = [v for v in recorded_values(form) if v != form.get("总分_text")]
    values.append(f"{form['总分']}分" if "total-as-text" in variants else (form["总分"] or ""))
    if layout == "central" and "指标性质" in form["indicators"][0]:
        values += [i["年度指标值"] for i in form["indicators"]]
    if layout == "sichuan" and form.get("合计") is None:  # re-laid: 合计 shows Σ权重 beside the 总分,
        values.append(form.get("总分_分值", "100"))      # and the 四川 form has no 评价等级 cell
        values = [v for v in values if v != form.get("评价等级")]
    if "weights-in-labels" in variants:
        values = [v for v in values if v not in {i["一级_label"] for i in form["indicators"]}]
        for level1 in dict.fromkeys(i["一级"] for i in form["indicators"]):
            points = sum(dec(i["分值"]) for i in form["indicators"] if i["一级"] == level1)
            values.append(f"{level1}({format(points.normalize(), 'f')}分)")
    return [v for v in values if v]


SHEETS = [(entry["file"], sheet["sheet"], listed)
          for entry in MANIFEST for sheet in entry["sheets"] for listed in sheet["forms"]]


def test_the_manifest_lists_every_whole_form_and_every_fixture_file():
    named = {listed["id"] for _, _, listed in SHEETS}
    assert named == set(BY_ID), "every whole form is laid out at least once"
    on_disk = {p.name for p in MOF.glob("*.xlsx")}
    assert on_disk == {entry["file"] for entry in MANIFEST}
    layouts = {listed["layout"] for _, _, listed in SHEETS}
    variants = {v for _, _, listed in SHEETS for v in listed["variants"]}
    assert {"central", "weights-first", "split-target", "sichuan", "hubei"} <= layouts
    assert {"weights-in-labels", "total-as-text", "two-pages"} <= variants
    assert any(len(sheet["forms"]) > 1 for entry in MANIFEST for sheet in entry["sheets"]), "several forms on one sheet"
    assert any(len(entry["sheets"]) > 1 for entry in MANIFEST), "one form per sheet in a workbook"


@pytest.mark.parametrize("file,sheet,listed", SHEETS, ids=[f"{f}:{s}:{form['id']}" for f, s, form in SHEETS])
def test_each_fixture_sheet_holds_every_value_of_its_forms(file, sheet, listed):
    ws = load_workbook(MOF / file)[sheet]
    texts, numbers, percents = cell_strings(ws)
    form = BY_ID[listed["id"]]
    missing = [v for v in fixture_values(form, listed["layout"], listed["variants"])
               if not present(v, texts, numbers, percents)]
    assert not missing, f"{file}:{sheet} lacks {missing}"


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_fixture_has_its_libreoffice_pdf(entry):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(MOF / entry["pdf"])
    pages = len(reader.pages)
    assert pages >= 1
    variants = {v for sheet in entry["sheets"] for listed in sheet["forms"] for v in listed["variants"]}
    if "two-pages" in variants:
        assert pages == 2
        second = reader.pages[1].extract_text()
        assert "三级指标" in second, "the indicator header repeats on page 2"
    text = "".join(page.extract_text() for page in reader.pages)
    for sheet in entry["sheets"]:
        for listed in sheet["forms"]:
            assert fold(BY_ID[listed["id"]]["project"]["实施单位"])[:6] in fold(text)

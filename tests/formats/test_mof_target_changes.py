"""The MoF 项目支出绩效自评表 notes every target the finance bureau approved and the
self-evaluation states otherwise (JX611): one line per target in the form's footnote."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from jixiao.core.prefill import changed_targets, self_evaluation_table
from jixiao.core.reasons import render
from jixiao.core.target_sheet import TargetIndicator, TargetProject, TargetSheet
from jixiao.formats.mof_grid import build_forms
from jixiao.formats.mof_html import render_mof_html
from jixiao.formats.mof_xlsx import write_mof_xlsx

LOWERED = "绩效目标表（2024年，经财政局审核通过）中“培训质量”为「≥95%」，自评表改为「≥90%」。"
DROPPED = "绩效目标表（2024年，经财政局审核通过）中“培训人次”为「≥300人次」，自评表未列出该指标。"


def approved() -> TargetSheet:
    def project(name):
        return TargetProject(name, "甲部门", "甲单位", Decimal("10"), Decimal("10"), None, "完成培训",
                             [TargetIndicator("quantity", "培训人次", ">=", "300", "人次", Decimal("20")),
                              TargetIndicator("quality", "培训质量", ">=", "95", "%", Decimal("20"))])
    return TargetSheet(2024, "甲部门", projects=[project("干部培训"), project("技能培训")])


def self_evaluation(lower=True, drop=False):
    table = self_evaluation_table(approved())
    cells = table.projects[0].indicators
    if lower:
        cells["quality"].items[0].target = "≥90%"
    if drop:
        cells["quantity"].items.clear()
    return table


def xlsx_texts(table, changes, folder) -> dict[str, str]:
    path = folder / "forms.xlsx"
    write_mof_xlsx(table, path, changes=changes)
    wb = load_workbook(path)
    return {ws.title: "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
            for ws in wb.worksheets}


def test_a_target_lowered_after_approval_is_noted_on_that_projects_form_only():
    table = self_evaluation()
    changes = changed_targets(approved(), table)
    forms = build_forms(table, changes=changes)
    assert LOWERED in forms[0].notes
    assert not any("经财政局审核通过" in n for n in forms[1].notes)


def test_a_dropped_target_is_noted_too():
    table = self_evaluation(lower=False, drop=True)
    forms = build_forms(table, changes=changed_targets(approved(), table))
    assert DROPPED in forms[0].notes


def test_the_note_is_in_the_xlsx_and_the_html(tmp_path):
    table = self_evaluation()
    changes = changed_targets(approved(), table)
    sheets = list(xlsx_texts(table, changes, tmp_path).values())
    assert LOWERED in sheets[0] and "经财政局审核通过" not in sheets[1]
    assert LOWERED in render_mof_html(table, changes=changes)


def test_the_note_reads_in_english_from_the_same_reason():
    change = changed_targets(approved(), self_evaluation())[0]
    assert render(change.reason(), "zh") == LOWERED
    assert render(change.reason(), "en") == (
        "The performance target sheet (2024, approved by the finance bureau) set “培训质量” at “≥95%”; "
        "the self-evaluation states “≥90%”.")


def test_a_self_evaluation_that_keeps_its_targets_has_no_such_note(tmp_path):
    table = self_evaluation(lower=False)
    changes = changed_targets(approved(), table)
    assert changes == []
    assert "经财政局审核通过" not in render_mof_html(table, changes=changes)
    assert not any("经财政局审核通过" in text for text in xlsx_texts(table, changes, tmp_path).values())


def test_the_note_is_printed_in_the_pdf(tmp_path):
    import shutil
    import subprocess

    import pytest

    from jixiao.formats.mof_typst import write_mof_pdf_typst

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    table = self_evaluation()
    write_mof_pdf_typst(table, tmp_path / "forms.pdf", changes=changed_targets(approved(), table))
    text = subprocess.run(["pdftotext", str(tmp_path / "forms.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "经财政局审核通过" in "".join(text.split()) and "自评表改为「≥90%」" in "".join(text.split())


def test_the_command_line_notes_the_changes_given_the_approved_targets_file(tmp_path):
    from jixiao.cli import main
    from jixiao.formats import table_json, targets_json

    targets_json.dump(approved(), tmp_path / "targets.json")
    table_json.dump(self_evaluation(), tmp_path / "table.json")
    out = tmp_path / "forms.html"
    assert main(["export", str(tmp_path / "table.json"), "-o", str(out), "--layout", "mof-form",
                 "--targets", str(tmp_path / "targets.json")]) == 0
    assert LOWERED in out.read_text("utf-8")

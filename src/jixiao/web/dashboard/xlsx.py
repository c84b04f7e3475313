"""The dashboard's tables as one XLSX workbook (openpyxl), built in memory for the response.

Department names and every other text go through the formula guard
(:mod:`jixiao.formats.formula_guard`): a department called ``=HYPERLINK(…)`` is a string cell.
Numbers stay numbers: amounts with ``#,##0.00``, execution rates as fractions with ``0.00%``
(99.51 % is the number 0.9951, so a spreadsheet can sort and average it), scores ``0.00``; the
words (statuses, grades, severities) are in the workbook's language, the page's."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.core import money
from jixiao.formats.formula_guard import guard_xlsx_cell
from jixiao.web import language

from .aggregate import COLUMNS, Overview

HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
BOLD = Font(bold=True)


def _sheet(wb, title: str, header: list[str], rows: list[list], number_formats: dict[int, str] | None = None):
    ws = wb.create_sheet(title=title[:31])
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for i, column in enumerate(ws.iter_cols(), start=1):
        for cell in column:
            guard_xlsx_cell(cell)
        width = max(len(str(cell.value or "")) for cell in column)
        ws.column_dimensions[get_column_letter(i)].width = min(max(8, width * 1.8 + 2), 60)
        if number_formats and i in number_formats:
            for cell in column[1:]:
                cell.number_format = number_formats[i]
    ws.freeze_panes = "A2"


def rate_cell(rate):
    """An execution rate in percent (``Decimal("99.505")``) as the fraction a percent-formatted
    cell holds, rounded half-up to 2 decimals of a percent first (``Decimal("0.9951")``)."""
    if rate is None:
        return None
    return money.round_half_up(rate) / 100


def workbook(ov: Overview) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, _("部门对比"), [*(str(COLUMNS[k][0]) for k in COLUMNS), _("数据来源版本")], [
        [d["department"], str(d["status"]), d["projects"], d["budget"], d["actual"],
         rate_cell(d["rate"]), d["score"], d["gap"], d["excellent"], d["poor"], d["errors"], d["warnings"],
         d["version"]]
        for d in ov.departments], {4: AMOUNT_FORMAT, 5: AMOUNT_FORMAT, 6: RATE_FORMAT, 7: "0.00", 8: "0.00"})
    _sheet(wb, _("执行率分布"), [_("执行率区间"), _("项目数")], [[str(label), n] for _k, label, n in ov.bands])
    _sheet(wb, _("等级分布"), [_("等级"), _("项目数")], [[language.grade_label(g), n] for g, n in ov.grades])
    _sheet(wb, _("常见问题"), [_("检查代码"), _("严重程度"), _("检查项"), _("出现次数"), _("涉及项目数")],
           [[c, language.severity_label(s), t, n, p] for c, s, t, n, p in ov.findings])
    _sheet(wb, _("未报送或逾期"), [_("部门"), _("状态"), _("报送截止日期"), _("逾期")],
           [[d["department"], str(d["status"]), ov.deadline.isoformat() if ov.deadline else "",
             _("是") if ov.overdue else _("否")] for d in ov.outstanding])
    summary = wb.create_sheet(_("概况"), 0)
    for label, value in ((_("年度"), ov.year), (_("项目数"), ov.projects), (_("预算金额（万元）"), ov.budget),
                         (_("实际支出（万元）"), ov.actual), (_("执行率"), rate_cell(ov.rate))):
        summary.append([label, value])
        summary.cell(row=summary.max_row, column=1).font = BOLD
        guard_xlsx_cell(summary.cell(row=summary.max_row, column=2))
    summary["B3"].number_format = summary["B4"].number_format = AMOUNT_FORMAT
    summary["B5"].number_format = RATE_FORMAT
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 20
    out = BytesIO()
    wb.save(out)
    return out.getvalue()

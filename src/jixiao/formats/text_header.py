"""The header of a 附件2-3 table read from pdftotext text (attachment label, title, year,
department, money unit) and the check of the projects found against the table's 合计 row:
shared by the plain reader (``text_read``) and the -layout reader (``text_grid``), kept apart
so that neither imports the other's internals."""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.money import MoneyUnit
from ..errors import InputError
from .text_layout import SPACE, Fragment, fragments

# Pieces that are, exactly, text of the 附件2-3 column header (a page's repeated header).
HEADER_WORDS = frozenset("""
序号 单位 名称 单位名称 项目名称 是否政 府投资 项目 （是 /否） 项目年度 预算金额 实际支出金额 预算支 出执行
率 年初绩效目标 绩效目标整体完成 情况 绩效目标整体完成情况 产出目标 效益目标 满意度指标 项目执 行中存 在的问 题
整改 整改情况 合计 其中：财政拨款 非财 政 拨款 资金 数量指标 质量指标 时效指标 成本指标 经济效益指标 社会效益指标
生态效益指标 可持续影响指标 服务对象满意度指标 一般公共预算 政府性基金 政府性基 金预算 年度指标内容 完成情况 年度指标
内容 项目执行中存在的问题 预算支出执行率 非财政拨款资金 项目年度预算金额
""".split())


def read_header(lines: list[str], report: list[str]) -> dict:
    """The attachment label, title, year, department and money unit from the header lines
    (before the column header), as the plain reader reads them; notes go to ``report``."""
    return read_header_fragments(fragments("\n".join(lines)), report)


def read_header_fragments(frags: list[Fragment], report: list[str]) -> dict:
    lines: list[str] = []
    for f in frags:
        if f.sep == SPACE and lines:
            lines[-1] += " " + f.text
        else:
            lines.append(f.text)
    text = "\n".join(lines)
    out: dict = {"attachment": "", "title": "", "year": None, "department": "", "money_unit": None}
    m = re.search(r"附件\s*[\d一二三四五六七八九十]+(?:\s*[-—－–]\s*\d+)?", text)
    if m:
        out["attachment"] = re.sub(r"\s+", "", m.group(0)).replace("—", "-").replace("－", "-")
    for line in lines:
        if "绩效" in line and line.endswith("表") and len(line) < 80:
            out["title"] = line.replace(" ", "")
            break
    m = re.search(r"((?:19|20)\d{2})\s*年", out["title"] or text)
    if m:
        out["year"] = int(m.group(1))
    m = re.search(r"部门(?:名称)?\s*[（(]?\s*盖章\s*[)）]?\s*[：:]\s*([^\s]+)", text)
    if m:
        out["department"] = m.group(1)
    m = re.search(r"单位\s*[：:]\s*(万元|元)", text)
    if m:
        out["money_unit"] = MoneyUnit.parse(m.group(1))
    for line in lines:
        if any(piece in HEADER_WORDS for piece in line.split()):
            break  # the column header starts: everything in it is expected
        known = (out["attachment"] and line.replace(" ", "").startswith(out["attachment"])) or \
            line.replace(" ", "") == out["title"] or "盖章" in line or re.search(r"单位\s*[：:]\s*(万元|元)", line)
        if not known:
            report.append(f"表头中未识别的文字 / header text not placed: {line}")
    if out["year"] is None:
        report.append("表头中找不到年度 / no year found in the header")
    if not out["department"]:
        report.append("表头中找不到部门名称 / no department name found in the header")
    if out["money_unit"] is None:
        report.append("表头中找不到金额单位，按万元处理 / no money unit in the header; assuming 万元")
    return out


def check_totals(printed: list[Decimal | None], budgets: list[Decimal | None], source: str) -> None:
    """Refuse a reading whose projects do not add up to the table's own 合计 row.

    The 合计 row is not imported (totals are computed), but it tells whether every project
    was found: text extracted in an order the reader cannot follow (column by column, as
    pdftotext does for some PDFs) yields a few rows out of many, and a table with projects
    missing must not be taken for the whole table."""
    if not printed or printed[-1] is None:
        return
    found = sum((b for b in budgets if b is not None), Decimal(0))
    if found != printed[-1]:
        raise InputError(
            f"读出的项目预算合计 {found} 与表中合计行的 {printed[-1]} 不符：有项目没有读出（文本可能是按列而不是按行"
            "抽取的）；请改为导入 PDF 文件，或用 pdftotext -layout 抽取的文本",
            f"the projects read add up to a budget of {found}, but the table's 合计 row says {printed[-1]}: "
            "some projects were not found (the text may have been extracted column by column); import the PDF "
            "itself, or text extracted with pdftotext -layout", source=source)

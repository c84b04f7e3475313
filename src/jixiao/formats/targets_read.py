"""Read a 项目支出绩效目标表 from XLSX: jixiao's own layout and the regional ones it was shaped on.

Why by labels rather than by fixed cells: real forms (tests/fidelity/targets, docs/targets.md)
put the same fields in different places and under different names — 项目名称 or 项目支出名称,
主管部门 or 预算部门, 年度资金总额 or 资金总额, one 指标值及单位 cell (湘潭 2023: 「≥80M」) or
指标性质 · 指标值 · 度量单位 apart, 指标值设定依据 or 绩效标准. So each field is found by its label and
read from the cell to the label's right, and the indicator block by its header row, whose
columns are named, not counted. A merged cell counts as its value in every cell it covers (a
一级 label spanning its rows).

One worksheet is one project's form; a sheet that does not say 绩效目标 is skipped. The file is
refused before openpyxl opens it when its zip is a bomb (:func:`.xlsx_read.check_zip`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.target_sheet import (TargetIndicator, TargetProject, TargetSheet, indicator_from_text, read_basis,
                                 read_nature)
from ..core.targets import fold
from ..errors import InputError
from .importer import ImportLimits
from .xlsx_read import cell_text, check_zip

PROFILE_KEYWORD = "jixiao-profile:"

# Field labels as forms print them, after removing spaces and colons (the first that occurs wins).
PROJECT_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "项目支出名称"),
    "department": ("主管部门", "预算部门"),
    "unit": ("实施单位", "项目实施单位", "项目单位"),
    "total": ("年度资金总额", "资金总额", "总额"),
    "fiscal": ("其中财政拨款", "财政拨款", "年度本级预算金额", "本级预算金额"),
    "other": ("其他资金", "该项目支出上级资金", "上级资金"),
    "goal": ("年度总体目标", "本年度绩效目标", "年度绩效目标", "年度目标", "绩效目标"),
}
# Forms that list the non-fiscal sources one by one (宁乡 2021, 佳县): their sum is 其他资金.
OTHER_SOURCES: tuple[str, ...] = ("自有资金", "事业收入", "经营性收入", "其他")
# The indicator header: column key → the header texts that name it.
COLUMN_LABELS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "指标内容", "指标名称", "三级指标名称"),
    "nature": ("指标性质", "指标方向"),
    "value": ("指标值", "指标值及单位", "当年预期实现值", "目标值", "年度指标值", "预期目标值"),
    "unit": ("度量单位", "计量单位"),
    "weight": ("分值", "权重"),
    "basis": ("指标值设定依据", "绩效标准", "设定依据"),
    "last_actual": ("上年实际完成值", "上年实际值", "上年完成值"),
}
# 二级 words → the taxonomy key (环境效益 is the older name of 生态效益).
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("数量", "quantity"), ("质量", "quality"), ("时效", "timeliness"), ("成本", "cost"), ("经济", "economic"),
    ("社会效益", "social"), ("生态", "ecological"), ("环境", "ecological"), ("可持续", "sustainability"),
    ("满意", "satisfaction"),
)
END_WORDS = ("审核意见", "填表人", "填报人", "单位负责人", "其他说明")
_YEAR_RE = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_AMOUNT_RE = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?")
MAX_BYTES = 64 * 1024 ** 2


def _norm(text: str) -> str:
    return re.sub(r"[\s:：]", "", fold(text or ""))


def kind_of(level2: str, level1: str = "") -> str | None:
    """The 二级 key a form's 二级 label names (数量指标 → quantity), else None."""
    for text in (level2, level1):
        t = _norm(text)
        for word, key in KIND_WORDS:
            if word in t:
                return key
    return None


def read_amount(text: str) -> Decimal | None:
    """An amount cell (``250万``, ``10,606.7522``, ``0``) as a Decimal in the sheet's unit."""
    m = _AMOUNT_RE.search(fold(text or ""))
    if m is None:
        return None
    try:
        return Decimal(m.group().replace(",", ""))
    except InvalidOperation:
        return None


class _Grid:
    """A form's texts by (row, column), 1-based; a merged range's value in every cell."""

    def __init__(self, text: dict[tuple[int, int], str], owner: dict[tuple[int, int], tuple[int, int]]):
        self.text = text
        self.owner = owner
        for cell, top in owner.items():
            if top in text:
                text[cell] = text[top]
        self.rows = max((r for r, _ in text), default=0)
        self.cols = max((c for _, c in text), default=0)

    @classmethod
    def from_worksheet(cls, ws: Any) -> "_Grid":
        text: dict[tuple[int, int], str] = {}
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    text[c.row, c.column] = cell_text(c).strip()
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    owner[r, col] = (rng.min_row, rng.min_col)
        return cls(text, owner)

    @classmethod
    def from_rows(cls, rows: list[list[tuple[str, tuple[int, int]]]]) -> "_Grid":
        """From rows of (text, origin) cells, 0-based, as the PDF reader lays a ruled table out."""
        text: dict[tuple[int, int], str] = {}
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row in enumerate(rows, start=1):
            for c, (t, origin) in enumerate(row, start=1):
                top = (origin[0] + 1, origin[1] + 1)
                if top == (r, c):
                    if t.strip():
                        text[r, c] = t.strip()
                else:
                    owner[r, c] = top
                    owner.setdefault(top, top)
        return cls(text, owner)

    def get(self, r: int, c: int) -> str:
        return self.text.get((r, c), "")

    def right_of(self, r: int, c: int) -> str:
        """The value beside a label: the first cell right of the label's merged range."""
        me = self.owner.get((r, c), (r, c))
        col = c + 1
        while col <= self.cols and self.owner.get((r, col), (r, col)) == me:
            col += 1
        return self.get(r, col)


def _find_label(g: _Grid, labels: tuple[str, ...], below: int, above: int) -> tuple[int, int] | None:
    """The first cell (top-left of its merged range) whose text is one of ``labels``, in the
    labels' order of preference, between rows ``below`` and ``above``."""
    for label in labels:
        for r in range(below, above):
            for c in range(1, g.cols + 1):
                if g.owner.get((r, c), (r, c)) == (r, c) and _norm(g.get(r, c)) == label:
                    return r, c
    return None


def _header_rows(g: _Grid) -> list[tuple[int, dict[str, int]]]:
    """Every indicator header row with its columns by key."""
    found = []
    for r in range(1, g.rows + 1):
        cols: dict[str, int] = {}
        for c in range(1, g.cols + 1):
            t = _norm(g.get(r, c))
            for key, names in COLUMN_LABELS.items():
                if t in names and key not in cols:
                    cols[key] = c
        if "name" in cols and "level2" in cols and "value" in cols:
            found.append((r, cols))
    return found


def _header_row(g: _Grid) -> tuple[int, dict[str, int], int] | None:
    """The indicator block to read: its header row, columns and the row it ends before. A form
    with a 长期 and a 年度 block (宁乡 2021, 佳县) is read from the 年度 one — the block whose label
    (on its header row or the row above) says 年度 and not 长期 — else the first."""
    rows = _header_rows(g)
    if not rows:
        return None

    def origins(r: int) -> list[str]:  # the texts that start in row r (not a merge from above)
        return [_norm(g.get(r, c)) for c in range(1, g.cols + 1) if g.owner.get((r, c), (r, c)) == (r, c)]

    def label(r: int) -> str:
        return "".join(t for rr in (r - 1, r) for t in origins(rr)
                       if not any(t in names for names in COLUMN_LABELS.values()))

    pick = next((i for i, (r, _) in enumerate(rows) if "年度" in label(r) and "长期" not in label(r)), 0)
    end = g.rows + 1
    if pick + 1 < len(rows):
        nxt = rows[pick + 1][0]
        end = nxt - 1 if any("绩效指标" in t for t in origins(nxt - 1)) else nxt
    return rows[pick][0], rows[pick][1], end


def _is_targets_sheet(g: _Grid) -> bool:
    head = "".join(g.get(r, c) for r in range(1, min(g.rows, 6) + 1) for c in range(1, g.cols + 1))
    return "绩效目标" in head and "自评" not in head


def _project(g: _Grid, source: str, sheet_name: str) -> tuple[TargetProject, dict[str, str]]:
    found = _header_row(g)
    if found is None:
        raise InputError(f"工作表「{sheet_name}」找不到绩效指标的表头（一级指标、二级指标、三级指标、指标值）",
                         f"sheet “{sheet_name}”: no indicator header (一级指标, 二级指标, 三级指标, 指标值)",
                         source=source)
    header, cols, end = found
    top = min(r for r, _ in _header_rows(g))
    fields: dict[str, str] = {}
    for key, labels in PROJECT_LABELS.items():
        at = _find_label(g, labels, 1, top)
        fields[key] = g.right_of(*at) if at is not None else ""
    other = read_amount(fields["other"])
    if not fields["other"]:
        parts = [read_amount(g.right_of(*at)) for at in (_find_label(g, (w,), 1, top) for w in OTHER_SOURCES)
                 if at is not None]
        if any(x is not None for x in parts):
            other = sum((x for x in parts if x is not None), Decimal(0))
    name = fields["name"]
    if not name.strip():
        raise InputError(f"工作表「{sheet_name}」没有项目名称", f"sheet “{sheet_name}” has no project name",
                         source=source)
    inds: list[TargetIndicator] = []
    for r in range(header + 1, end):
        row = {k: g.get(r, c) for k, c in cols.items()}
        first = _norm(g.get(r, 1)) + _norm(g.get(r, 2))
        if any(w in first for w in END_WORDS):
            break
        if not row.get("name", "").strip() and not row.get("value", "").strip():
            continue
        kind = kind_of(row.get("level2", ""), row.get("level1", ""))
        if kind is None and not row.get("level2", "").strip() and not row.get("level1", "").strip() and inds:
            kind = inds[-1].kind  # a label written once for its rows (or cut by a page break) goes on
        if kind is None:
            raise InputError(f"工作表「{sheet_name}」第 {r} 行：无法识别二级指标「{row.get('level2', '')}」",
                             f"sheet “{sheet_name}”, row {r}: unknown level-2 indicator {row.get('level2', '')!r}",
                             source=source)
        extra = {"weight": read_amount(row.get("weight", "")), "basis": read_basis(row.get("basis", "")),
                 "last_actual": row.get("last_actual", "")}
        if "nature" in cols:
            inds.append(TargetIndicator(kind, row.get("name", ""), read_nature(row["nature"]), row.get("value", ""),
                                        row.get("unit", ""), **extra))
        else:
            text = row.get("value", "") + (row.get("unit", "") if "unit" in cols else "")
            inds.append(indicator_from_text(kind, row.get("name", ""), text, **extra))
    project = TargetProject(name, fields["department"], fields["unit"], read_amount(fields["total"]),
                            read_amount(fields["fiscal"]), other, fields["goal"], inds)
    return project, fields


def _sheet_facts(g: _Grid) -> tuple[int | None, str, str]:
    """The year, department and money unit the rows above the form print."""
    year, department, unit = None, "", ""
    headers = _header_rows(g)
    for r in range(1, (headers[0][0] if headers else min(g.rows, 8)) + 1):
        for c in range(1, g.cols + 1):
            t = g.get(r, c)
            if year is None and (m := _YEAR_RE.search(t)):
                year = int(m.group(1))
            n = _norm(t).replace("(盖章)", "").replace("（盖章）", "")
            for prefix in ("部门", "填报单位"):
                rest = re.sub(r"(金额)?单位(万元|元)$", "", n[len(prefix):]) if n.startswith(prefix) else ""
                if rest and not department:
                    department = rest
            if "万元" in n and ("单位" in n or "项目资金" in n):
                unit = unit or "万元"
            elif re.search(r"单位元$", n):
                unit = unit or "元"
    return year, department, unit


def read_targets_xlsx(path: str | Path, source: str | None = None, checked: bool = False) -> TargetSheet:
    """Every 绩效目标表 sheet of the workbook as one :class:`TargetSheet` (InputError when none).
    ``checked``: the importer has checked the file's size and zip under the import's limits
    already (:func:`.importer.read_file`); else they are checked here under the default limits."""
    import openpyxl

    source = source or str(path)
    p = Path(path)
    if not checked:
        try:
            if p.stat().st_size > MAX_BYTES:
                raise InputError(f"文件过大（上限 {MAX_BYTES} 字节）", f"file too large (limit {MAX_BYTES} bytes)",
                                 source=source)
        except FileNotFoundError:
            raise InputError("文件不存在", "file not found", source=source) from None
        check_zip(p, ImportLimits(), source)
    try:
        wb = openpyxl.load_workbook(p, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError("无法读取 XLSX 文件（文件损坏或不是 XLSX）", f"cannot read the XLSX file ({type(exc).__name__})",
                         source=source) from None
    grids = [(ws.title, _Grid.from_worksheet(ws)) for ws in wb.worksheets]
    keywords = wb.properties.keywords or ""
    profile = keywords[len(PROFILE_KEYWORD):] if keywords.startswith(PROFILE_KEYWORD) else ""
    return _sheet_of(grids, wb.properties.title or "", profile, source)


def _sheet_of(grids: list, title: str, profile: str, source: str) -> TargetSheet:
    """The sheet of every form (a grid, or (name, grid)) that is a 绩效目标表."""
    projects: list[TargetProject] = []
    year, department, unit = None, "", ""
    for i, item in enumerate(grids, start=1):
        name, g = item if isinstance(item, tuple) else (f"{i}", item)
        if not _is_targets_sheet(g):
            continue
        y, d, u = _sheet_facts(g)
        project, fields = _project(g, source, name)
        year = year or y
        department = department or d or fields["department"]
        unit = unit or u
        projects.append(project)
    if not projects:
        raise InputError("文件中没有绩效目标表（没有写明“绩效目标”的工作表或页面）",
                         "no performance targets form in the file (no sheet or page says 绩效目标)", source=source)
    if year is None:
        raise InputError("绩效目标表没有写明年度（如“2024年度”）", "the targets form names no year (such as 2024年度)",
                         source=source)
    return TargetSheet(year, department, unit or "万元", title, profile, projects)


def looks_like_targets_xlsx(path: str | Path) -> bool:
    """Whether an XLSX file's first worksheet is a 绩效目标表 (its first rows say 绩效目标, not 自评)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return False
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            return False
        head = "".join(str(v) for row in ws.iter_rows(max_row=6, values_only=True) for v in row if v is not None)
        return "绩效目标" in head and "自评" not in head
    finally:
        wb.close()


# ---------------------------------------------------------------------------
# PDF


def read_targets_pdf(path: str | Path, source: str | None = None, checked: bool = False) -> TargetSheet:
    """A 绩效目标表 from a text PDF with ruled tables (jixiao's export, or a form printed alike).

    Each ruled table is recovered cell by cell as for the self-evaluation table
    (:mod:`.pdf_read`: merged cells from the grid of edges, a cell's lines joined without a space
    unless the line was wrapped at one); a page whose text above its tables says 绩效目标 starts a
    project's form, a page that does not continues it (its repeated indicator header dropped). The
    lines above and below the tables (title, 年度, 部门 and 金额单位) are read as the form's first
    rows. The PDF is checked first as every PDF jixiao reads (:func:`.pdf_scan.check_pdf`: streams,
    pages, glyphs; ``checked``: done already); OCR is out of scope. Run it in the bounded child
    process (:mod:`.sandbox`) on a file from outside.
    """
    from .pdf_read import _cell_grid, _fill, _joined, _open, _refuse_unreadable, check_trailer, dedupe_chars
    from .pdf_scan import check_pdf

    source = source or str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError("文件不存在", "file not found", source=source)
    check_trailer(p, source)
    if not checked:
        check_pdf(p, ImportLimits(), source)
    pdf = _open(p, source)
    # Per form: the lines outside its tables, and its tables' rows (origins 0-based in the rows).
    forms: list[tuple[list[str], list[list[tuple[str, tuple[int, int]]]]]] = []
    try:
        for number, page in enumerate(pdf.pages, start=1):
            chars = dedupe_chars(page.chars)
            _refuse_unreadable(page, chars, number, source)
            tables = sorted((t for t in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
                             if len(t.cells) > 1), key=lambda t: t.bbox[1])
            if not tables:
                continue
            top, bottom = tables[0].bbox[1], tables[-1].bbox[3]
            above = _lines([c for c in chars if c["bottom"] <= top + 0.5])
            below = _lines([c for c in chars if c["top"] >= bottom - 0.5])
            rows: list[list[tuple[str, tuple[int, int]]]] = []  # origins 0-based in the page's rows
            for t in tables:
                xs, ys, cells = _cell_grid(t)
                spaces: dict = {}
                rows += [[(c.text, c.origin) for c in row]
                         for row in _joined(_fill(xs, ys, cells, chars, len(rows), spaces), spaces)]
            if "绩效目标" in "".join(above) or not forms:
                forms.append(([], []))
            else:
                rows = _drop_repeated_header(rows)
            lines, body = forms[-1]
            lines += above + below
            base = len(body)
            body += [[(t, (o[0] + base, o[1])) for t, o in row] for row in rows]
            page.close()
    finally:
        pdf.close()
    grids = []
    for lines, body in forms:
        n = len(lines)
        grids.append(_Grid.from_rows([[(line, (i, 0))] for i, line in enumerate(lines)]
                                     + [[(t, (o[0] + n, o[1])) for t, o in row] for row in body]))
    return _sheet_of(grids, "", "", source)


def _lines(chars: list[dict]) -> list[str]:
    """Text lines of loose characters (outside the tables), top to bottom."""
    lines: dict[int, list[dict]] = {}
    for ch in chars:
        lines.setdefault(round(ch["top"]), []).append(ch)
    out = []
    for key in sorted(lines):
        text = "".join(ch["text"] for ch in sorted(lines[key], key=lambda ch: ch["x0"])).strip()
        if text:
            out.append(text)
    return out


def _drop_repeated_header(rows: list) -> list:
    """A continuation page's rows without the indicator header its table repeats."""
    for i, row in enumerate(rows[:3]):
        texts = {_norm(t) for t, _ in row}
        if "三级指标" in texts and "二级指标" in texts:
            k = i + 1
            return [[(t, (o[0] - k, o[1])) for t, o in r] for r in rows[k:]]
    return rows


def pdf_says_targets(path: Path, source: str) -> bool:
    """Whether a PDF's first page says 绩效目标 and not 自评. Asked by the importer
    (:func:`.importer.read_file`) after the cheap checks every PDF jixiao reads passes
    (:func:`.pdf_scan.check_pdf`); an incomplete PDF is refused as the table import refuses it, and
    one pdfplumber cannot open is not a 绩效目标表 (the table import says what is wrong with it)."""
    from .pdf_read import check_trailer

    check_trailer(path, source)
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception:  # noqa: BLE001 - damaged or encrypted: the table import says which
        return False
    try:
        if not pdf.pages:
            return False
        text = "".join(c["text"] for c in pdf.pages[0].chars[:2000])
    except Exception:  # noqa: BLE001 - as above
        return False
    finally:
        pdf.close()
    return "绩效目标" in text and "自评" not in text

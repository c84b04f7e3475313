"""Table JSON: jixiao's interchange format (the shape of the seed's golden file).

``load``/``loads`` validate as they read and raise :class:`~jixiao.errors.InputError`
naming the file, the JSON path and the problem (in Chinese and English). ``dumps``
writes the golden file's shape back: loading the golden file and writing it gives an
equal document. The JSON Schema is ``schema/table.schema.json`` (see docs/table-json.md).

Format version 2 adds what a MoF 项目支出绩效自评表 holds: per-cell and per-三级 分值
(``weight``, ``items``), 年初预算数 (``initial_budget``), the scores a form printed
(``published``) and the table's scoring ``profile``. Every version-1 document (no
``version`` key) loads unchanged; a table that uses none of the new fields is written as
version 1, so older readers keep reading what jixiao writes for them.

Format version 3 adds a cell's ``not_applicable`` and ``na_reason`` (不适用 and why); it is
written only when a cell is marked. A cell whose target reads 「不适用」 (「不适用（理由）」) in a
file of any version loads as marked (core.model.read_not_applicable).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core import money, validation
from ..core.model import (AMOUNT_FIELDS, IndicatorCell, IndicatorItem, Project, Published, ScoreOverride, Table,
                          read_not_applicable)
from ..core.money import MoneyUnit
from ..core.taxonomy import CATEGORIES, KIND_BY_KEY, LAYOUTS
from ..errors import InputError

VERSION = 3  # the newest format version this module reads and writes
TOP_KEYS = {"version", "attachment", "title", "year", "department", "department_short", "money_unit",
            "columns_note", "layout", "profile", "projects"}
TOP_REQUIRED = ("year", "department", "money_unit", "projects")
PROJECT_KEYS = {"seq", "unit_name", "name", "gov_investment", *AMOUNT_FIELDS, "execution_rate",
                "annual_goal", "overall_completion", "indicators", "problems", "rectification",
                "overrides", "initial_budget", "published"}
PROJECT_REQUIRED = ("seq", "name")
TEXT_FIELDS = ("unit_name", "annual_goal", "overall_completion", "problems", "rectification")
OVERRIDE_KEYS = {"item", "score", "reason", "by", "at", "target"}
CELL_KEYS = {"target", "actual", "weight", "items", "not_applicable", "na_reason"}
ITEM_KEYS = {"name", "target", "actual", "weight", "published_score", "note"}
PUBLISHED_KEYS = {"execution_weight", "execution_score", "category_weights", "total", "grade", "total_text"}
CATEGORY_KEYS = tuple(c.key for c in CATEGORIES)
PROFILE_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,31}")
MAX_POINTS = Decimal(1000)  # 分值/得分: a form's total is 100; anything near 1000 is not a score

# Largest input accepted by default; a table JSON of a whole province-year is ~1 GB, so
# this guards against feeding an unrelated huge file, not against real tables.
DEFAULT_MAX_BYTES = 2 * 1024 ** 3
MAX_AMOUNT = Decimal(10) ** 15  # no budget comes near 10^15 元


class _Reader:
    """Walks a parsed document, raising InputError with the JSON path of the problem."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, zh: str, en: str) -> InputError:
        return InputError(zh, en, source=self.source, path=path)

    def obj(self, value: Any, path: str, allowed: set[str], required: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"应为对象，实为{_type_zh(value)}",
                            f"expected an object, got {_type_en(value)}")
        for key in required:
            if key not in value:
                raise self.fail(f"{path}.{key}", "缺少必填字段", "missing required field")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{path}.{unknown[0]}", "未知字段（拼写错误？）",
                            f"unknown field (a typo?); allowed: {', '.join(sorted(allowed))}")
        return value

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(path, f"应为文本，实为{_type_zh(value)}",
                            f"expected a string, got {_type_en(value)}")
        return value

    def integer(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(path, f"应为整数，实为{_type_zh(value)}",
                            f"expected an integer, got {_type_en(value)}")
        if isinstance(value, str):
            if not value.strip().isdecimal():  # isdigit() admits "²", which int() refuses
                raise self.fail(path, f"应为整数：{value!r}", f"expected an integer: {value!r}")
            return int(value.strip())
        return value

    def amount(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, (float, bool)) or isinstance(value, (list, dict)):
            if isinstance(value, float):  # json parse_float gives Decimal; floats never reach here
                value = Decimal(str(value))
            else:
                raise self.fail(path, f"金额应为数字或数字文本，实为{_type_zh(value)}",
                                f"an amount must be a number or numeric text, got {_type_en(value)}")
        try:
            result = money.parse_amount(value)
        except ValueError:
            raise self.fail(path, f"金额不是数字：{value!r}", f"amount is not a number: {value!r}") from None
        # JSON NaN/Infinity and absurd exponents (1e400) would break every later computation.
        if result is not None and (not result.is_finite() or abs(result) >= MAX_AMOUNT):
            shown = str(value) if isinstance(value, Decimal) else repr(value)
            raise self.fail(path, f"金额不是有限的合理数值：{shown}", f"amount is not a finite, plausible number: {shown}")
        return result


    def points(self, value: Any, path: str) -> Decimal | None:
        """A 分值 or 得分: a number from 0 to 1000, or missing."""
        result = self.amount(value, path)
        if result is not None and not 0 <= result <= MAX_POINTS:
            raise self.fail(path, f"分值/得分应在 0 到 {MAX_POINTS} 之间：{result}",
                            f"points must lie between 0 and {MAX_POINTS}: {result}")
        return result


def _type_en(v: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "true/false",
            type(None): "null", int: "a number", Decimal: "a number", float: "a number"}.get(type(v), type(v).__name__)


def _type_zh(v: Any) -> str:
    return {dict: "对象", list: "数组", str: "文本", bool: "布尔值", type(None): "空值(null)",
            int: "数字", Decimal: "数字", float: "数字"}.get(type(v), type(v).__name__)


def from_document(doc: Any, source: str = "<table>") -> Table:
    """Build a :class:`Table` from a parsed JSON document, validating every field."""
    r = _Reader(source)
    r.obj(doc, "$", TOP_KEYS, TOP_REQUIRED)
    if "version" in doc:
        version = r.integer(doc["version"], "$.version")
        if not 1 <= version <= VERSION:
            raise r.fail("$.version", f"表格 JSON 第 {version} 版，本程序只读到第 {VERSION} 版（请升级 jixiao）",
                         f"table JSON version {version}; this jixiao reads up to version {VERSION} (upgrade jixiao)")
    year = r.integer(doc["year"], "$.year")
    if not 1949 <= year <= 2200:
        raise r.fail("$.year", f"年度不合理：{year}", f"implausible year: {year}")
    unit_text = r.text(doc["money_unit"], "$.money_unit")
    try:
        unit = MoneyUnit.parse(unit_text)
    except ValueError:
        raise r.fail("$.money_unit", f"未知的金额单位：{unit_text!r}（应为 元 或 万元）",
                     f"unknown money unit {unit_text!r} (expected 元 or 万元)") from None
    layout = _layout(r, doc.get("layout"))
    projects_doc = doc["projects"]
    if not isinstance(projects_doc, list):
        raise r.fail("$.projects", f"应为数组，实为{_type_zh(projects_doc)}",
                     f"expected an array, got {_type_en(projects_doc)}")
    projects = [_project(r, p, f"$.projects[{i}]") for i, p in enumerate(projects_doc)]
    department = r.text(doc["department"], "$.department")
    if not department.strip():
        raise r.fail("$.department", "部门名称为空", "department name is empty")
    return Table(
        year=year,
        department=department,
        projects=projects,
        money_unit=unit,
        attachment=r.text(doc.get("attachment"), "$.attachment"),
        title=r.text(doc.get("title"), "$.title"),
        department_short=r.text(doc.get("department_short"), "$.department_short"),
        columns_note=r.text(doc.get("columns_note"), "$.columns_note"),
        layout=layout,
        profile=_profile(r, doc.get("profile")),
    )


def _profile(r: _Reader, value: Any) -> str:
    text = r.text(value, "$.profile").strip()
    if text and not PROFILE_PATTERN.fullmatch(text):
        raise r.fail("$.profile", f"评分方案名称不合规：{text!r}（小写字母、数字、- 或 _）",
                     f"malformed scoring profile name {text!r} (lower-case letters, digits, - or _)")
    return text


def _layout(r: _Reader, value: Any) -> tuple[str, ...]:
    if value is None:
        return LAYOUTS["disclosure-2019"]
    if isinstance(value, str):
        if value not in LAYOUTS:
            raise r.fail("$.layout", f"未知的版式：{value!r}", f"unknown layout {value!r}; known: {', '.join(LAYOUTS)}")
        return LAYOUTS[value]
    if not isinstance(value, list) or not value:
        raise r.fail("$.layout", "版式应为版式名称或指标键数组", "layout must be a layout name or an array of indicator keys")
    for i, key in enumerate(value):
        if not isinstance(key, str) or key not in KIND_BY_KEY:
            raise r.fail(f"$.layout[{i}]", f"未知的指标类别：{key!r}",
                         f"unknown indicator kind {key!r}; known: {', '.join(KIND_BY_KEY)}")
    return tuple(value)


def _project(r: _Reader, p: Any, path: str) -> Project:
    r.obj(p, path, PROJECT_KEYS, PROJECT_REQUIRED)
    gov = p.get("gov_investment")
    if gov in ("是", "否"):
        gov = gov == "是"
    elif gov is not None and not isinstance(gov, bool):
        raise r.fail(f"{path}.gov_investment", "是否政府投资项目应为 true/false 或 是/否",
                     "gov_investment must be true/false or 是/否")
    indicators: dict[str, IndicatorCell] = {}
    ind_doc = p.get("indicators") or {}
    if not isinstance(ind_doc, dict):
        raise r.fail(f"{path}.indicators", "应为对象", "expected an object")
    for key, cell in ind_doc.items():
        cpath = f"{path}.indicators.{key}"
        if key not in KIND_BY_KEY:
            raise r.fail(cpath, f"未知的指标类别：{key!r}",
                         f"unknown indicator kind {key!r}; known: {', '.join(KIND_BY_KEY)}")
        indicators[key] = _cell(r, cell, cpath)
    overrides = []
    ov_doc = p.get("overrides") or []
    if not isinstance(ov_doc, list):
        raise r.fail(f"{path}.overrides", "应为数组", "expected an array")
    for i, ov in enumerate(ov_doc):
        opath = f"{path}.overrides[{i}]"
        r.obj(ov, opath, OVERRIDE_KEYS, ("item", "score", "reason"))
        score = r.amount(ov["score"], f"{opath}.score")
        if score is None:
            raise r.fail(f"{opath}.score", "缺少分数", "missing score")
        reason = r.text(ov["reason"], f"{opath}.reason")
        if not reason.strip():
            raise r.fail(f"{opath}.reason", "调整评分必须说明理由", "an override needs a reason")
        overrides.append(ScoreOverride(item=r.text(ov["item"], f"{opath}.item"), score=score, reason=reason,
                                       by=r.text(ov.get("by"), f"{opath}.by"), at=r.text(ov.get("at"), f"{opath}.at"),
                                       target=r.text(ov.get("target"), f"{opath}.target")))
    name = r.text(p["name"], f"{path}.name")
    published = _published(r, p.get("published"), f"{path}.published")
    return Project(
        seq=r.integer(p["seq"], f"{path}.seq"),
        name=name,
        gov_investment=gov,
        execution_rate_text=r.text(p.get("execution_rate"), f"{path}.execution_rate"),
        indicators=indicators,
        overrides=overrides,
        **{f: r.text(p.get(f), f"{path}.{f}") for f in TEXT_FIELDS},
        **{f: r.amount(p.get(f), f"{path}.{f}") for f in AMOUNT_FIELDS},
        initial_budget=r.amount(p.get("initial_budget"), f"{path}.initial_budget"),
        published=published,
    )


def _cell(r: _Reader, cell: Any, path: str) -> IndicatorCell:
    r.obj(cell, path, CELL_KEYS, ())
    items_doc = cell.get("items")
    items_doc = [] if items_doc is None else items_doc
    if not isinstance(items_doc, list):
        raise r.fail(f"{path}.items", f"应为数组，实为{_type_zh(items_doc)}", f"expected an array, got {_type_en(items_doc)}")
    items = []
    for i, item in enumerate(items_doc):
        ipath = f"{path}.items[{i}]"
        r.obj(item, ipath, ITEM_KEYS, ())
        items.append(IndicatorItem(
            name=r.text(item.get("name"), f"{ipath}.name"), target=r.text(item.get("target"), f"{ipath}.target"),
            actual=r.text(item.get("actual"), f"{ipath}.actual"), weight=r.points(item.get("weight"), f"{ipath}.weight"),
            published_score=r.points(item.get("published_score"), f"{ipath}.published_score"),
            note=r.text(item.get("note"), f"{ipath}.note")))
    na = cell.get("not_applicable")
    if na is not None and not isinstance(na, bool):
        raise r.fail(f"{path}.not_applicable", "应为 true/false", "expected true or false")
    return read_not_applicable(IndicatorCell(
        target=r.text(cell.get("target"), f"{path}.target"), actual=r.text(cell.get("actual"), f"{path}.actual"),
        weight=r.points(cell.get("weight"), f"{path}.weight"), items=items, not_applicable=bool(na),
        na_reason=r.text(cell.get("na_reason"), f"{path}.na_reason")))


def cell_from_document(doc: Any, path: str = "$", source: str = "<cell>") -> IndicatorCell:
    """One indicator cell from its table-JSON object (the web app stores cells so)."""
    return _cell(_Reader(source), doc, path)


def _published(r: _Reader, value: Any, path: str) -> Published | None:
    if value is None:
        return None
    r.obj(value, path, PUBLISHED_KEYS, ())
    weights_doc = value.get("category_weights")
    weights_doc = {} if weights_doc is None else weights_doc
    if not isinstance(weights_doc, dict):
        raise r.fail(f"{path}.category_weights", "应为对象", "expected an object")
    weights = {}
    for key, w in weights_doc.items():
        if key not in CATEGORY_KEYS:
            raise r.fail(f"{path}.category_weights.{key}", f"未知的一级指标：{key!r}",
                         f"unknown indicator category {key!r}; known: {', '.join(CATEGORY_KEYS)}")
        points = r.points(w, f"{path}.category_weights.{key}")
        if points is not None:
            weights[key] = points
    return Published(
        execution_weight=r.points(value.get("execution_weight"), f"{path}.execution_weight"),
        execution_score=r.points(value.get("execution_score"), f"{path}.execution_score"),
        category_weights=weights, total=r.points(value.get("total"), f"{path}.total"),
        grade=r.text(value.get("grade"), f"{path}.grade"), total_text=r.text(value.get("total_text"), f"{path}.total_text"))


def published_from_document(doc: Any, path: str = "$", source: str = "<published>") -> Published | None:
    """A project's published scores from their table-JSON object (``None`` for ``null``)."""
    return _published(_Reader(source), doc, path)


def loads(text: str | bytes, source: str = "<table>") -> Table:
    """Parse table JSON text; raises InputError with the line and column of a syntax error."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError("文件不是 UTF-8 编码的文本", f"file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                             source=source) from None
    text = text.lstrip("\ufeff")
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列",
                         f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                         source=source) from None
    except RecursionError:
        raise InputError("JSON 嵌套过深", "JSON nested too deeply", source=source) from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's int limit)
        raise InputError("JSON 中的数字过长", f"a number in the JSON is too long ({exc})", source=source) from None
    table = from_document(doc, source)
    # The bounds every way in shares (docs/table-json.md, "Limits"): one field-level message.
    validation.check_table(table, source)
    return table


def load(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Table:
    """Read a table JSON file (``-`` is not accepted here; the CLI handles stdin)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"文件过大（{size} 字节，上限 {max_bytes}）",
                             f"file too large ({size} bytes, limit {max_bytes})", source=str(path))
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("文件不存在", "file not found", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", "is a directory, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("没有读取权限", "permission denied", source=str(path)) from None
    return loads(data, source=str(path))


def to_document(table: Table) -> dict[str, Any]:
    """The table as a JSON-ready dict in the golden file's key order."""
    doc: dict[str, Any] = {}
    version = version_of(table)
    if version > 1:
        doc["version"] = version
    if table.attachment:
        doc["attachment"] = table.attachment
    doc["title"] = table.display_title
    doc["year"] = table.year
    doc["department"] = table.department
    if table.department_short:
        doc["department_short"] = table.department_short
    doc["money_unit"] = table.money_unit.value
    if table.columns_note:
        doc["columns_note"] = table.columns_note
    if table.layout != LAYOUTS["disclosure-2019"]:
        named = [n for n, keys in LAYOUTS.items() if keys == table.layout]
        doc["layout"] = named[0] if named else list(table.layout)
    if table.profile:
        doc["profile"] = table.profile
    doc["projects"] = [_project_doc(p) for p in table.projects]
    return doc


def version_of(table: Table) -> int:
    """The oldest format version that holds everything in ``table`` (1, 2 or 3)."""
    if any(c.not_applicable for p in table.projects for c in p.indicators.values()):
        return 3
    return 2 if uses_version_2(table) else 1


def uses_version_2(table: Table) -> bool:
    """Whether the table holds anything a version-1 reader would lose."""
    return bool(table.profile) or any(
        p.initial_budget is not None or p.published is not None
        or any(c.weight is not None or c.items for c in p.indicators.values())
        for p in table.projects)


def _amount_text(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def cell_document(c: IndicatorCell) -> dict[str, Any]:
    """An indicator cell as its table-JSON object (the version-1 shape when it has no 分值 or items)."""
    d: dict[str, Any] = {"target": c.target, "actual": c.actual}
    if c.weight is not None:
        d["weight"] = str(c.weight)
    if c.items:
        d["items"] = [_item_doc(i) for i in c.items]
    if c.not_applicable:
        d["not_applicable"] = True
        d["na_reason"] = c.na_reason
    return d


def _item_doc(i: IndicatorItem) -> dict[str, Any]:
    d: dict[str, Any] = {"name": i.name, "target": i.target, "actual": i.actual}
    if i.weight is not None:
        d["weight"] = str(i.weight)
    if i.published_score is not None:
        d["published_score"] = str(i.published_score)
    if i.note:
        d["note"] = i.note
    return d


def published_document(pub: Published | None) -> dict[str, Any] | None:
    """A project's published scores as their table-JSON object (only what was printed)."""
    if pub is None:
        return None
    d: dict[str, Any] = {}
    for f in ("execution_weight", "execution_score"):
        if getattr(pub, f) is not None:
            d[f] = str(getattr(pub, f))
    if pub.category_weights:
        d["category_weights"] = {k: str(pub.category_weights[k]) for k in CATEGORY_KEYS if k in pub.category_weights}
    if pub.total is not None:
        d["total"] = str(pub.total)
    if pub.total_text:
        d["total_text"] = pub.total_text
    if pub.grade:
        d["grade"] = pub.grade
    return d


def _project_doc(p: Project) -> dict[str, Any]:
    d: dict[str, Any] = {
        "seq": p.seq,
        "unit_name": p.unit_name,
        "name": p.name,
        "gov_investment": p.gov_investment,
    }
    if p.initial_budget is not None:
        d["initial_budget"] = _amount_text(p.initial_budget)  # 年初预算数, before 全年预算数
    for f in AMOUNT_FIELDS:
        d[f] = _amount_text(getattr(p, f))
    d["execution_rate"] = p.execution_rate_text or money.format_rate(p.execution_rate)
    d["annual_goal"] = p.annual_goal
    d["overall_completion"] = p.overall_completion
    d["indicators"] = {k: cell_document(c) for k, c in p.sorted_indicators()}
    d["problems"] = p.problems
    d["rectification"] = p.rectification
    if p.overrides:
        d["overrides"] = [
            {"item": o.item, "score": str(o.score), "reason": o.reason, **({"by": o.by} if o.by else {}),
             **({"at": o.at} if o.at else {}), **({"target": o.target} if o.target else {})}
            for o in p.overrides
        ]
    if p.published is not None:
        d["published"] = published_document(p.published)
    return d


def dumps(table: Table) -> str:
    """Serialise like the golden file: UTF-8 text, one-space indent, Chinese unescaped."""
    return json.dumps(to_document(table), ensure_ascii=False, indent=1) + "\n"


def dump(table: Table, path: str | Path) -> None:
    """Write atomically: a failed write never leaves a half-written file behind."""
    from .atomic import write_text_atomic

    write_text_atomic(path, dumps(table))

"""Targets JSON: a 绩效目标表 (targets set with the budget) as a versioned JSON document.

Why a document of its own rather than more fields in table JSON: the two are written a year
apart by different hands for different readers — the 绩效目标表 with the budget, reviewed by the
finance bureau before the year; the 附件2-3 table after it. A ``"kind": "targets"`` key tells
them apart (table JSON rejects the key, so neither loads as the other by mistake), and each
keeps its own version.

``loads``/``load`` validate as they read and raise :class:`~jixiao.errors.InputError` naming
the file, the JSON path and the problem in Chinese and English; ``dumps`` writes every field,
so ``loads(dumps(sheet)) == sheet``. Amounts and 分值 are written as decimal strings (exact);
numbers are accepted on reading. The JSON Schema is ``schema/targets.schema.json``
(docs/table-json.md, "Targets JSON").
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.target_sheet import BASES, NATURES, TargetIndicator, TargetProject, TargetSheet
from ..core.taxonomy import KIND_BY_KEY
from ..errors import InputError
from .atomic import write_text_atomic

KIND = "targets"
VERSION = 1
TOP_KEYS = {"kind", "version", "year", "department", "money_unit", "title", "profile", "projects"}
PROJECT_KEYS = {"name", "department", "unit", "funds", "goal", "indicators"}
FUNDS_KEYS = {"total", "fiscal", "other"}
INDICATOR_KEYS = {"kind", "name", "nature", "value", "unit", "weight", "basis", "last_actual"}
MAX_AMOUNT = Decimal(10) ** 15
MAX_POINTS = Decimal(1000)
MAX_TEXT = 100_000  # characters of one field: a target is a sentence, not a book
DEFAULT_MAX_BYTES = 256 * 1024 ** 2


def _fail(source: str, path: str, zh: str, en: str) -> InputError:
    return InputError(zh, en, source=source, path=path)


def _obj(v: Any, source: str, path: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
    if not isinstance(v, dict):
        raise _fail(source, path, "应为对象", "expected an object")
    for key in required:
        if key not in v:
            raise _fail(source, f"{path}.{key}", "缺少必填字段", "missing required field")
    unknown = sorted(set(v) - allowed)
    if unknown:
        raise _fail(source, f"{path}.{unknown[0]}", "未知字段（拼写错误？）",
                    f"unknown field (a typo?); allowed: {', '.join(sorted(allowed))}")
    return v


def _text(v: Any, source: str, path: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise _fail(source, path, "应为文本", "expected text")
    if len(v) > MAX_TEXT:
        raise _fail(source, path, f"文本过长（上限 {MAX_TEXT} 字）", f"text too long (limit {MAX_TEXT} characters)")
    return v


def _decimal(v: Any, source: str, path: str, limit: Decimal) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool) or not isinstance(v, (int, Decimal, float, str)):
        raise _fail(source, path, "应为数值或数值文本", "expected a number or numeric text")
    try:
        d = Decimal(v.strip().replace(",", "")) if isinstance(v, str) else Decimal(str(v))
    except InvalidOperation:
        raise _fail(source, path, f"不是数值：{v!r}", f"not a number: {v!r}") from None
    if not d.is_finite() or abs(d) >= limit:
        raise _fail(source, path, "数值超出范围", "number out of range")
    return d


def from_document(doc: Any, source: str = "<targets>") -> TargetSheet:
    top = _obj(doc, source, "$", TOP_KEYS, ("kind", "year", "projects"))
    if top["kind"] != KIND:
        raise _fail(source, "$.kind", f"应为 \"{KIND}\"", f"must be \"{KIND}\"")
    version = top.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise _fail(source, "$.version", f"不支持的版本（本程序读取 1–{VERSION}）",
                    f"unsupported version (this program reads 1–{VERSION})")
    year = top["year"]
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise _fail(source, "$.year", "年度应为 1949–2200 的整数", "year must be an integer 1949–2200")
    money_unit = _text(top.get("money_unit"), source, "$.money_unit").strip() or "万元"
    if money_unit not in ("元", "万元"):
        raise _fail(source, "$.money_unit", "金额单位应为 元 或 万元", "money unit must be 元 or 万元")
    profile = _text(top.get("profile"), source, "$.profile").strip()
    projects = top["projects"]
    if not isinstance(projects, list):
        raise _fail(source, "$.projects", "应为数组", "expected an array")
    return TargetSheet(year, _text(top.get("department"), source, "$.department"), money_unit,
                       _text(top.get("title"), source, "$.title"), profile,
                       [_project(p, source, f"$.projects[{i}]") for i, p in enumerate(projects)])


def _project(p: Any, source: str, path: str) -> TargetProject:
    p = _obj(p, source, path, PROJECT_KEYS, ("name",))
    name = _text(p["name"], source, f"{path}.name")
    if not name.strip():
        raise _fail(source, f"{path}.name", "项目名称不能为空", "project name must not be blank")
    funds = _obj(p.get("funds") or {}, source, f"{path}.funds", FUNDS_KEYS)
    amounts = {k: _decimal(funds.get(k), source, f"{path}.funds.{k}", MAX_AMOUNT) for k in FUNDS_KEYS}
    indicators = p.get("indicators") or []
    if not isinstance(indicators, list):
        raise _fail(source, f"{path}.indicators", "应为数组", "expected an array")
    return TargetProject(name, _text(p.get("department"), source, f"{path}.department"),
                         _text(p.get("unit"), source, f"{path}.unit"), amounts["total"], amounts["fiscal"],
                         amounts["other"], _text(p.get("goal"), source, f"{path}.goal"),
                         [_indicator(x, source, f"{path}.indicators[{i}]") for i, x in enumerate(indicators)])


def _indicator(x: Any, source: str, path: str) -> TargetIndicator:
    x = _obj(x, source, path, INDICATOR_KEYS, ("kind", "name"))
    kind = x["kind"]
    if kind not in KIND_BY_KEY:
        raise _fail(source, f"{path}.kind", "未知的二级指标", f"unknown indicator kind; known: {', '.join(KIND_BY_KEY)}")
    nature = x.get("nature")
    if nature is not None and nature not in NATURES:
        raise _fail(source, f"{path}.nature", "指标性质应为 >=、<=、= 或 qualitative",
                    "nature must be >=, <=, = or qualitative")
    basis = x.get("basis")
    if basis is not None and basis not in BASES:
        raise _fail(source, f"{path}.basis", "指标值设定依据应为 plan、industry、history 或 other",
                    "basis must be plan, industry, history or other")
    weight = _decimal(x.get("weight"), source, f"{path}.weight", MAX_POINTS)
    if weight is not None and weight < 0:
        raise _fail(source, f"{path}.weight", "分值不能为负数", "a weight must not be negative")
    return TargetIndicator(kind, _text(x["name"], source, f"{path}.name"), nature,
                           _text(x.get("value"), source, f"{path}.value"), _text(x.get("unit"), source, f"{path}.unit"),
                           weight, basis, _text(x.get("last_actual"), source, f"{path}.last_actual"))


def is_targets_document(doc: Any) -> bool:
    """Whether a parsed JSON document says it is a 绩效目标表 (``"kind": "targets"``)."""
    return isinstance(doc, dict) and doc.get("kind") == KIND


def parse_json(text: str | bytes, source: str) -> Any:
    """JSON text to a document (floats as Decimal), with the problem in both languages."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("文件不是 UTF-8 编码的文本", "file is not UTF-8 text", source=source) from None
    try:
        return json.loads(text.lstrip("\ufeff"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列",
                         f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", source=source) from None
    except (RecursionError, ValueError):
        raise InputError("JSON 无法读取（嵌套过深或数字过长）", "JSON cannot be read (nested too deeply or a number "
                         "too long)", source=source) from None


def loads(text: str | bytes, source: str = "<targets>") -> TargetSheet:
    return from_document(parse_json(text, source), source)


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    p = Path(path)
    try:
        if p.stat().st_size > max_bytes:
            raise InputError(f"文件过大（上限 {max_bytes} 字节）", f"file too large (limit {max_bytes} bytes)",
                             source=str(path))
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("文件不存在", "file not found", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", "is a directory, not a file", source=str(path)) from None
    except PermissionError:
        raise InputError("没有读取权限", "permission denied", source=str(path)) from None


def load(path: str | Path) -> TargetSheet:
    return loads(read_bytes(path), source=str(path))


def _amount(v: Decimal | None) -> str | None:
    return None if v is None else f"{v:f}"


def to_document(sheet: TargetSheet) -> dict[str, Any]:
    return {
        "kind": KIND, "version": VERSION, "year": sheet.year, "department": sheet.department,
        "money_unit": sheet.money_unit, "title": sheet.title, "profile": sheet.profile,
        "projects": [{
            "name": p.name, "department": p.department, "unit": p.unit,
            "funds": {"total": _amount(p.total), "fiscal": _amount(p.fiscal), "other": _amount(p.other)},
            "goal": p.goal,
            "indicators": [{
                "kind": i.kind, "name": i.name, "nature": i.nature, "value": i.value, "unit": i.unit,
                "weight": _amount(i.weight), "basis": i.basis, "last_actual": i.last_actual,
            } for i in p.indicators],
        } for p in sheet.projects],
    }


def dumps(sheet: TargetSheet) -> str:
    return json.dumps(to_document(sheet), ensure_ascii=False, indent=1) + "\n"


def dump(sheet: TargetSheet, path: str | Path) -> None:
    write_text_atomic(path, dumps(sheet))

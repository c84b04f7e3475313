"""The 绩效目标表 in ``jixiao import``, ``jixiao export`` and ``jixiao check``.

Why in the existing commands rather than new ones: a user hands jixiao a file; which kind of
document it is — a self-evaluation table or the targets set with the budget — is told from
its content: a JSON document that says ``"kind": "targets"``, or a workbook whose first sheet
(a PDF whose first page, a text whose first lines) says 绩效目标 and not 自评 — asked in the
bounded child process that reads untrusted files, the one that then reads the file
(:func:`read_input` for ``import`` and ``check --history``, which take either kind;
:func:`targets_of` for ``check`` and ``export``, which read other files as table JSON). The rest of each
command is as for a table: bad input exits 2 with one bilingual line and writes nothing,
outputs are written atomically, ``check`` exits 1 when an error-severity finding is found
(docs/cli.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.checks import Finding, count_by_severity
from ..core.target_history import TargetHistory
from ..core.target_sheet import TargetSheet
from ..errors import InputError
from ..formats import targets_json
from ..formats.import_result import ImportResult
from .sniff import head as _head
from .sniff import head_is_targets_json

EXPORT_FORMATS = ("json", "xlsx", "pdf")


def may_be_targets_form(head: bytes) -> bool:
    """Whether a file's first bytes (:func:`.sniff.head`) are an XLSX or PDF file's, which the child
    process tells the kind of, or text whose first lines say 绩效目标 and not 自评
    (:func:`.targets_text.head_is_targets_text`: a self-evaluation table's text goes straight to
    the table import, without a second child)."""
    from ..formats.targets_text import head_is_targets_text

    return head[:5] == b"%PDF-" or head[:2] == b"PK" or head_is_targets_text(head)


def targets_of(path: str, limits: Any = None) -> TargetSheet | None:
    """The 绩效目标表 in ``path`` — targets JSON read here, an XLSX, PDF or text read in the bounded
    child process (:func:`jixiao.formats.sandbox.import_targets`) — or None when the file is
    something else (a self-evaluation table, which the caller reads as before). InputError for a
    targets file that cannot be used."""
    head = _head(path)
    if head_is_targets_json(head):
        return targets_json.load(path)
    if may_be_targets_form(head):
        from ..formats.sandbox import import_targets
        return import_targets(path, limits)
    return None


def read_input(path: str, limits: Any = None, head: bytes | None = None) -> TargetSheet | ImportResult:
    """What ``jixiao import`` reads from ``path``: targets JSON read here; any other file told and
    read in one bounded child process (:func:`jixiao.formats.sandbox.import_document`) — the
    绩效目标表 when the file is one, else the self-evaluation table. ``head``: the file's first
    bytes (:func:`.sniff.head`) when the caller has read them. InputError for a file that cannot
    be used."""
    if head_is_targets_json(_head(path) if head is None else head):
        return targets_json.load(path)
    from ..formats import sandbox

    return sandbox.import_document(path, limits=limits)


# ---------------------------------------------------------------------------
# import


def describe(sheet: TargetSheet) -> str:
    """What an import of ``sheet`` reports: its projects and indicators, in both languages."""
    n = sum(len(p.indicators) for p in sheet.projects)
    return f"绩效目标表 / targets form, {len(sheet.projects)} 个项目 / projects, {n} 个三级指标 / indicators"


def run_import(sheet: TargetSheet, path: str, output: str, report: str | None) -> int:
    if not output.lower().endswith(".json"):
        raise InputError("绩效目标表导入为 JSON：输出文件名应以 .json 结尾",
                         "a targets form is imported as JSON: the output name must end in .json")
    targets_json.dump(sheet, output)
    n = sum(len(p.indicators) for p in sheet.projects)
    line = (f"已导入绩效目标表 / imported targets: {output} ({len(sheet.projects)} 个项目 / projects, "
            f"{n} 个三级指标 / indicators)")
    if report:
        from ..formats.atomic import write_text_atomic
        write_text_atomic(report, f"{path}: {describe(sheet)}\n")
    print(line)
    return 0


# ---------------------------------------------------------------------------
# export


def run_export(sheet: TargetSheet, output: str, fmt: str | None, refused_options: list[str]) -> int:
    if refused_options:
        raise InputError(f"绩效目标表的导出不支持 {', '.join(refused_options)}",
                         f"{', '.join(refused_options)} does not apply to a targets form")
    fmt = (fmt or Path(output).suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"绩效目标表可导出为 {', '.join(EXPORT_FORMATS)}（按输出后缀），不支持「{fmt}」",
                         f"a targets form exports as {', '.join(EXPORT_FORMATS)} (by the output suffix), not {fmt!r}")
    if fmt == "json":
        targets_json.dump(sheet, output)
    elif fmt == "xlsx":
        from ..formats.targets_xlsx import write_targets_xlsx
        write_targets_xlsx(sheet, output)
    else:
        from ..formats.targets_typst import write_targets_pdf
        write_targets_pdf(sheet, output)
    print(f"已导出绩效目标表 / exported targets: {output} ({len(sheet.projects)} 个项目 / projects)")
    return 0


# ---------------------------------------------------------------------------
# check


def load_history(paths: list[str], limits: Any = None) -> TargetHistory:
    """The department's earlier years from the files of ``jixiao check --history`` (JX612): a
    绩效目标表 (targets JSON, XLSX, PDF or text) gives its targets as approved that year; any other file
    is the self-evaluation of its year — table JSON or JSON Lines read here, an XLSX, PDF or
    text imported as ``jixiao import`` does (:func:`read_input`: one bounded child process)."""
    from .show import iter_tables

    history = TargetHistory()
    for path in paths:
        head = _head(path)
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if head_is_targets_json(head) or (start and not start.startswith((b"{", b"["))):
            read = read_input(path, limits, head)
            if isinstance(read, TargetSheet):
                history.add_targets(read)
            else:
                history.add_table(read.table)
        else:
            for _source, table in iter_tables(path):
                history.add_table(table)
    return history


def history_summary(history: TargetHistory) -> list[dict[str, Any]]:
    """What ``--history`` gave, per year and source: ``{"year", "source", "values"}``."""
    return [{"year": year, "source": source, "values": n} for year, source, n in history.summary()]


def report(sheet: TargetSheet, findings: list[Finding], source: str,
           history: TargetHistory | None = None) -> dict[str, Any]:
    """The ``--json`` object of ``jixiao check`` for a 绩效目标表 (docs/cli.md); ``history`` only
    when ``--history`` was given."""
    out = {
        "file": source, "kind": "targets", "department": sheet.department, "year": sheet.year,
        "title": sheet.display_title, "money_unit": sheet.money_unit,
        "projects": [{"seq": i + 1, "name": p.name, "indicators": len(p.indicators)}
                     for i, p in enumerate(sheet.projects)],
        "counts": count_by_severity(findings),
        "findings": [f.to_dict() for f in findings],
    }
    if history is not None:
        out["history"] = history_summary(history)
    return out

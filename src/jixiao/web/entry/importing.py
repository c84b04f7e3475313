"""Import in the browser: check the upload, read it with the importers, keep a preview run,
and save it on confirmation.

Size and type are checked from the declared size and the first bytes, before any parser
sees the file. Reading is the importers' job, in a child process bounded by the operating
system (:func:`jixiao.formats.sandbox.import_file`): the parse never runs in the server
process, so a hostile file cannot grow the server's memory or hold it past the time limit.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError
from django.utils import timezone

from jixiao.core import validation
from jixiao.core.model import Table
from jixiao.errors import InputError, JixiaoError
from jixiao.formats import sandbox, table_json
from jixiao.formats.import_result import ImportResult

from . import analysis, convert, table_lock
from .models import DisclosureTable, ImportRun

log = logging.getLogger(__name__)

SUFFIX_KINDS = {".xlsx": "xlsx", ".pdf": "pdf", ".json": "json"}
# The 绩效目标表 import also takes pdftotext -layout text (formats/targets_text.py, docs/targets.md).
TARGETS_SUFFIX_KINDS = {**SUFFIX_KINDS, ".txt": "txt"}


class AlreadyHandled(Exception):
    """The import run was confirmed or cancelled meanwhile (a second press, another tab)."""


def check_upload(name: str, size: int, head: bytes, limit: int, kinds: dict[str, str] = SUFFIX_KINDS) -> str:
    """The kind of an upload, or InputError for a wrong size, suffix or content. ``kinds``: the
    suffixes accepted and the kind each names. Text is only told apart from a workbook, a PDF
    and binary here; the bounded child process that reads it decides whether it is usable."""
    if size > limit:
        raise InputError(f"文件过大（{size} 字节，上限 {limit} 字节）", f"file too large ({size} bytes, limit {limit})",
                         source=name)
    if size == 0:
        raise InputError("文件为空", "file is empty", source=name)
    kind = kinds.get(Path(name).suffix.lower())
    if kind is None:
        names = list(kinds)
        raise InputError(f"只接受 {'、'.join(names[:-1])} 或 {names[-1]} 文件",
                         f"only {', '.join(names[:-1])} or {names[-1]} files are accepted", source=name)
    ok = {
        "xlsx": head.startswith(b"PK\x03\x04"),
        "pdf": head.startswith(b"%PDF-"),
        "json": head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"),
        "txt": not head.startswith((b"PK\x03\x04", b"%PDF-"))
        and (b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff"))),
    }[kind]
    if not ok:
        raise InputError(f"文件内容与扩展名 {Path(name).suffix} 不符", f"the content does not match the {Path(name).suffix} suffix",
                         source=name)
    return kind


def read_file(path: Path, kind: str, name: str | None = None) -> ImportResult:
    """Read the uploaded file at ``path`` (``name``: the upload's name, for messages)."""
    try:
        return sandbox.import_file(path, source=name)
    except JixiaoError:
        raise
    except Exception:
        # An uploaded file is untrusted input: a reader failing on it is the file's problem
        # for the user (a clear message) and a bug report for us (the log), never a 500.
        log.exception("import of an uploaded %s file failed", kind)
        raise InputError("文件无法读取（格式异常）", "the file could not be read (malformed)") from None


def record_preview(result: ImportResult, *, department, user, filename: str, size: int,
                   year: int | None = None) -> ImportRun:
    """Keep the reading as a preview run for ``department``'s table of ``year`` (default: the
    year the file names)."""
    file_year = result.table.year
    table = result.table.moved_to_year(year) if year is not None else result.table
    severities = Counter(f.severity for f in analysis.table_findings(table))
    report = list(result.report)
    if table.department != department.name:
        report.append(f"文件中的部门为「{table.department}」，将保存到「{department.name}」。")
    return ImportRun.objects.create(
        department=department, year=table.year, file_year=file_year if file_year != table.year else None,
        user=user, filename=filename[:255], kind=result.kind,
        size=size, project_count=len(result.table.projects),
        error_count=severities["error"], warning_count=severities["warning"],
        report=report, table_document=table_json.to_document(table),
    )


class OutOfBounds(Exception):
    """The stored document holds values outside the bounds (an import recorded before they
    were checked at upload): nothing is saved (the preview says which field and why)."""


def stored_table(run: ImportRun, language: str = "zh") -> tuple[Table | None, list[str]]:
    """The run's table and the field-level messages of every value outside the bounds
    (:mod:`jixiao.core.validation`); ``None`` when the document cannot be read at all."""
    try:
        core = convert.table_from_document(run.table_document, source=run.filename)
    except JixiaoError as exc:
        text = exc.message_en if language.startswith("en") else exc.message_zh
        return None, [f"{exc.path}：{text}" if exc.path else text]
    problems = validation.table_problems(core)
    return core, [f"{p.path}：{p.message(language)}" for p in problems]


def confirm(run: ImportRun, user) -> DisclosureTable:
    """Save the run's table as the department's table of that year; raises NotEditable,
    AlreadyHandled or OutOfBounds. The run's state and the table's status are checked in the
    transaction that writes (the table's row locked: :mod:`.table_lock`)."""
    core, problems = stored_table(run)
    if problems or core is None:
        raise OutOfBounds("; ".join(problems))
    try:
        return _confirm(run, user, core)
    except IntegrityError:
        # Another import created this year's table between our look-up and our insert (on
        # PostgreSQL): run again, now replacing (or refused by) that table like any existing one.
        return _confirm(run, user, core)


@table_lock.atomic_retrying
def _confirm(run: ImportRun, user, core: Table) -> DisclosureTable:
    now = timezone.now()
    if ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.PREVIEW).update(
            state=ImportRun.State.CONFIRMED, confirmed_at=now) != 1:
        raise AlreadyHandled()
    found = DisclosureTable.objects.filter(year__year=core.year, department=run.department).values_list(
        "pk", flat=True).first()
    existing = table_lock.locked_editable(found) if found is not None else None
    table = convert.save_table(core, user=user, department=run.department, existing=existing)
    run.state, run.table, run.confirmed_at = ImportRun.State.CONFIRMED, table, now
    run.save()  # the history entry
    return table


@dataclass
class Replacement:
    """What confirming an import does to the draft it replaces: projects (序号, name) removed,
    added and updated, and how many stay as they are."""

    removed: list[tuple[int, str]] = field(default_factory=list)
    added: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0


def replacement(existing: DisclosureTable, table: Table) -> Replacement:
    """Compare the draft's stored projects with the imported ones. A project is the same one
    when its name is (the first stored project of that name not yet paired, in 序号 order);
    it is updated when any of its values differs, 序号 included."""
    stored: dict[str, list] = {}
    for row in existing.projects.order_by("seq", "pk"):
        stored.setdefault(row.name.strip(), []).append(row)
    result = Replacement()
    for project in table.projects:
        same = stored.get(project.name.strip())
        if not same:
            result.added.append((project.seq, project.name))
            continue
        row = same.pop(0)
        if convert.project_to_core(row) == project:
            result.unchanged += 1
        else:
            result.updated.append((project.seq, project.name))
    result.removed = sorted(((row.seq, row.name) for rows in stored.values() for row in rows))
    return result

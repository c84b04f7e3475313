"""``jixiao import`` over many inputs: a folder of published PDFs, a pile of XLSX files.

Why a batch mode: a researcher's unit of work is a folder, not a file. Each input is imported
on its own (the same bounded child process as for one file, :func:`.targets_doc.read_input`),
its table JSON and report written atomically as ``OUT/<input's path below its folder>.json`` and
``….report.txt`` — the input's whole name is kept (``a.pdf`` → ``a.pdf.json``), so ``a.pdf`` and
``a.xlsx`` never overwrite each other. A bad input is recorded and the batch goes on; nothing
of it is written. ``OUT/import-summary.csv`` (UTF-8 with BOM, for Excel and WPS) lists every
input with its outcome, and the exit code is 2 when any input failed.

A folder of a department's published files holds its 绩效目标表 beside its self-evaluation
tables. Such a file is imported as ``jixiao import`` imports it alone — targets JSON, kind
``targets`` in the summary — not refused as a table that cannot be read; ``check``, ``score``,
``show`` and ``export`` over the output folder leave targets JSON aside with a note
(:func:`.show.expand_inputs`), so the folder's tables are still checked and scored in one command.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..core.target_sheet import TargetSheet
from ..errors import InputError, JixiaoError
from ..formats import table_json, targets_json
from ..formats.atomic import write_text_atomic
from ..formats.formula_guard import csv_row
from ..formats.importer import ImportLimits
from .show import files_below
from .targets_doc import describe, read_input

SUMMARY = "import-summary.csv"
SUMMARY_COLUMNS = ("file", "status", "kind", "projects", "notes", "output", "message")


@dataclass
class Outcome:
    """What became of one input."""

    file: str  # as given or found
    output: str = ""  # the table JSON written, "" if none
    kind: str = ""
    projects: int = 0
    notes: int = 0
    message: str = ""  # why it failed (both languages), "" if it did not

    @property
    def ok(self) -> bool:
        return not self.message


def inputs(paths: list[str]) -> list[tuple[Path, Path]]:
    """(input file, its output name relative to the output folder) for every file named or
    found below a named folder (recursively, sorted, hidden files and folders skipped).
    Raises InputError for a path that does not exist or a folder with no file."""
    found: list[tuple[Path, Path]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = files_below(path)
            if not inside:
                raise InputError(f"文件夹中没有文件：{raw}", f"no file in folder: {raw}")
            found += [(p, p.relative_to(path)) for p in inside]
        elif path.is_file():
            found.append((path, Path(path.name)))
        else:
            raise InputError(f"找不到输入文件：{raw}", f"input file not found: {raw}")
    seen: dict[Path, Path] = {}
    for source, name in found:
        if name in seen and seen[name] != source:
            raise InputError(f"两个输入会写到同一个输出：{seen[name]} 与 {source}",
                             f"two inputs would be written to the same output: {seen[name]} and {source}")
        seen[name] = source
    return found


def report_text(result) -> str:
    lines = [f"# jixiao import: {result.kind}, {len(result.table.projects)} 个项目 / projects"]
    lines += result.report or ["（无需说明的内容） / nothing to report"]
    return "\n".join(lines) + "\n"


def write_import(result, source: str, json_path: str | Path, report_path: str | Path | None) -> None:
    """Write an import's table JSON and, when ``report_path`` is given, its report — both
    atomically, the report after the table, and the table only once it loads back."""
    text = table_json.dumps(result.table)
    table_json.loads(text, source=f"{source} (imported)")
    write_text_atomic(json_path, text)
    if report_path:
        write_text_atomic(report_path, report_text(result))


def import_one(source: str, json_path: str, report_path: str, limits: ImportLimits) -> Outcome:
    """Import ``source`` and write its table JSON and report (:func:`write_import`) — or, for a
    绩效目标表, its targets JSON and a one-line report. A bad input gives an Outcome with its
    message and writes nothing.

    Any other exception is recorded too: one unreadable file must not end a batch of hundreds
    (the message names the exception so it can be reported as a bug)."""
    try:
        result = read_input(source, limits)
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(result, TargetSheet):
            targets_json.dump(result, json_path)
            write_text_atomic(report_path, f"# jixiao import: {describe(result)}\n")
            return Outcome(source, json_path, "targets", len(result.projects))
        write_import(result, source, json_path, report_path)
    except JixiaoError as exc:
        return Outcome(source, message=exc.describe())
    except Exception as exc:  # noqa: BLE001 - see the docstring
        return Outcome(source, message=f"内部错误，请报告 / internal error, please report it: "
                                       f"{type(exc).__name__}: {exc}")
    return Outcome(source, json_path, result.kind, len(result.table.projects), len(result.report))


def run_batch(paths: list[str], out_dir: str, limits: ImportLimits, jobs: int = 1,
              progress: bool | None = None) -> list[Outcome]:
    """Import every input into ``out_dir``; the summary CSV is written last."""
    todo = inputs(paths)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"多个输入时 -o 应为文件夹：{out_dir}",
                         f"with several inputs -o must be a folder: {out_dir}")
    out.mkdir(parents=True, exist_ok=True)
    jobs_args = [(str(src), str(out / f"{name}.json"), str(out / f"{name}.report.txt"), limits)
                 for src, name in todo]
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    bar = tqdm(total=len(jobs_args), unit="file", disable=not show, file=sys.stderr)
    try:
        if jobs > 1 and len(jobs_args) > 1:
            with ProcessPoolExecutor(max_workers=min(jobs, len(jobs_args))) as pool:
                futures = [pool.submit(import_one, *a) for a in jobs_args]
                outcomes = []
                for f in futures:  # in input order, whatever order they finish in
                    outcomes.append(f.result())
                    bar.update()
        else:
            outcomes = []
            for a in jobs_args:
                outcomes.append(import_one(*a))
                bar.update()
    finally:
        bar.close()
    write_text_atomic(out / SUMMARY, summary_csv(outcomes, out))
    return outcomes


def summary_csv(outcomes: list[Outcome], out: Path) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(SUMMARY_COLUMNS)
    for o in outcomes:
        # A file name or a message quoting a file's text may start like a formula.
        w.writerow(csv_row([o.file, "ok" if o.ok else "error", o.kind, o.projects if o.ok else "",
                            o.notes if o.ok else "", os.path.relpath(o.output, out) if o.output else "",
                            o.message]))
    return "\ufeff" + buf.getvalue()

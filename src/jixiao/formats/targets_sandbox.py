"""Read a 绩效目标表 from XLSX, PDF or text in a bounded child process, as tables are read.

Why: a workbook or PDF handed to ``jixiao import`` is untrusted; telling whether it is a
绩效目标表 already means opening it. So the question is asked where the table import reads
files — in a child process under the same operating-system limits (:mod:`.sandbox`: memory,
CPU, wall time, no file written) after the same cheap checks (a zip bomb, a PDF's streams,
pages and glyphs). The child answers the sheet, "not a 绩效目标表" (the file is then imported
as a self-evaluation table) or the file's problem.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..core.target_sheet import TargetSheet
from ..errors import InputError, JixiaoError
from . import sandbox, targets_json
from .importer import ImportLimits


def import_targets(path: str | Path, limits: ImportLimits | None = None, source: str | None = None) -> TargetSheet | None:
    """The 绩效目标表 in an XLSX, PDF or text file, None when the file is not one."""
    limits = limits or ImportLimits()
    source = source or str(path)
    doc = sandbox.run_reader(path, limits, source, [sys.executable, "-m", "jixiao.formats.targets_sandbox"])
    if "error" in doc:
        e = doc["error"]
        raise InputError(e["zh"], e["en"], source=e.get("source"), path=e.get("path"))
    if "crash" in doc:
        raise sandbox.malformed_error(doc["crash"], source)
    if "targets" not in doc:
        return None
    return targets_json.from_document(doc["targets"], source=f"{source} (imported)")


def child_answer(path: str, source: str, limits: ImportLimits) -> bytes:
    """In the child: the answer document for ``path`` (see the module docstring)."""
    from .targets_read import pdf_is_targets, read_targets_pdf, read_targets_xlsx, xlsx_is_targets

    try:
        p = Path(path)
        with p.open("rb") as fh:
            head = fh.read(5)
        if head.startswith(b"PK"):
            sheet = read_targets_xlsx(p, source) if xlsx_is_targets(p, source, limits) else None
        elif head.startswith(b"%PDF"):
            sheet = read_targets_pdf(p, source, checked=True) if pdf_is_targets(p, source, limits) else None
        else:  # pdftotext -layout text, or plain text laid out alike (targets_text)
            from .targets_text import read_targets_text_file

            sheet = read_targets_text_file(p, source, limits)
        doc: dict = {"targets": targets_json.to_document(sheet)} if sheet is not None else {"not_targets": True}
    except MemoryError:
        raise
    except JixiaoError as exc:
        doc = {"error": {"zh": exc.message_zh, "en": exc.message_en, "source": exc.source, "path": exc.path}}
    except RecursionError:
        doc = {"error": {"zh": "文件嵌套过深，无法读取", "en": "the file is nested too deeply to be read",
                         "source": source, "path": None}}
    except OSError as exc:
        doc = {"error": {"zh": "无法读取文件", "en": f"cannot read the file ({exc.strerror})", "source": source,
                         "path": None}}
    except Exception as exc:  # noqa: BLE001 - a reader failing on untrusted bytes: reported, not raised
        if sandbox.out_of_memory(exc):
            raise MemoryError from None
        import traceback

        traceback.print_exc()
        doc = {"crash": f"{type(exc).__name__}: {str(exc)[:300]}"}
    doc["peak_kb"] = sandbox._high_water_kb(os.getpid())
    return json.dumps(doc, ensure_ascii=True, default=str).encode()


if __name__ == "__main__":  # pragma: no cover - run as a child process
    sys.exit(sandbox.child_main(child_answer))

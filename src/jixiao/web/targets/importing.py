"""Reading an uploaded 绩效目标表, and the preview it becomes: the import job's work and the
hand-over to the import's preview page.

The upload's size, suffix and first bytes are checked in the request
(:func:`jixiao.web.entry.importing.check_upload`); the stored file is then read by a background
job (jobs/targets_importing.py) — XLSX, PDF and text in the bounded child process of
:func:`jixiao.formats.sandbox.import_targets`, since a large PDF takes seconds. The reading is
the sheet's targets JSON document, which the preview keeps in the user's session until
*确认保存* or *取消*.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.core.target_sheet import TargetSheet
from jixiao.errors import InputError
from jixiao.formats import sandbox, targets_json

# The session's pending import: {"doc": targets JSON, "filename": …, "department": pk}.
SESSION_KEY = "jixiao_targets_import"


def read_file(path: Path, kind: str, name: str) -> TargetSheet:
    """The sheet in the uploaded file at ``path`` (``name``: the upload's name, for messages);
    InputError when the file is not a 绩效目标表."""
    if kind == "json":
        return targets_json.loads(path.read_bytes(), source=name)
    sheet = sandbox.import_targets(path, source=name)
    if sheet is None:
        raise InputError("文件不是绩效目标表（第一页未写明“绩效目标”）",
                         "the file is not a performance targets sheet (its first page does not say 绩效目标)",
                         source=name)
    return sheet


def pending(sheet: TargetSheet, *, filename: str, department) -> dict:
    """What the preview needs of a reading: the sheet's document, the file's name, the
    department it is imported for (its pk)."""
    return {"doc": targets_json.to_document(sheet), "filename": filename[:255], "department": department}

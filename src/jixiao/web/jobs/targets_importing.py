"""The 绩效目标表 import job: read the stored upload
(:func:`jixiao.web.targets.importing.read_file`: XLSX, PDF and text in the bounded child
process, seconds for a large PDF) and keep the sheet's targets JSON document as its result.

Following the job's link puts that reading into the user's session as the pending import, whose
preview and *确认保存* are the targets pages' own (targets/views.py); nothing the user sees
changes until the preview is confirmed. A file that is not a 绩效目标表 is refused by the reader
like any other.
"""

from __future__ import annotations

from jixiao.web.targets import importing

from . import work
from .models import Job


def work_params(*, department, filename: str, size: int, kind: str) -> dict:
    return {"department": department.pk, "filename": filename[:255], "size": size, "kind": kind}


def perform(job: Job, progress: work.Progress):
    params = job.params
    sheet = work.read_input(job, progress, importing.read_file)
    reading = importing.pending(sheet, filename=params["filename"], department=params["department"])

    def finish(locked: Job) -> tuple[str, dict]:
        locked.result = {"document": reading}
        return "import_read", {"filename": params["filename"], "projects": len(sheet.projects)}

    return finish

"""The import job: read the stored upload (:func:`jixiao.web.entry.importing.read_file`, the
importers in a child process bounded in memory and time) and record the reading as an ImportRun
in preview state — the preview page the user then confirms."""

from __future__ import annotations

from jixiao.web.entry import importing
from jixiao.web.entry.models import Department

from . import work
from .models import Job


def work_params(*, department, year, filename: str, size: int, kind: str) -> dict:
    return {"department": department.pk, "year": year, "filename": filename, "size": size, "kind": kind}


def perform(job: Job, progress: work.Progress):
    params = job.params
    result = work.read_input(job, progress, importing.read_file)

    def finish(locked: Job) -> tuple[str, dict]:
        run = importing.record_preview(result, department=Department.objects.get(pk=params["department"]),
                                       user=locked.started_by, filename=params["filename"], size=params["size"],
                                       year=params.get("year"))
        locked.result = {"import_run": run.pk}
        return "import_read", {"filename": params["filename"], "projects": run.project_count}

    return finish


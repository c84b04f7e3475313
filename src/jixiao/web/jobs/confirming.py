"""The job that saves a confirmed import: the preview run's table becomes the department's
table of that year (:func:`jixiao.web.entry.importing.confirm`).

Saving writes every project and its history, and the dashboard's figures follow each save:
86 s for a 1640-project table on SQLite (2 shared cores), far past what a request may take.
A re-delivery finds the import run confirmed already (预览 → 已确认, checked in the confirm's own
transaction) and saves nothing twice.
"""

from __future__ import annotations

from jixiao.web.entry import importing, table_lock
from jixiao.web.entry.models import ImportRun

from . import work
from .models import Job


def work_params(*, run: ImportRun) -> dict:
    return {"import_run": run.pk, "filename": run.filename}


@work.finish_only
def perform(params: dict, locked: Job) -> tuple[str, dict]:
    with work.failing({ImportRun.DoesNotExist: "import_handled", importing.AlreadyHandled: "import_handled",
                       table_lock.NotEditable: "import_not_editable",
                       importing.OutOfBounds: "import_out_of_bounds"}):
        run = ImportRun.objects.select_related("department").get(pk=params["import_run"])
        table = importing.confirm(run, locked.started_by)
    locked.result = {"table": table.pk, "import_run": run.pk}
    return "import_saved", {"n": run.project_count}

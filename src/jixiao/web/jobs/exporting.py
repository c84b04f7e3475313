"""The bulk export job: the MoF 项目支出绩效自评表 (or the disclosure tables) of a department's
table or of a whole year, as one file to download.

Formats (``FORMATS``): ``zip-xlsx`` and ``zip-pdf`` — a ZIP with one XLSX or PDF form per
project, in a folder per department; ``pdf`` — the forms in one PDF per table (a table's
export is one PDF already; a year's is a ZIP of one PDF per department, since forms of
different departments are separate documents); ``disclosure-xlsx`` and ``disclosure-pdf`` —
the disclosure tables (附件2-3) themselves, one file per table (4.4 s for the PDF of a
1640-project table, 1 s for its XLSX), as the file or, for a year, a ZIP. The forms are the ones the project page
downloads (:func:`jixiao.web.entry.downloads.render`, layout ``mof-form``), from the tables as
they stand. Rendering takes up to a second per project, so a year of several hundred projects
is minutes of work: a job, with progress counted in forms.

The file is written under the job's folder with the delivery's claim in its name, and the row
names it only in the finish transaction (runner.py): a re-delivered export writes its own file
and the job keeps exactly one.
"""

from __future__ import annotations

import zipfile

from django.utils.translation import gettext_lazy as _

from jixiao.errors import JixiaoError
from jixiao.web.entry import convert, downloads
from jixiao.web.entry.models import DisclosureTable
from jixiao.web.targets.changes import for_mof_form

from . import work
from .models import Job

FORMATS = {
    "zip-xlsx": _("财政部自评表 ZIP：每个项目一个 XLSX"),
    "zip-pdf": _("财政部自评表 ZIP：每个项目一个 PDF"),
    "pdf": _("财政部自评表 PDF：每张表一个文件"),
    "disclosure-xlsx": _("公开表 XLSX：每张表一个文件"),
    "disclosure-pdf": _("公开表 PDF：每张表一个文件"),
}
FORM_NAME = "项目支出绩效自评表"
TABLE_NAME = "自评公开表"


def work_params(*, tables, fmt: str, base: str) -> dict:
    """``base`` names the download (without suffix): ``2019-甲`` → ``2019-甲-项目支出绩效自评表``
    (MoF forms), ``2019`` → ``2019-自评公开表`` (disclosure tables)."""
    name = TABLE_NAME if fmt.startswith("disclosure-") else FORM_NAME
    return {"tables": [t.pk for t in tables], "format": fmt, "label": f"{base}-{name}"}


def _safe(text: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|\0' or ord(c) < 32 else c for c in text).strip()[:80] or "_"


def perform(job: Job, progress: work.Progress):
    params = job.params
    fmt = params["format"]
    tables = list(DisclosureTable.objects.filter(pk__in=params["tables"]).select_related("year", "department")
                  .order_by("year__year", "department__name"))
    cores = [convert.table_to_core(t) for t in tables]
    kind = fmt.rpartition("-")[2]  # xlsx or pdf
    layout, name = ("disclosure", TABLE_NAME) if fmt.startswith("disclosure-") else ("mof-form", FORM_NAME)
    # The files, each (its name, the table it renders, the approved targets its MoF forms note
    # where the table states others: docs/targets.md): a table's whole file (its MoF forms in one
    # PDF, or the disclosure table, 附件2-3), or a MoF form per project.
    files = []
    for table, core in zip(tables, cores):
        changes = for_mof_form(table, core) if layout == "mof-form" else []
        dept = _safe(f"{core.year}-{core.department_short or core.department}")
        if fmt.startswith("zip-"):
            files += [(f"{dept}/{p.seq:03d}-{_safe(p.name)}-{name}.{kind}", downloads.project_table(core, i), changes)
                      for i, p in enumerate(core.projects)]
        else:
            files.append((f"{dept}-{name}.{kind}", core, changes))
    if not files:
        raise work.Failed("nothing_to_export")
    progress(0, len(files))
    folder = work.folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    label = _safe(params.get("label") or "export")
    single = len(files) == 1 and not fmt.startswith("zip-")
    path = folder / f"{label}-{job.claim[:8]}.{kind if single else 'zip'}"
    try:
        if single:
            path.write_bytes(downloads.render(files[0][1], kind, layout, files[0][2]))
        else:
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, (file_name, table, changes) in enumerate(files, 1):
                    archive.writestr(file_name, downloads.render(table, kind, layout, changes))
                    progress(done, len(files))
    except JixiaoError as exc:
        path.unlink(missing_ok=True)
        raise work.Failed.from_error(exc, "export_refused") from None
    projects = sum(len(c.projects) for c in cores)

    def finish(locked: Job) -> tuple[str, dict]:
        for other in folder.glob(f"{label}-*"):
            if other != path:
                other.unlink(missing_ok=True)  # a file an earlier delivery left
        locked.result_file = work.relative(path)
        locked.result_name = f"{params.get('label') or 'export'}{path.suffix}"
        locked.result = {"tables": [t.pk for t in tables]}
        return "exported", {"tables": len(cores), "projects": projects}

    return finish

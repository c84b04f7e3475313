"""Downloads: a table (or one project's MoF form) in every format the exports provide.

The files are made by :func:`jixiao.formats.export.export` into a temporary folder and sent;
table JSON is the core's own format and is written directly.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from jixiao.core.model import Table
from jixiao.errors import JixiaoError
from jixiao.formats import export, table_json

TABLE_FORMATS = ("xlsx", "pdf", "html", "csv", "json")
MOF_FORMATS = ("xlsx", "pdf", "html")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def available_formats(layout: str = "disclosure") -> tuple[str, ...]:
    """The formats offered for ``layout`` ("disclosure" or "mof-form")."""
    return TABLE_FORMATS if layout == "disclosure" else MOF_FORMATS


def render(table: Table, fmt: str, layout: str = "disclosure", target_changes=()) -> bytes:
    """The file's bytes. Raises the exporter's JixiaoError for a table it refuses.
    ``target_changes``: the approved targets the MoF form notes (web/targets/changes.for_mof_form)."""
    if layout == "disclosure" and fmt == "json":
        return table_json.dumps(table).encode("utf-8")
    options = {"target_changes": target_changes} if target_changes else {}
    with tempfile.TemporaryDirectory(prefix="jixiao-dl-") as tmp:
        path = Path(tmp) / f"table.{fmt}"
        export.export(table, path, fmt=fmt, layout=layout, **options)
        return path.read_bytes()


def project_table(table: Table, seq_index: int) -> Table:
    """A copy of ``table`` holding only one project (the MoF form is per project)."""
    return replace(table, projects=[table.projects[seq_index]])


def filename(table: Table, fmt: str, suffix: str = "") -> str:
    return f"{table.year}-{table.department_short or table.department}{suffix}.{fmt}"


def response(data, content_type: str, name: str) -> HttpResponse:
    """The bytes ``data()`` makes, as the download ``name``; 422 with the reason when the writer
    refuses (JixiaoError). The 绩效目标表's downloads answer the same way (targets/exporting.py)."""
    try:
        body = data()
    except JixiaoError as exc:
        return HttpResponse(exc.describe(), status=422, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, content_type=content_type,
                        headers={"Content-Disposition": content_disposition_header(True, name)})


def table_response(core: Table, fmt: str, layout: str, name: str, noted=()) -> HttpResponse:
    """The file of ``core`` in ``fmt`` as the download ``name`` (the tables' and the portal's
    publications'): 404 for a format ``layout`` does not offer, 422 with the reason when the
    exporter refuses the table. ``noted``: as :func:`render`'s ``target_changes``."""
    if fmt not in available_formats(layout):
        raise Http404(fmt)
    return response(lambda: render(core, fmt, layout, noted), CONTENT_TYPES[fmt], name)

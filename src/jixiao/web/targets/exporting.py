"""A 绩效目标表 as a download: XLSX, PDF (Typst) or targets JSON — the same files for the
department's sheet page and the public portal (which exports the approved snapshot)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from jixiao.core.target_sheet import TargetSheet
from jixiao.errors import JixiaoError
from jixiao.formats import targets_json, targets_typst, targets_xlsx

FORMATS = ("xlsx", "pdf", "json")


def export_response(core: TargetSheet, fmt: str, name: str) -> HttpResponse:
    """The sheet as a download named ``name.fmt``; a sheet the writer refuses is a 422."""
    try:
        if fmt == "pdf":
            data, ctype = targets_typst.render_targets_pdf_bytes(core), "application/pdf"
        elif fmt == "json":
            data, ctype = targets_json.dumps(core).encode(), "application/json"
        else:
            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / "targets.xlsx"
                targets_xlsx.write_targets_xlsx(core, path)
                data = path.read_bytes()
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    except JixiaoError as exc:
        return HttpResponse(exc.describe(), status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response

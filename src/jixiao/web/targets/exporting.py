"""A 绩效目标表 as a download: XLSX, PDF (Typst) or targets JSON — the same files for the
department's sheet page and the public portal (which exports the approved snapshot)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpResponse

from jixiao.core.target_sheet import TargetSheet
from jixiao.formats import targets_json, targets_typst, targets_xlsx
from jixiao.web.entry import downloads

FORMATS = ("xlsx", "pdf", "json")
CONTENT_TYPES = {"xlsx": downloads.CONTENT_TYPES["xlsx"], "pdf": "application/pdf", "json": "application/json"}


def _file(core: TargetSheet, fmt: str) -> bytes:
    if fmt == "pdf":
        return targets_typst.render_targets_pdf_bytes(core)
    if fmt == "json":
        return targets_json.dumps(core).encode()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "targets.xlsx"
        targets_xlsx.write_targets_xlsx(core, path)
        return path.read_bytes()


def export_response(core: TargetSheet, fmt: str, name: str) -> HttpResponse:
    """The sheet as a download named ``name.fmt``; a sheet the writer refuses is a 422."""
    return downloads.response(lambda: _file(core, fmt), CONTENT_TYPES[fmt], f"{name}.{fmt}")

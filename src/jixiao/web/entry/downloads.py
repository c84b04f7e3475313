"""Downloads: a table (or one project's MoF form) in every format the exports provide.

The files are made by :func:`jixiao.formats.export.export` into a temporary folder and sent;
table JSON is always available (it is the core's own format). A format whose export module
is not in this checkout is reported as unavailable rather than imitated.
"""

from __future__ import annotations

import importlib
import importlib.util
import tempfile
from dataclasses import replace
from pathlib import Path

from jixiao.core.model import Table
from jixiao.formats import table_json

TABLE_FORMATS = ("xlsx", "pdf", "html", "csv", "json")
MOF_FORMATS = ("xlsx", "pdf", "html")
# The writer module behind each format (the export dispatcher imports them when used).
WRITER_MODULES = {
    ("disclosure", "xlsx"): "xlsx_write", ("disclosure", "pdf"): "pdf_render", ("disclosure", "html"): "html",
    ("disclosure", "csv"): "csv_table", ("disclosure", "json"): "table_json",
    ("mof-form", "xlsx"): "mof_form", ("mof-form", "pdf"): "mof_form", ("mof-form", "html"): "mof_form",
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


class Unavailable(Exception):
    """The export for this format has not been built into this installation."""


def export_module():
    try:
        return importlib.import_module("jixiao.formats.export")
    except ModuleNotFoundError as exc:
        if exc.name in ("jixiao.formats.export",):
            return None
        raise


def available_formats(layout: str = "disclosure") -> tuple[str, ...]:
    """The formats this installation can make for ``layout`` ("disclosure" or "mof-form")."""
    formats = TABLE_FORMATS if layout == "disclosure" else MOF_FORMATS
    if export_module() is None:
        return ("json",) if layout == "disclosure" else ()
    return tuple(f for f in formats if importlib.util.find_spec(f"jixiao.formats.{WRITER_MODULES[layout, f]}"))


def render(table: Table, fmt: str, layout: str = "disclosure") -> bytes:
    """The file's bytes. Raises Unavailable, or the exporter's JixiaoError for a table it refuses."""
    if layout == "disclosure" and fmt == "json":
        return table_json.dumps(table).encode("utf-8")
    module = export_module()
    if module is None:
        raise Unavailable(fmt)
    with tempfile.TemporaryDirectory(prefix="jixiao-dl-") as tmp:
        path = Path(tmp) / f"table.{fmt}"
        module.export(table, path, fmt=fmt, layout=layout)
        return path.read_bytes()


def project_table(table: Table, seq_index: int) -> Table:
    """A copy of ``table`` holding only one project (the MoF form is per project)."""
    return replace(table, projects=[table.projects[seq_index]])


def filename(table: Table, fmt: str, suffix: str = "") -> str:
    base = f"{table.year}-{table.department_short or table.department}{suffix}"
    return f"{base}.{fmt}"

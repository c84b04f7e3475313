"""One entry point for every output: pick the writer from the file suffix and the layout.

``export(table, "out.xlsx")`` writes the 附件2-3 disclosure table; ``layout="mof-form"``
writes the MoF 项目支出绩效自评表 (one form per project). Formats and layouts:

============  ==========================  ===============================
format        disclosure                  mof-form
============  ==========================  ===============================
``.xlsx``     :mod:`.xlsx_write`          :mod:`.mof_xlsx`
``.pdf``      :mod:`.pdf_typst` (default) :mod:`.mof_typst` (default)
              or :mod:`.pdf_render`       or :mod:`.mof_html`
``.html``     :mod:`.html`                :mod:`.mof_html`
``.csv``      :mod:`.csv_table`           —
``.json``     :mod:`.table_json`          —
============  ==========================  ===============================

Both PDFs have two engines (option ``pdf_engine``): ``"typst"``, the default, a compiled
typesetter (a 1,000-project disclosure table in ~4 s of CPU), and ``"weasyprint"``, the
HTML + CSS renderer (~55–70 s). Both print the same page and pass the same read-back tests.

Everything is checked before anything is written (layout, format, options, at least one
project, a writable target), and the writer writes into a temporary file that is renamed
over the target only when complete: an error never leaves a partial file. Writers are
imported when used, so a missing optional module gives a clear error, not an ImportError.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..core.model import Table
from ..errors import InputError, JixiaoError, OutputError
from .atomic import atomic_path

LAYOUTS: tuple[str, ...] = ("disclosure", "mof-form")
PDF_ENGINES: tuple[str, ...] = ("typst", "weasyprint")
DEFAULT_PDF_ENGINE = "typst"
FORMATS: tuple[str, ...] = ("xlsx", "pdf", "html", "csv", "json")


@dataclass(frozen=True)
class Option:
    name: str
    formats: tuple[str, ...]
    layouts: tuple[str, ...]
    default: Any
    doc: str


# Every option an export accepts, where it applies, and its default (docs/outputs.md).
OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option("pdfa", ("pdf",), ("disclosure",), False, "write PDF/A-2b (archival) instead of plain PDF"),
    Option("pdf_engine", ("pdf",), ("disclosure", "mof-form"), DEFAULT_PDF_ENGINE,
           "lay the PDF out with typst (fast, compiled) or weasyprint (HTML + CSS)"),
    Option("guard_formulas", ("csv",), ("disclosure",), True,
           "prefix text cells starting with = + - @ with an apostrophe"),
    Option("font_name", ("xlsx",), ("disclosure",), "宋体", "font named in the workbook"),
    Option("config", ("xlsx", "pdf", "html"), ("mof-form",), None, "ScoringConfig for the scores"),
    Option("target_changes", ("xlsx", "pdf", "html"), ("mof-form",), (),
           "approved targets the self-evaluation states otherwise (core.prefill.changed_targets), noted on the form"),
)}


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """The output format from ``fmt`` (``"xlsx"`` or ``".xlsx"``) or else the file suffix."""
    name = (fmt or Path(path).suffix).lower().lstrip(".")
    if name not in FORMATS:
        shown = fmt or Path(path).suffix or "（无后缀）"
        raise InputError(f"不支持的输出格式：{shown}（可用：{', '.join('.' + f for f in FORMATS)}）",
                         f"unsupported output format {shown!r}; use one of "
                         f"{', '.join('.' + f for f in FORMATS)}", source=str(path))
    return name


def check_request(table: Table, path: str | Path, fmt: str, layout: str, options: dict) -> None:
    """Reject a request before any writing starts."""
    if layout not in LAYOUTS:
        raise InputError(f"未知的版式：{layout}（可用：{', '.join(LAYOUTS)}）",
                         f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    if (layout, fmt) not in _WRITERS:
        raise InputError(f"版式 {layout} 不能导出为 .{fmt}",
                         f"layout {layout!r} cannot be exported as .{fmt}", source=str(path))
    for name in options:
        option = OPTIONS.get(name)
        if option is None:
            raise InputError(f"未知的导出选项：{name}", f"unknown export option {name!r}; known: "
                             f"{', '.join(OPTIONS)}")
        if fmt not in option.formats or layout not in option.layouts:
            raise InputError(f"选项 {name} 不适用于 {layout} 版式的 .{fmt} 文件",
                             f"option {name!r} does not apply to .{fmt} in layout {layout!r}")
    engine = options.get("pdf_engine", DEFAULT_PDF_ENGINE)
    if engine not in PDF_ENGINES:
        raise InputError(f"未知的 PDF 排版引擎：{engine}（可用：{', '.join(PDF_ENGINES)}）",
                         f"unknown PDF engine {engine!r}; use one of {', '.join(PDF_ENGINES)}")
    if not table.projects:
        raise InputError("表中没有项目，无法导出", "the table has no projects; nothing to export")
    if Path(path).is_dir():
        raise OutputError("输出路径是一个目录", "the output path is a directory", source=str(path))


def export(table: Table, path: str | Path, fmt: str | None = None, layout: str = "disclosure",
           **options: Any) -> Path:
    """Write ``table`` to ``path`` in the format its suffix names (or ``fmt``); returns the path."""
    fmt = detect_format(path, fmt)
    check_request(table, path, fmt, layout, options)
    writer = _WRITERS[(layout, fmt)]
    target = Path(path)
    try:
        with atomic_path(target) as tmp:
            writer(table, tmp, options)
    except JixiaoError:
        raise
    except ImportError as exc:  # a library or module the writer needs is not installed/built
        missing = getattr(exc, "name", None) or str(exc)
        raise OutputError(f"此输出格式不可用：缺少模块 {missing}",
                          f"this output is not available: {missing} cannot be imported ({exc})",
                          source=str(target)) from None
    except OSError as exc:
        raise OutputError("写入输出文件失败", f"could not write the output ({exc.strerror or exc})",
                          source=str(target)) from None
    return target


def _function(module: str, name: str) -> Callable:
    """Import ``jixiao.formats.<module>.<name>`` when first needed."""
    try:
        mod = importlib.import_module(f"jixiao.formats.{module}")
    except ModuleNotFoundError as exc:
        raise OutputError(f"此输出格式不可用：缺少模块 {exc.name}",
                          f"this output is not available: module {exc.name} is missing") from None
    function = getattr(mod, name, None)
    if function is None:
        raise OutputError(f"此输出格式不可用：{module}.{name} 未实现",
                          f"this output is not available: {module}.{name} is not implemented")
    return function


def _text_writer(render: Callable[[Table, dict], str]) -> Callable:
    def write(table: Table, path: Path, options: dict) -> None:
        path.write_text(render(table, options), encoding="utf-8")
    return write


def _xlsx(table, path, options):
    _function("xlsx_write", "write_disclosure_xlsx")(table, path, **options)


def _csv(table, path, options):
    _function("csv_table", "write_csv")(table, path, **options)


def _json(table, path, options):
    _function("table_json", "dump")(table, path)


def _pdf(table, path, options):
    if options.get("pdf_engine", DEFAULT_PDF_ENGINE) == "weasyprint":
        write = _function("pdf_render", "write_disclosure_pdf")
    else:
        write = _function("pdf_typst", "write_disclosure_pdf_typst")
    write(table, path, pdfa=options.get("pdfa", False))


def _mof_xlsx(table, path, options):
    _function("mof_xlsx", "write_mof_xlsx")(table, path, config=options.get("config"),
                                            changes=options.get("target_changes", ()))


def _mof_pdf(table, path, options):
    if options.get("pdf_engine", DEFAULT_PDF_ENGINE) == "weasyprint":
        write = _function("mof_html", "write_mof_pdf")
    else:
        write = _function("mof_typst", "write_mof_pdf_typst")
    write(table, path, config=options.get("config"), changes=options.get("target_changes", ()))


_WRITERS: dict[tuple[str, str], Callable[[Table, Path, dict], None]] = {
    ("disclosure", "xlsx"): _xlsx,
    ("disclosure", "csv"): _csv,
    ("disclosure", "json"): _json,
    ("disclosure", "pdf"): _pdf,
    ("disclosure", "html"): _text_writer(
        lambda t, o: _function("html", "render_disclosure_html")(t)),
    ("mof-form", "xlsx"): _mof_xlsx,
    ("mof-form", "pdf"): _mof_pdf,
    ("mof-form", "html"): _text_writer(
        lambda t, o: _function("mof_html", "render_mof_html")(
        t, config=o.get("config"), changes=o.get("target_changes", ()))),
}

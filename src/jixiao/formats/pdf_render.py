"""PDF output: HTML + CSS laid out by WeasyPrint, with an embedded CJK font.

Why WeasyPrint: it lays out paged tables from CSS (A3 landscape, the ``thead`` repeated on
every page, ``counter(page)`` / ``counter(pages)`` in the footer) and embeds subsetted
fonts, so one HTML page serves the browser, the printer and the PDF.

Why a font is looked up explicitly: a PDF made without a CJK font still *extracts* correct
Chinese text but prints boxes (tofu). So before rendering we locate a CJK font file from
Debian's packages (fonts-noto-cjk, else fonts-wqy-microhei) and the stylesheet names that
font alone (by its fontconfig family, or with ``@font-face`` for a file fontconfig does not
know); WeasyPrint embeds a subset of it. No font → :class:`OutputError` naming the package
to install, never a PDF with boxes.

The documents rendered here are built by jixiao and every text is escaped, but the URL
fetcher still refuses everything except the font files it was given: rendering never reads
another local file or the network.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import threading
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import OutputError
from .atomic import write_bytes_atomic

# The font family name the PDF stylesheet declares; the HTML itself names system fonts.
PDF_FONT_FAMILY = "JixiaoCJK"

# Environment variable naming a CJK font file to use instead of the lookup (non-Debian systems).
FONT_ENV = "JIXIAO_CJK_FONT"

# Fontconfig families tried in order, with the Debian package that provides each and the
# file the package installs (used when ``fc-match`` is not available).
_CANDIDATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Noto Sans CJK SC", "fonts-noto-cjk",
     ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)),
    ("WenQuanYi Micro Hei", "fonts-wqy-microhei",
     ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)),
)

PDF_VARIANT_PDFA = "pdf/a-2b"

_log = logging.getLogger(__name__)


def _missing_font_error() -> OutputError:
    return OutputError(
        "未找到中文字体，无法生成 PDF（否则中文会显示为方框）。请安装 fonts-noto-cjk 或 "
        f"fonts-wqy-microhei（sudo apt-get install fonts-noto-cjk），或用环境变量 {FONT_ENV} "
        "指定字体文件",
        "no CJK font found, cannot write the PDF (Chinese would print as boxes). Install the "
        "Debian package fonts-noto-cjk or fonts-wqy-microhei (sudo apt-get install "
        f"fonts-noto-cjk), or set {FONT_ENV} to a font file")


def _fc_match(pattern: str) -> tuple[Path, str] | None:
    """The file and family fontconfig picks for ``pattern`` (None without fc-match)."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-f", "%{file}\n%{family}\n", pattern], capture_output=True,
                             text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.splitlines()
    if len(lines) < 2 or not lines[0]:
        return None
    return Path(lines[0]), lines[1]


def _locate(pattern: str, known_paths: tuple[str, ...]) -> tuple[Path, bool] | None:
    """The font file for ``pattern`` and whether fontconfig found it (else a known path)."""
    # fc-match always answers with *some* font (DejaVu as the last resort), so the family
    # it reports must contain the one asked for, else the font is not installed.
    family = pattern.split(":")[0]
    found = _fc_match(pattern)
    if found is not None:
        path, families = found
        if family.lower() in families.lower() and path.is_file():
            return path, True
    for known in known_paths:
        if Path(known).is_file():
            return Path(known), False
    return None


@dataclass(frozen=True)
class CJKFont:
    """The CJK font a PDF uses: its file, and its fontconfig family when fontconfig knows it
    (then the stylesheet names the family; else the file is declared with ``@font-face``)."""

    path: Path
    family: str | None


@lru_cache(maxsize=1)
def find_cjk_font_spec() -> CJKFont:
    """The CJK font to embed: ``$JIXIAO_CJK_FONT``, else Noto Sans CJK SC, else WenQuanYi Micro
    Hei; raises :class:`OutputError` (naming the Debian package) when none exists."""
    override = os.environ.get(FONT_ENV, "").strip()
    if override:
        path = Path(override)
        if not path.is_file():
            raise OutputError(f"环境变量 {FONT_ENV} 指定的字体文件不存在：{override}",
                              f"the font file named by {FONT_ENV} does not exist: {override}")
        return CJKFont(path, None)
    for family, _package, known in _CANDIDATES:
        found = _locate(family, known)
        if found is not None:
            path, via_fontconfig = found
            return CJKFont(path, family if via_fontconfig else None)
    raise _missing_font_error()


def find_cjk_font() -> Path:
    """The CJK font file a PDF embeds (see :func:`find_cjk_font_spec`)."""
    return find_cjk_font_spec().path


def find_cjk_bold_font(font: CJKFont) -> Path | None:
    """The bold face of ``font`` as a file of its own, or None (WenQuanYi has no bold).

    WeasyPrint gets the bold face from fontconfig by itself; the typst engine
    (:mod:`.pdf_typst`) is handed font files, so it asks here. A font fontconfig knows is
    looked up as ``family:bold``; otherwise a ``…Regular…`` file's ``…Bold…`` sibling."""
    if font.family is not None:
        found = _fc_match(f"{font.family}:bold")
        if found is not None:
            path, families = found
            if font.family.lower() in families.lower() and path.is_file() and path != font.path:
                return path
    if "Regular" in font.path.name:
        sibling = font.path.with_name(font.path.name.replace("Regular", "Bold"))
        if sibling.is_file():
            return sibling
    return None


def clear_font_cache() -> None:
    """Forget the font found (after installing one, or in tests)."""
    find_cjk_font_spec.cache_clear()
    _renderer_local.__dict__.clear()


def font_face_css() -> str:
    """CSS making every element of a page use the CJK font found.

    A font fontconfig knows is named by its family: WeasyPrint embeds (a subset of) every
    font it uses, and fontconfig resolves the family to exactly the file found, regular and
    bold (Noto has a real bold). Only a file fontconfig does not know (``$JIXIAO_CJK_FONT``)
    is declared with ``@font-face``, because WeasyPrint copies such a file (20 MB for a CJK
    font) into a temporary folder for every font configuration.
    """
    font = find_cjk_font_spec()
    rules = []
    if font.family is None:
        family = PDF_FONT_FAMILY
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{font.path.as_uri()}"); }}')
    else:
        family = font.family
    # @page too: the page-number margin box does not inherit from the html element.
    rules.append(f'@page {{ font-family: "{family}"; }}')
    rules.append(f'html, body, table, th, td, caption {{ font-family: "{family}"; }}')
    return "\n".join(rules)


def harfbuzz_subset_available() -> bool:
    """True when WeasyPrint found libharfbuzz-subset0 (without it WeasyPrint subsets fonts
    with fontTools, which is many times slower on a 20 MB CJK font)."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


@dataclass
class _Renderer:
    """The font configuration and stylesheet for one thread, built once and reused (font
    lookups and, for a ``@font-face`` file, its copy are then made once, not per PDF).
    Pango/fontconfig objects are not shared across threads."""

    fonts: tuple[Path, ...]  # files declared with @font-face (the fetcher serves only these)
    font_config: object
    stylesheet: object


_renderer_local = threading.local()
_font_configs: "weakref.WeakSet" = weakref.WeakSet()


@atexit.register
def _remove_font_copies() -> None:
    """Delete the copies of the font files WeasyPrint keeps for each font configuration.

    WeasyPrint removes them when the configuration is garbage-collected, which does not
    reliably happen at interpreter exit for the per-thread cache: every run would leave
    ~40 MB in the temporary folder."""
    for config in list(_font_configs):
        folder = getattr(config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _renderer() -> _Renderer:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font = find_cjk_font_spec()
    fonts = (font.path,) if font.family is None else ()
    cached = getattr(_renderer_local, "renderer", None)
    if cached is not None and cached.fonts == fonts:
        return cached
    font_config = FontConfiguration()
    _font_configs.add(font_config)
    stylesheet = CSS(string=font_face_css(), font_config=font_config,
                     url_fetcher=_font_only_fetcher(fonts))
    renderer = _Renderer(fonts, font_config, stylesheet)
    _renderer_local.renderer = renderer
    return renderer


def _font_only_fetcher(fonts: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves the given font files and nothing else."""
    from weasyprint.urls import URLFetcher

    allowed = {p.as_uri() for p in fonts}

    class FontOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in allowed or url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"jixiao PDF rendering loads no external resource: {url}")

    return FontOnlyFetcher(allowed_protocols={"file", "data"})


def render_pdf_bytes(html: str, pdfa: bool = False) -> bytes:
    """Lay out ``html`` (a complete document with its own print CSS) as PDF bytes, with
    the CJK font embedded; ``pdfa=True`` makes a PDF/A-2b file."""
    from weasyprint import HTML

    renderer = _renderer()
    options = {"pdf_variant": PDF_VARIANT_PDFA} if pdfa else {}
    try:
        document = HTML(string=html, url_fetcher=_font_only_fetcher(renderer.fonts))
        return document.write_pdf(stylesheets=[renderer.stylesheet],
                                  font_config=renderer.font_config, **options)
    except OutputError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; the user gets one clear message
        _log.debug("WeasyPrint failed", exc_info=True)
        raise OutputError("PDF 排版失败", f"PDF layout failed ({type(exc).__name__}: {exc})") \
            from None


def write_disclosure_pdf(table, path, pdfa: bool = False) -> None:
    """Write the 附件2-3 disclosure table of ``table`` as a PDF at ``path`` (atomically)."""
    from .html import render_disclosure_html

    data = render_pdf_bytes(render_disclosure_html(table), pdfa=pdfa)
    write_bytes_atomic(path, data)

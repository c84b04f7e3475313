"""The disclosure PDF as WeasyPrint makes it (what every engine must do is in
test_pdf_engines.py), checked with real clients: poppler's pdffonts/pdfinfo (is the CJK font
embedded, and under which name?).

Text extraction alone cannot tell whether a font is embedded: a PDF without the font still
extracts correct Chinese but prints boxes, hence pdffonts.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jixiao.errors import OutputError
from jixiao.formats import pdf_render
from jixiao.formats.pdf_render import (
    find_cjk_font, harfbuzz_subset_available, render_pdf_bytes, write_disclosure_pdf,
)

from .pdf_checks import run


@pytest.fixture
def seed_pdf(engine_pdf) -> Path:
    return engine_pdf("weasyprint", "seed")


def _fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table as dicts (name, type, emb, …)."""
    lines = run("pdffonts", str(pdf)).splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name type... encoding emb sub uni objectID gen: read the fixed tail from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


@pytest.mark.slow
def test_cjk_font_is_embedded(seed_pdf):
    fonts = _fonts(seed_pdf)
    assert fonts, "no fonts in the PDF"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    names = [f["name"].split("+")[-1] for f in fonts]
    assert "Noto-Sans-CJK-SC" in names, names  # the Simplified Chinese face, by fontconfig
    assert "Noto-Sans-CJK-SC-Bold" in names, names  # the header uses the real bold face
    assert all(f["uni"] == "yes" for f in fonts)  # ToUnicode maps: text stays extractable


def test_harfbuzz_subsetting_is_available():
    # Without libharfbuzz-subset0 WeasyPrint falls back to fontTools, ~20x slower on CJK fonts.
    assert harfbuzz_subset_available(), "install the Debian package libharfbuzz-subset0"


def test_rendering_loads_no_external_resource(tmp_path):
    secret = tmp_path / "pixel.png"
    import base64
    secret.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="))
    html = (f'<html lang="zh-CN"><body><p>中文</p><img src="{secret.as_uri()}">'
            f'<div style="background: url({secret.as_uri()})">x</div></body></html>')
    data = render_pdf_bytes(html)
    assert b"/Image" not in data
    control = render_pdf_bytes('<html><body><img src="data:image/png;base64,'
                               'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAF'
                               'BQIAX8jx0gAAAABJRU5ErkJggg=="></body></html>')
    assert b"/Image" in control  # the check above can fail: inline images do render


class TestFontLookup:
    @pytest.fixture(autouse=True)
    def _fresh_cache(self, monkeypatch):
        monkeypatch.delenv(pdf_render.FONT_ENV, raising=False)
        pdf_render.clear_font_cache()
        yield
        pdf_render.clear_font_cache()

    def test_finds_a_debian_cjk_font(self):
        path = find_cjk_font()
        assert path.is_file()
        assert any(name in path.name.lower() for name in ("notosanscjk", "wqy"))

    def test_missing_font_names_the_package_to_install(self, monkeypatch, tmp_path):
        # fontconfig answers every query with some font (here: a Latin one) …
        monkeypatch.setattr(pdf_render, "_fc_match",
                            lambda pattern: (Path("/usr/share/fonts/x/DejaVuSans.ttf"), "DejaVu Sans"))
        # … and the known Debian paths do not exist.
        monkeypatch.setattr(pdf_render, "_CANDIDATES", tuple(
            (family, package, (str(tmp_path / "missing.ttc"),))
            for family, package, _ in pdf_render._CANDIDATES))
        with pytest.raises(OutputError) as err:
            find_cjk_font()
        assert "fonts-noto-cjk" in err.value.message_zh and "fonts-noto-cjk" in err.value.message_en
        with pytest.raises(OutputError):
            render_pdf_bytes("<p>中文</p>")

    @pytest.mark.slow
    def test_environment_variable_chooses_the_font(self, monkeypatch, tmp_path, seed_table):
        wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
        if not wqy.is_file():
            pytest.skip("fonts-wqy-microhei not installed")
        monkeypatch.setenv(pdf_render.FONT_ENV, str(wqy))
        assert find_cjk_font() == wqy
        path = tmp_path / "wqy.pdf"
        write_disclosure_pdf(seed_table, path)
        fonts = _fonts(path)
        assert all(f["emb"] == "yes" for f in fonts)
        # declared with @font-face under jixiao's family name: the file itself is embedded
        assert {f["name"].split("+")[-1] for f in fonts} <= {
            pdf_render.PDF_FONT_FAMILY, pdf_render.PDF_FONT_FAMILY + "-Bold"}

    def test_environment_variable_naming_no_file_is_an_error(self, monkeypatch, tmp_path):
        monkeypatch.setenv(pdf_render.FONT_ENV, str(tmp_path / "nope.ttf"))
        with pytest.raises(OutputError) as err:
            find_cjk_font()
        assert pdf_render.FONT_ENV in err.value.message_en


@pytest.mark.slow
def test_a_run_leaves_no_font_copies_behind(tmp_path):
    # WeasyPrint copies the 20 MB CJK font into a temporary folder per font configuration;
    # the process must remove it on exit (TMPDIR isolates this run's folder).
    import os
    import sys

    code = ("from jixiao.formats.pdf_render import render_pdf_bytes\n"
            "assert render_pdf_bytes('<html lang=\"zh-CN\"><p>中文</p></html>').startswith(b'%PDF')\n")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert list(tmp_path.glob("weasyprint-*")) == []

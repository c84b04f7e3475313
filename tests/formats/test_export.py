import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from jixiao.errors import InputError, OutputError
from jixiao.formats import export as export_mod
from jixiao.formats import mof_xlsx, pdf_render, pdf_typst, table_json
from jixiao.formats.export import detect_format, export


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("name", ["t.xlsx", "t.csv", "t.json", "t.html", "T.XLSX"])
def test_suffix_picks_the_writer(seed_table, tmp_path, name):
    path = export(seed_table, tmp_path / name)
    assert _files(tmp_path) == [name]
    data = path.read_bytes()
    kind = name.lower().rsplit(".", 1)[1]
    if kind == "xlsx":
        assert openpyxl.load_workbook(path).active["A2"].value == seed_table.display_title
    elif kind == "csv":
        assert data.startswith(b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7")  # BOM + 序号
    elif kind == "json":
        assert table_json.to_document(table_json.load(path)) == table_json.to_document(seed_table)
    elif kind == "html":
        assert "<thead" in data.decode() and "办公设备购置" in data.decode()


def test_pdf_goes_through_the_pdf_writer(seed_table, tmp_path):
    path = export(seed_table, tmp_path / "t.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    assert _files(tmp_path) == ["t.pdf"]


def test_explicit_format_overrides_the_suffix(seed_table, tmp_path):
    path = export(seed_table, tmp_path / "out.dat", fmt="csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert detect_format("x.bin", ".XLSX") == "xlsx"


@pytest.mark.parametrize("name", ["t.txt", "t", "t.xls", "t.docx"])
def test_unknown_suffix_is_refused_before_writing(seed_table, tmp_path, name):
    with pytest.raises(InputError) as err:
        export(seed_table, tmp_path / name)
    assert "不支持的输出格式" in err.value.message_zh and "unsupported" in err.value.message_en
    assert _files(tmp_path) == []


def test_unknown_layout(seed_table, tmp_path):
    with pytest.raises(InputError) as err:
        export(seed_table, tmp_path / "t.xlsx", layout="landscape")
    assert "未知的版式" in err.value.message_zh and "unknown layout" in err.value.message_en
    assert _files(tmp_path) == []


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_mof_form_has_no_csv_or_json(seed_table, tmp_path, fmt):
    with pytest.raises(InputError):
        export(seed_table, tmp_path / f"t.{fmt}", layout="mof-form")
    assert _files(tmp_path) == []


def test_unknown_and_misplaced_options_are_refused(seed_table, tmp_path):
    with pytest.raises(InputError, match="pdfx"):
        export(seed_table, tmp_path / "t.pdf", pdfx=True)
    with pytest.raises(InputError, match="pdfa"):
        export(seed_table, tmp_path / "t.xlsx", pdfa=True)
    assert _files(tmp_path) == []


def test_options_reach_the_writer(seed_table, tmp_path):
    seed_table.projects[0].name = "=1+1"
    export(seed_table, tmp_path / "g.csv", guard_formulas=False)
    assert "\n1,区工商联,=1+1," in (tmp_path / "g.csv").read_text(encoding="utf-8-sig")
    export(seed_table, tmp_path / "f.xlsx", font_name="Noto Sans CJK SC")
    assert openpyxl.load_workbook(tmp_path / "f.xlsx").active["C7"].font.name == "Noto Sans CJK SC"


def test_zero_projects(seed_table, tmp_path):
    with pytest.raises(InputError) as err:
        export(replace(seed_table, projects=[]), tmp_path / "t.xlsx")
    assert "没有项目" in err.value.message_zh
    assert _files(tmp_path) == []


def test_output_folder_missing_or_path_is_a_folder(seed_table, tmp_path):
    with pytest.raises(OutputError):
        export(seed_table, tmp_path / "missing" / "t.xlsx")
    (tmp_path / "d.xlsx").mkdir()
    with pytest.raises(OutputError):
        export(seed_table, tmp_path / "d.xlsx")
    assert _files(tmp_path) == ["d.xlsx"]


def test_unwritable_folder(seed_table, tmp_path):
    import os

    if os.geteuid() == 0:
        locked = Path("/proc")  # root may write anywhere but here
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    with pytest.raises(OutputError) as err:
        export(seed_table, locked / "jixiao-test.xlsx")
    assert "无法写入" in err.value.message_zh
    assert not (locked / "jixiao-test.xlsx").exists()


def test_a_failing_writer_leaves_no_file_and_keeps_the_old_one(seed_table, tmp_path, monkeypatch):
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"previous export")

    def half_then_fail(table, path, options):
        path.write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(export_mod._WRITERS, ("disclosure", "xlsx"), half_then_fail)
    with pytest.raises(OutputError) as err:
        export(seed_table, target)
    assert "No space left" in err.value.message_en
    assert target.read_bytes() == b"previous export"
    assert _files(tmp_path) == ["t.xlsx"]  # no temporary file left behind


def test_a_missing_writer_module_is_a_clear_error(seed_table, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "jixiao.formats.html", None)  # import now fails
    with pytest.raises(OutputError) as err:
        export(seed_table, tmp_path / "t.html")
    assert "jixiao.formats.html" in err.value.message_en and "不可用" in err.value.message_zh
    assert _files(tmp_path) == []


def test_mof_form_dispatches_to_its_module(seed_table, tmp_path):
    path = export(seed_table, tmp_path / "m.xlsx", layout="mof-form")
    assert openpyxl.load_workbook(path).sheetnames  # a workbook, written by mof_xlsx
    html = export(seed_table, tmp_path / "m.html", layout="mof-form").read_text(encoding="utf-8")
    assert "办公设备购置" in html


def test_a_missing_library_inside_a_writer_is_a_clear_error(seed_table, tmp_path, monkeypatch):
    def needs_a_library(table, path, options):
        import jixiao_no_such_library  # noqa: F401

    monkeypatch.setitem(export_mod._WRITERS, ("disclosure", "xlsx"), needs_a_library)
    with pytest.raises(OutputError) as err:
        export(seed_table, tmp_path / "t.xlsx")
    assert "jixiao_no_such_library" in err.value.message_en
    assert _files(tmp_path) == []


def test_exported_files_get_the_usual_permissions(seed_table, tmp_path):
    import os

    umask = os.umask(0)
    os.umask(umask)
    path = export(seed_table, tmp_path / "t.csv")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's owner-only 0600


def test_pdfa_and_config_reach_their_writers(seed_table, tmp_path, monkeypatch):
    calls = []

    def record(name):
        def write(table, path, **kwargs):
            calls.append((name, kwargs))
            Path(path).write_bytes(b"ok")
        return write

    monkeypatch.setattr(pdf_render, "write_disclosure_pdf", record("pdf"))
    monkeypatch.setattr(pdf_typst, "write_disclosure_pdf_typst", record("typst"))
    monkeypatch.setattr(mof_xlsx, "write_mof_xlsx", record("mof"))
    export(seed_table, tmp_path / "a.pdf", pdfa=True)  # the default engine
    export(seed_table, tmp_path / "b.pdf", pdf_engine="weasyprint")
    export(seed_table, tmp_path / "c.xlsx", layout="mof-form", config={"execution_weight": 10})
    export(seed_table, tmp_path / "d.xlsx", layout="mof-form", target_changes=["changed"])
    assert calls == [("typst", {"pdfa": True}), ("pdf", {"pdfa": False}),
                     ("mof", {"config": {"execution_weight": 10}, "changes": ()}),
                     ("mof", {"config": None, "changes": ["changed"]})]
    assert _files(tmp_path) == ["a.pdf", "b.pdf", "c.xlsx", "d.xlsx"]


def test_every_option_is_documented_where_it_applies():
    """docs/outputs.md's option table names every option of export.OPTIONS with the formats
    and layouts it applies to and its default (an option nobody can find is a bug; one
    documented for the wrong layout is refused where the reader expects it)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "outputs.md").read_text("utf-8")
    section = doc.split("### Options")[1].split("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    assert set(rows) == set(export_mod.OPTIONS)
    for name, option in export_mod.OPTIONS.items():
        _, formats, layouts, default, _meaning = rows[name]
        assert [f.strip() for f in formats.split(",")] == list(option.formats), name
        assert [la.strip() for la in layouts.split(",")] == list(option.layouts), name
        assert str(option.default).strip('"') in default.replace("`", "").replace('"', ""), name

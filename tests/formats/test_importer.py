"""import_file: detection by content, limits checked before reading, refusals with messages."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.formats.importer import MB, Deadline, ImportLimits, detect_kind, import_file

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


@pytest.mark.parametrize(("source", "kind"), [
    ("xlsx/seed-wan.xlsx", "xlsx"),
    pytest.param("pdf/seed-wan.pdf", "pdf", marks=pytest.mark.slow),
    ("selfeval-2019-longgang-gsl.golden.json", "json"),
    ("000_68657388ac173f3b.txt", "text"),
])
def test_kind_is_detected_by_content_not_by_name(tmp_path, source, kind):
    path = _copy(FIXTURES / source, tmp_path / "upload.bin")  # the name says nothing
    result = import_file(path)
    assert result.kind == kind
    assert [p.seq for p in result.table.projects] == [1, 2, 3, 4, 5, 6]
    assert result.table.department == "深圳市龙岗区工商业联合会"


def test_detect_kind_of_other_files(tmp_path):
    plain_zip = tmp_path / "a.zip"
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert detect_kind(plain_zip, plain_zip.read_bytes()[:1024]) == "zip"
    assert detect_kind(tmp_path / "x", b"\xd0\xcf\x11\xe0\xa1\xb1") == "xls"
    assert detect_kind(tmp_path / "x", b"") == "empty"
    assert detect_kind(tmp_path / "x", b"\xef\xbb\xbf{\"year\": 2019}") == "json"


def _refused(path, limits=None) -> InputError:
    with pytest.raises(InputError) as err:
        import_file(path, limits)
    assert err.value.message_zh and err.value.message_en
    return err.value


def test_limits_reject_unknown_keys_and_bad_values():
    with pytest.raises(InputError, match="max_page"):
        ImportLimits.from_dict({"max_page": 10})
    with pytest.raises(InputError, match="positive"):
        ImportLimits.from_dict({"max_pages": 0})
    assert ImportLimits.from_dict({"max_pages": 10}).max_pages == 10
    assert ImportLimits().max_file_bytes == 50 * MB


def test_a_200_mb_file_is_refused_by_size_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(200 * MB)  # sparse: takes no disk space and no time
    err = _refused(path)
    assert "过大" in err.message_zh and "too large" in err.message_en


def _bomb(path: Path, size: int) -> Path:
    """A workbook-shaped zip whose sheet inflates from a few KB to ``size`` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b" " * MB
            for _ in range(size // MB):
                fh.write(chunk)
    return path


def test_xlsx_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 64 * MB)
    assert path.stat().st_size < 1 * MB
    err = _refused(path)
    assert "压缩炸弹" in err.message_zh and "zip bomb" in err.message_en


def test_xlsx_expanding_past_the_size_limit_is_refused(tmp_path):
    path = _bomb(tmp_path / "big.xlsx", 8 * MB)
    err = _refused(path, ImportLimits(max_xlsx_uncompressed_bytes=4 * MB, max_compression_ratio=1e9))
    assert "解压后过大" in err.message_zh and "expand" in err.message_en


def test_sheet_with_too_many_cells_is_refused_from_its_dimension(tmp_path):
    err = _refused(FIXTURES / "xlsx" / "multipage.xlsx", ImportLimits(max_cells=500))
    assert "too large" in err.message_en


@pytest.mark.parametrize(("content", "expect_en"), [
    (b"", "empty"),
    (b"  \n\n ", "empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04broken", "damaged"),
    (b"\x00\x01\x02binary\x00", "not a recognised format"),
    ("这是一段与预算无关的文字。\n今天天气很好。\n".encode(), "no project number rows"),
    (b'{"year": 2019, "department": "x"}', "missing required field"),
])
def test_bad_inputs_are_refused_with_both_languages(tmp_path, content, expect_en):
    path = tmp_path / "input"
    path.write_bytes(content)
    assert expect_en in _refused(path).message_en


def test_truncated_xlsx_is_refused(tmp_path):
    data = (FIXTURES / "xlsx" / "seed-wan.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "damaged" in _refused(path).message_en


def test_plain_zip_and_missing_file_and_directory(tmp_path):
    plain = tmp_path / "a.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "not an XLSX" in _refused(plain).message_en
    assert "not found" in _refused(tmp_path / "nope.pdf").message_en
    assert "directory" in _refused(tmp_path).message_en


def test_time_budget_is_enforced():
    deadline = Deadline(0.0)
    with pytest.raises(InputError, match="time budget"):
        deadline.check("x")
    with pytest.raises(InputError, match="time budget"):
        import_file(FIXTURES / "pdf" / "seed-wan.pdf", ImportLimits(time_budget_seconds=1e-9))


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(ImportLimits)])
def test_every_limit_is_documented_with_its_default(name):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text("utf-8")
    rows = [line for line in doc.splitlines() if line.startswith(f"| `{name}` |")]
    assert rows, f"docs/import.md has no row for `{name}`"
    assert f"`{getattr(ImportLimits(), name)}`" in rows[0]

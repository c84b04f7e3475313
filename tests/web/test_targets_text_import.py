"""The web's 绩效目标表 import takes the form's pdftotext -layout text beside XLSX and PDF: read in
the bounded child process like them, previewed, stored only when confirmed; text that is not a
targets form is refused (422) with the reason, as a file of any other kind is."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def upload(client, world, name, content):
    client.force_login(world.users["approver"])
    return client.post("/targets/import/", {"file": SimpleUploadedFile(name, content, content_type="text/plain"),
                                            "department": world.dept_a.pk})


def test_the_xiangtan_2023_form_s_layout_text_imports_through_the_preview_with_every_value(client, world):
    from jixiao.formats import targets_json
    from jixiao.web.targets import convert

    from .helpers import confirm_the_xiangtan_2023_preview

    text = (FIXTURES / "targets-text" / "xiangtan-lo.txt").read_bytes()
    response = upload(client, world, "湘潭2023.txt", text)
    sheet = confirm_the_xiangtan_2023_preview(client, response, world.dept_a)
    expected = targets_json.load(FIXTURES / "targets-text" / "xiangtan-lo.targets.json")
    assert convert.sheet_to_core(sheet).projects == expected.projects


@pytest.mark.parametrize("name, content, words", [
    ("seed.txt", (FIXTURES / "000_68657388ac173f3b.txt").read_bytes(), "不是绩效目标表"),
    ("plain.txt", (FIXTURES / "targets-text" / "without-layout" / "xiangtan-lo.txt").read_bytes(), "-layout"),
    ("binary.txt", "项目支出绩效目标表\n".encode() + b"\x01\x02\xff" * 300, "不是 UTF-8 或 GB18030"),
    ("nul.txt", b"\x00\x01" * 50, "不符"),
    ("workbook.txt", b"PK\x03\x04" + b"\x00" * 40, "不符"),
    ("form.doc", "项目支出绩效目标表".encode(), ".txt"),
])
def test_text_that_is_not_a_usable_targets_form_is_refused_with_the_reason(client, world, name, content, words):
    response = upload(client, world, name, content)
    assert response.status_code == 422
    assert words in response.content.decode()

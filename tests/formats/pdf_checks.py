"""Checks shared by the PDF tests of every engine (WeasyPrint, Typst) and the MoF form's PDF:
poppler's command-line tools, the ruled table read back by pdfplumber cell by cell, the text
that must print as itself, and the engines' disclosure writers by name."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber

from jixiao.formats import headers
from jixiao.formats.pdf_render import write_disclosure_pdf
from jixiao.formats.pdf_typst import write_disclosure_pdf_typst

# The disclosure table's writer per engine (the names `jixiao export --pdf-engine` takes).
WRITERS = {"weasyprint": write_disclosure_pdf, "typst": write_disclosure_pdf_typst}

A3_LANDSCAPE = (1190.55, 841.89)  # points
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def run(*cmd: str) -> str:
    assert shutil.which(cmd[0]), f"{cmd[0]} is needed (Debian package poppler-utils)"
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def body_rows(pdf: Path) -> tuple[list[list[str]], list[list[list[str]]]]:
    """Body rows (first cell a number) of the ruled table on every page, and each page's rows."""
    body, pages = [], []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            rows = [[c or "" for c in row]
                    for t in page.find_tables(LINES) for row in t.extract()]
            pages.append(rows)
            body += [r for r in rows if r[0].strip().isdigit()]
    return body, pages


def same(extracted: str, expected: str) -> bool:
    """Wrapped lines joined without spaces (CJK has none between characters); whitespace is
    ignored only where the input itself has some."""
    joined = "".join(extracted.split("\n"))
    if not re.search(r"\s", expected):
        return re.sub(r"\s", "", joined) == expected
    return re.sub(r"\s", "", joined) == re.sub(r"\s", "", expected)


def assert_rows_equal(rows: list[list[str]], table) -> None:
    columns = headers.body_columns(table)
    assert len(rows) == len(table.projects)
    for row, project in zip(rows, table.projects):
        assert len(row) == len(columns)
        for cell, column in zip(row, columns):
            expected = headers.column_text(project, column)
            assert same(cell, expected), (project.seq, column.key, cell, expected)


# Every character that means something in Typst markup or code, the formula prefixes a
# spreadsheet would run, and Typst code that would change the page if it were evaluated.
HOSTILE = [
    "#set page(width: 10mm) *粗体* _斜体_ $x^2$ @引用 <标签> [方括号] \\反斜杠 `代码` // 注释",
    "=SUM(A1:A9)",
    "+86-755-1234",
    "-5%以内",
    "@所有人",
    "/* 不是注释 */ \"引号\" 'x' ~ & % { } ( ) ; :",
    "#{\"a\" + \"b\"} #(1 + 2) #let x = 1",
]
LONG_CJK = "党建工作持续推进组织建设不断加强" * 40  # 640 characters without a break opportunity
LONG_LATIN = "https://www.example.gov.cn/" + "abcdefghij" * 12  # one unbroken Latin run

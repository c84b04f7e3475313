"""docs/, the source, bench/ and the README speak of the product — the machine, the command,
the date and the figures — not of how it was made: no numbered work rounds ("round 7"), issue
numbers ("(#3)", "issue 4"), build phases ("Web I"), whose session's machine a figure came from
or who else was using it. A review round (审核轮次) is the product's and is allowed, as is a
Django session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BUILD_WORDS = re.compile(
    r"session'?s machine"
    r"|\b(?:first|second|third|fourth|fifth|previous|next|this|earlier|later) session\b(?!['’]s (?:cookie|key|data|expiry))"
    r"|(?<!review )\brounds? [0-9]+\b"
    r"|\(#[0-9]+\)"
    r"|\bissues? #?[0-9]+\b"
    r"|\bother engineers\b"
    r"|\bweb I\b",
    re.IGNORECASE,
)

# Files being rewritten elsewhere at the moment; they still contain such words (listed, so
# the exception is visible and is removed with them).
PENDING: set[str] = set()
SUFFIXES = {".md", ".py", ".html", ".txt", ".toml", ".sh", ".typ", ".po"}


def _files() -> list[str]:
    paths = [ROOT / "README.md", *(p for top in ("docs", "src", "bench") for p in (ROOT / top).rglob("*"))]
    return sorted(str(p.relative_to(ROOT)) for p in paths
                  if p.suffix in SUFFIXES and p.is_file() and "__pycache__" not in p.parts)


def findings(text: str) -> list[str]:
    return [m.group(0) for m in BUILD_WORDS.finditer(text)]


def test_the_pattern_finds_build_process_words_and_allows_the_products():
    assert findings("measured in round 7 on the fourth session's machine (#3), issue 4, item 8")
    assert findings("Web I's public pages; other engineers' benchmarks ran; rounds 7 and 8")
    assert findings("the previous session's machine") and findings("issue #12")
    assert not findings("a second submission opens review round 2; 审核轮次 3")
    assert not findings("the session cookie; this session's cookie; a Django session; web i18n")


@pytest.mark.slow
def test_docs_source_and_benchmarks_speak_of_the_product():
    found = []
    for name in _files():
        if name in PENDING:
            continue
        for number, line in enumerate((ROOT / name).read_text("utf-8", errors="replace").splitlines(), 1):
            found += [f"{name}:{number}: {word}" for word in findings(line)]
    assert found == [], "say the machine, the command, the date and the figures instead"

"""A fast sample of the hostile-input corpus (make_corpus.py) through the CLI: every file ends
with exit 0, 1 or 2 and one message, never a traceback or an internal error; every bomb the
probe found is refused by a cheap check, within the limits, not by running into them. The
whole corpus, through the CLI and the web upload with peak memory and time, is
bench/bench_hostile.py (docs/reliability.md)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.formats.importer import ImportLimits

from . import make_corpus

# Writing the corpus sample (bombs of tens of MB among them) takes about a minute on 2 cores.
pytestmark = pytest.mark.slow

NAMES = [name for name, _ in make_corpus.corpus()]
# The bombs the probe found (docs/reliability.md), each by its own file.
PROBE_BOMBS = [
    "bomb-xlsx-merge-whole-sheet.xlsx",
    "bomb-xlsx-lying-dimension-far-cell.xlsx",
    "bomb-xlsx-480-sheets.xlsx",
    "bomb-xlsx-zip-member-64mb.xlsx",
    "bomb-xlsx-many-small-members.xlsx",
    "bomb-xlsx-90-sheets-many-merges.xlsx",
    "bomb-pdf-stream-1gib.pdf",
    "bomb-pdf-200000-glyphs.pdf",
    "bomb-pdf-seed-page-150-times.pdf",
    # Streams in other filters than Flate, and text drawn through a form XObject.
    "bomb-pdf-lzw-300mb.pdf",
    "bomb-pdf-runlength-300mb.pdf",
    "bomb-pdf-hex-then-flate-300mb.pdf",
    "bomb-pdf-form-drawn-2000-times.pdf",
]
KNOWN_CRASHERS = [
    "json-seq-superscript.json",
    "json-seq-5000-digits.json",
    "json-budget-1e-28.json",
    "json-budget-1e-999990.json",
    "json-lone-surrogate-name.json",
    "xlsx-amount-1e27.xlsx",
    "xlsx-raw-amount-5000-digit.xlsx",
]
MALFORMED_JSON = [
    "json-truncated-04.json", "json-deep-10000-arrays.json", "json-trailing-garbage.json",
    "json-utf16.json", "json-gbk.json",
]
# One file in 25 of the rest: every family is represented, and the sample stays under a minute.
OTHERS = [n for n in NAMES if n not in PROBE_BOMBS + KNOWN_CRASHERS + MALFORMED_JSON][::25]
BREACH = re.compile(r"memory limit|CPU time limit|time budget|process reading the file died")


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    make_corpus.write(out, set(PROBE_BOMBS + KNOWN_CRASHERS + MALFORMED_JSON + OTHERS))
    return out


def test_the_corpus_holds_at_least_500_files_and_every_probe_bomb():
    assert len(NAMES) >= 500 and len(set(NAMES)) == len(NAMES)
    assert set(PROBE_BOMBS + KNOWN_CRASHERS + MALFORMED_JSON) <= set(NAMES)
    families = {n.split("-")[0] for n in NAMES}
    assert {"bomb", "trunc", "flip", "random", "json", "text", "xlsx", "zip"} <= families
    assert {Path(n).suffix for n in NAMES if n.startswith("random-")} >= {".xlsx", ".pdf", ".json", ".txt", ".csv"}


def _import(path: Path, tmp_path: Path, capsys, caplog) -> tuple[int, str, float]:
    """Exit code, standard error and the parsing process's CPU seconds of ``jixiao import``."""
    out = tmp_path / "t.json"
    with caplog.at_level(logging.INFO, logger="jixiao.formats.sandbox"):
        code = main(["import", str(path), "-o", str(out), "--report", str(tmp_path / "r.txt")])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert not out.exists()
        last = err.strip().splitlines()[-1]
        assert last.startswith("jixiao: ") and " / " in last, err  # one bilingual line
    # The child's peak memory, from the parent's log line, within the limit.
    limit_mb = ImportLimits().max_memory_bytes / 2 ** 20
    runs = [m for r in caplog.records if (m := re.search(r"peak ([\d.]+) MB, CPU ([\d.]+) s", r.getMessage()))]
    assert runs and max(float(m.group(1)) for m in runs) <= limit_mb
    caplog.clear()
    return code, err, max(float(m.group(2)) for m in runs)


@pytest.mark.parametrize("name", PROBE_BOMBS)
def test_every_probe_bomb_is_refused_by_a_cheap_check_naming_what_was_too_big(corpus_dir, tmp_path, capsys,
                                                                               caplog, name):
    code, err, cpu = _import(corpus_dir / name, tmp_path, capsys, caplog)
    assert code == 2 and not BREACH.search(err), err
    assert re.search(r"too (large|many|much)|past|expand", err), err
    assert cpu < 15  # CPU seconds of the parsing process: cheap (the probe's bombs took 40–140 s)


@pytest.mark.parametrize("name", KNOWN_CRASHERS)
def test_inputs_that_crashed_the_cli_exit_2_with_a_message(corpus_dir, tmp_path, capsys, caplog, name):
    code, err, _ = _import(corpus_dir / name, tmp_path, capsys, caplog)
    assert code == 2, err
    if name.endswith(".json"):
        assert main(["check", str(corpus_dir / name)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err, err


@pytest.mark.parametrize("name", MALFORMED_JSON)
def test_malformed_json_is_reported_as_json_not_read_as_text(corpus_dir, tmp_path, capsys, caplog, name):
    code, err, _ = _import(corpus_dir / name, tmp_path, capsys, caplog)
    assert code == 2 and "JSON" in err and "project number rows" not in err, err


@pytest.mark.parametrize("name", OTHERS)
def test_a_sample_of_the_corpus_ends_with_a_message_never_a_traceback(corpus_dir, tmp_path, capsys, caplog, name):
    code, err, cpu = _import(corpus_dir / name, tmp_path, capsys, caplog)
    assert not BREACH.search(err), err
    assert cpu < ImportLimits().max_cpu_seconds
    if name.endswith(".json"):
        code = main(["check", str(corpus_dir / name)])
        err = capsys.readouterr().err
        assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err, err

"""sandbox.import_file: the file is parsed in a child process that the operating system bounds;
every limit reached comes back as one InputError naming it, and the caller's memory never
holds the parse."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.errors import InputError
from jixiao.formats import importer, sandbox, table_json
from jixiao.formats.importer import MB, ImportLimits

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize("name", [pytest.param("xlsx/seed-wan.xlsx", marks=pytest.mark.slow),
                                  pytest.param("pdf/seed-wan.pdf", marks=pytest.mark.slow),
                                  "000_68657388ac173f3b.txt", "selfeval-2019-longgang-gsl.golden.json"])
def test_the_child_gives_the_same_table_report_and_confidence_as_the_reader(name):
    inside = importer.import_file(FIXTURES / name)
    child = sandbox.import_file(FIXTURES / name)
    assert child.kind == inside.kind
    assert table_json.dumps(child.table) == table_json.dumps(inside.table)
    assert child.report == inside.report and child.confidence == inside.confidence


def test_the_parse_does_not_run_in_the_calling_process(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("parsed in the calling process")

    monkeypatch.setattr(importer, "import_file", boom)
    assert sandbox.import_file(FIXTURES / "xlsx" / "seed-wan.xlsx").kind == "xlsx"


def test_an_input_error_of_the_child_comes_back_with_its_source_and_both_languages(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"year": 2019, "department": "x"}', encoding="utf-8")
    with pytest.raises(InputError) as err:
        sandbox.import_file(path)
    assert "missing required field" in err.value.message_en and err.value.message_zh
    assert err.value.source == str(path) and err.value.path == "$.money_unit"


def test_past_the_memory_limit_the_message_names_the_limit():
    # 40 MB of address space is less than Python needs to load the PDF reader.
    with pytest.raises(InputError) as err:
        sandbox.import_file(FIXTURES / "pdf" / "seed-wan.pdf", ImportLimits(max_memory_bytes=40 * MB))
    assert "memory limit of 40 MB" in err.value.message_en and "内存上限（40 MB" in err.value.message_zh


@pytest.mark.slow
def test_past_the_cpu_limit_the_kernel_ends_the_child_and_the_message_names_it():
    # The 3-page PDF needs several CPU seconds.
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        sandbox.import_file(FIXTURES / "pdf" / "multipage.pdf", ImportLimits(max_cpu_seconds=1))
    assert "CPU time limit of 1 s" in err.value.message_en and "CPU 时间上限" in err.value.message_zh
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_a_child_past_the_wall_clock_is_killed(monkeypatch):
    monkeypatch.setattr(sandbox, "_child_command",
                        lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        sandbox.import_file(FIXTURES / "pdf" / "seed-wan.pdf", ImportLimits(time_budget_seconds=0.5))
    assert "time budget of 0.5 s" in err.value.message_en and "超时" in err.value.message_zh
    assert time.monotonic() - started < 10


def test_an_answer_past_the_result_limit_is_refused():
    with pytest.raises(InputError) as err:
        sandbox.import_file(FIXTURES / "selfeval-2019-longgang-gsl.golden.json", ImportLimits(max_result_bytes=100))
    assert "max_result_bytes" in err.value.message_en


def test_a_child_dying_by_a_signal_is_an_input_error_not_a_crash(monkeypatch):
    monkeypatch.setattr(sandbox, "_child_command",
                        lambda: [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"])
    with pytest.raises(InputError) as err:
        sandbox.import_file(FIXTURES / "pdf" / "seed-wan.pdf")
    assert "SIGSEGV" in err.value.message_en and "memory limit" in err.value.message_en


def test_limits_come_from_the_environment_and_a_bad_value_is_refused(monkeypatch):
    monkeypatch.setenv("JIXIAO_IMPORT_MEMORY_MB", "512")
    monkeypatch.setenv("JIXIAO_IMPORT_CPU_SECONDS", "30")
    monkeypatch.setenv("JIXIAO_IMPORT_WALL_SECONDS", "45")
    limits = ImportLimits()
    assert (limits.max_memory_bytes, limits.max_cpu_seconds, limits.time_budget_seconds) == (512 * MB, 30, 45)
    monkeypatch.setenv("JIXIAO_IMPORT_MEMORY_MB", "lots")
    with pytest.raises(InputError, match="JIXIAO_IMPORT_MEMORY_MB"):
        ImportLimits()


def test_defaults_keep_memory_at_most_one_gigabyte(monkeypatch):
    for name in ("JIXIAO_IMPORT_MEMORY_MB", "JIXIAO_IMPORT_CPU_SECONDS", "JIXIAO_IMPORT_WALL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    limits = ImportLimits()
    assert limits.max_memory_bytes <= 1024 * MB and limits.max_cpu_seconds == 120
    assert limits.time_budget_seconds == 180


def test_cli_exits_2_naming_the_memory_limit_and_writes_nothing(tmp_path, capsys):
    limits = tmp_path / "limits.json"
    limits.write_text('{"max_memory_bytes": 41943040}', encoding="utf-8")
    out = tmp_path / "t.json"
    assert main(["import", str(FIXTURES / "pdf" / "seed-wan.pdf"), "-o", str(out), "--limits", str(limits)]) == 2
    err = capsys.readouterr().err
    assert "memory limit of 40 MB" in err and "内存上限" in err and "Traceback" not in err
    assert not out.exists()


def test_the_child_sets_its_limits_with_setrlimit(tmp_path):
    """Read back from /proc: the child's own limits are the ones asked for."""
    if not os.path.exists("/proc/self/limits"):
        pytest.skip("no /proc")
    import subprocess

    code = ("from jixiao.formats import sandbox; from jixiao.formats.importer import ImportLimits; "
            "sandbox.set_limits(ImportLimits(max_memory_bytes=300 * 1024 * 1024, max_cpu_seconds=7)); "
            "print(open('/proc/self/limits').read())")
    text = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=sandbox._child_environment(), check=True).stdout
    lines = {line[:26].strip(): line[26:].split() for line in text.splitlines()[1:]}
    assert lines["Max address space"][:2] == [str(300 * MB)] * 2
    assert lines["Max cpu time"][:2] == ["7", "9"]
    assert lines["Max core file size"][:2] == ["0", "0"]


# --- the 绩效目标表: one more thing the same child reads ------------------------------------


@pytest.fixture
def targets_pdf(tmp_path):
    from jixiao.formats.targets_typst import write_targets_pdf

    from .targets_fixtures import sample_sheet

    path = tmp_path / "targets.pdf"
    write_targets_pdf(sample_sheet(), path)
    return path


def test_a_targets_form_is_read_by_the_same_child_and_a_table_is_not_one(tmp_path):
    from jixiao.formats.targets_xlsx import write_targets_xlsx

    from .targets_fixtures import sample_sheet

    write_targets_xlsx(sample_sheet(), tmp_path / "t.xlsx")
    assert sandbox.import_targets(tmp_path / "t.xlsx").projects == sample_sheet().projects
    assert sandbox.import_targets(FIXTURES / "000_68657388ac173f3b.txt") is None


def test_a_targets_form_read_past_the_memory_limit_names_the_limit(targets_pdf):
    with pytest.raises(InputError) as err:
        sandbox.import_targets(targets_pdf, ImportLimits(max_memory_bytes=40 * MB))
    assert "memory limit of 40 MB" in err.value.message_en and "内存上限（40 MB" in err.value.message_zh


def test_a_targets_form_over_the_size_limit_is_refused_by_the_table_import_s_check(targets_pdf):
    with pytest.raises(InputError) as err:
        sandbox.import_targets(targets_pdf, ImportLimits(max_file_bytes=1000), source="目标.pdf")
    assert "文件过大" in err.value.message_zh and "file too large" in err.value.message_en
    assert err.value.source == "目标.pdf"


def test_a_targets_reader_s_child_dying_by_a_signal_is_an_input_error(monkeypatch, targets_pdf):
    monkeypatch.setattr(sandbox, "_child_command",
                        lambda: [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"])
    with pytest.raises(InputError) as err:
        sandbox.import_targets(targets_pdf)
    assert "SIGSEGV" in err.value.message_en and "内存上限" in err.value.message_zh

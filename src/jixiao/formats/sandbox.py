"""Parse an untrusted file in a child process that the operating system keeps within bounds.

Why: a 5 KB workbook can ask openpyxl for billions of cells and a 1 MB PDF can inflate to a
gigabyte; checks between steps cannot stop a library in the middle of one call, and in the
web server the memory a parse took is never given back. So every file from outside (``jixiao
import``, ``check`` and ``export``, one file or a batch, and the web uploads) is read here, by
:func:`jixiao.formats.importer.read_file` in a fresh ``python -m jixiao.formats.sandbox``
process whose limits are set with ``resource.setrlimit`` before a byte of the file is read.
The caller says what the child looks for: the self-evaluation table (:func:`import_file`: the
web's table import), the 绩效目标表 or nothing (:func:`import_targets`: the web's targets import,
``check`` and ``export``), or whichever the file is (:func:`import_document`: ``jixiao import``
and ``check --history``) — told and read in the same child. The limits:

- address space (``RLIMIT_AS``) = ``ImportLimits.max_memory_bytes`` (default 1 GiB,
  ``JIXIAO_IMPORT_MEMORY_MB``): past it allocations fail (``MemoryError``) or the child dies;
- CPU time (``RLIMIT_CPU``) = ``max_cpu_seconds`` (default 120 s, ``JIXIAO_IMPORT_CPU_SECONDS``):
  the kernel stops the child with SIGXCPU;
- wall clock = ``time_budget_seconds`` (default 180 s, ``JIXIAO_IMPORT_WALL_SECONDS``): the
  parent kills the child (a parse waiting on nothing still ends);
- no core files, no files written (``RLIMIT_CORE``, ``RLIMIT_FSIZE`` = 0).

The child answers with one JSON document on its standard output — the table as table JSON,
the report and the confidences, the 绩效目标表 as targets JSON, "not a 绩效目标表", or the
``InputError`` it raised — read by the parent up to
``max_result_bytes``. Any breach becomes one :class:`~jixiao.errors.InputError` in Chinese and
English naming the limit that was reached (CLI exit 2, a 422 page on the web), and the
caller's memory holds only the answer, never the parse.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .import_result import ImportResult
from .importer import EITHER, TABLE, TARGETS, ImportLimits

if TYPE_CHECKING:
    from ..core.target_sheet import TargetSheet

log = logging.getLogger(__name__)

GRACE_SECONDS = 2.0  # the parent waits this much past the wall clock before killing
STDERR_KEPT = 8192  # bytes of the child's standard error kept for the log
_MEMORY_EXIT = 86  # the child's exit status after a MemoryError it could not report


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def memory_error(limits: ImportLimits, source: str | None) -> InputError:
    return InputError(
        f"导入超出内存上限（{_mb(limits.max_memory_bytes)} MB，JIXIAO_IMPORT_MEMORY_MB）：文件过于庞大或复杂，"
        "或是为耗尽内存而构造的文件",
        f"the import went past its memory limit of {_mb(limits.max_memory_bytes)} MB "
        "(JIXIAO_IMPORT_MEMORY_MB): the file is too large or complex, or built to exhaust memory",
        source=source)


def cpu_error(limits: ImportLimits, source: str | None) -> InputError:
    return InputError(
        f"导入超出 CPU 时间上限（{limits.max_cpu_seconds} 秒，JIXIAO_IMPORT_CPU_SECONDS）",
        f"the import went past its CPU time limit of {limits.max_cpu_seconds} s (JIXIAO_IMPORT_CPU_SECONDS)",
        source=source)


def wall_error(limits: ImportLimits, source: str | None) -> InputError:
    return InputError(
        f"导入超时（超过 {limits.time_budget_seconds:g} 秒的时间限制，JIXIAO_IMPORT_WALL_SECONDS）",
        f"import took longer than the time budget of {limits.time_budget_seconds:g} s "
        "(JIXIAO_IMPORT_WALL_SECONDS)", source=source)


def result_error(limits: ImportLimits, source: str | None) -> InputError:
    return InputError(
        f"导入结果过大（超过 {limits.max_result_bytes} 字节的上限 max_result_bytes）",
        f"the imported table is too large (over the max_result_bytes limit of {limits.max_result_bytes} bytes)",
        source=source)


def malformed_error(detail: str, source: str | None) -> InputError:
    """A reader failed on the file in a way it does not describe: the file's problem for the
    user, with the failure named so that it can be reported."""
    return InputError("文件无法读取（格式异常）；如果它在 Excel/WPS 或 PDF 阅读器中能正常打开，请报告此问题",
                      f"the file could not be read (malformed: {detail}); if it opens in a spreadsheet "
                      "program or PDF reader, please report this", source=source)


def _child_command() -> list[str]:
    return [sys.executable, "-m", "jixiao.formats.sandbox"]


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2])  # the folder holding the jixiao package
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if src not in paths:
        env["PYTHONPATH"] = os.pathsep.join([src, *paths])
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # RLIMIT_FSIZE = 0: the child writes no file
    return env


def import_file(path: str | Path, limits: ImportLimits | None = None, source: str | None = None) -> ImportResult:
    """:func:`jixiao.formats.importer.import_file` in a bounded child process: the table.

    ``source`` names the file in messages (default: ``path``; the web passes the upload's
    name). Raises InputError for the file's problems and for every limit reached."""
    return _read(path, limits, source, TABLE)


def import_targets(path: str | Path, limits: ImportLimits | None = None,
                   source: str | None = None) -> "TargetSheet | None":
    """The 绩效目标表 in an XLSX, PDF or text file, None when the file is not one; in a bounded child
    process, as :func:`import_file`."""
    return _read(path, limits, source, TARGETS)


def import_document(path: str | Path, limits: ImportLimits | None = None,
                    source: str | None = None) -> "ImportResult | TargetSheet":
    """The 绩效目标表 when the file is one, else the table; told and read in one bounded child
    process, as :func:`import_file`."""
    return _read(path, limits, source, EITHER)


def _read(path: str | Path, limits: ImportLimits | None, source: str | None, want: str) -> Any:
    limits = limits or ImportLimits()
    source = source or str(path)
    request = json.dumps({"path": str(Path(path).resolve()) if Path(path).exists() else str(path),
                          "source": source, "want": want, "limits": limits.to_dict()}).encode()
    return _from_answer(_run_reader(request, limits, source), limits, source)


def _run_reader(request: bytes, limits: ImportLimits, source: str) -> dict[str, Any]:
    """Run the child on ``request`` under ``limits``; its answer document. Raises the InputError
    of every limit reached and of a child that died."""
    answer, status, stderr = _run_child(request, limits, source, _child_command())
    if status == 0 or status == _MEMORY_EXIT:
        try:
            doc = json.loads(answer) if answer else None
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            if doc.get("breach") == "memory":
                raise memory_error(limits, source)
            return doc
        if status == _MEMORY_EXIT:
            raise memory_error(limits, source)
    if status == -signal.SIGXCPU:
        raise cpu_error(limits, source)
    if status < 0 and status in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
        # An allocation that failed inside C code (or the kernel's OOM killer) ends the child
        # by a signal rather than a MemoryError.
        log.warning("import child for %s died by signal %s; stderr: %s", source, -status, stderr[-2000:])
        raise InputError(
            f"读取文件的进程异常终止（信号 {signal.Signals(-status).name}），可能达到了内存上限 "
            f"{_mb(limits.max_memory_bytes)} MB（JIXIAO_IMPORT_MEMORY_MB）",
            f"the process reading the file died ({signal.Signals(-status).name}), probably at its memory "
            f"limit of {_mb(limits.max_memory_bytes)} MB (JIXIAO_IMPORT_MEMORY_MB)", source=source)
    log.warning("import child for %s ended with status %s; stderr: %s", source, status, stderr[-2000:])
    raise malformed_error(f"the reading process ended with status {status}", source)


def _from_answer(doc: dict[str, Any], limits: ImportLimits, source: str) -> Any:
    """What the child answered: an ImportResult, a TargetSheet or None ("not a 绩效目标表"); its
    error raised."""
    from . import table_json, targets_json

    if "error" in doc:
        e = doc["error"]
        raise InputError(e["zh"], e["en"], source=e.get("source"), path=e.get("path"))
    if doc.get("breach") == "memory":
        raise memory_error(limits, source)
    if "crash" in doc:
        raise malformed_error(doc["crash"], source)
    if "targets" in doc:
        return targets_json.from_document(doc["targets"], source=f"{source} (imported)")
    if "table" not in doc:
        return None
    table = table_json.from_document(doc["table"], source=f"{source} (imported)")
    return ImportResult(table=table, kind=doc["kind"], report=list(doc["report"]),
                        confidence=dict(doc["confidence"]))


def _run_child(request: bytes, limits: ImportLimits, source: str, command: list[str]) -> tuple[bytes, int, str]:
    """Run the child; (its standard output, its exit status, the end of its standard error).
    Raises the wall-clock and result-size errors itself (it is the one that kills)."""
    started = time.monotonic()
    deadline = started + limits.time_budget_seconds + GRACE_SECONDS
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_child_environment(), close_fds=True)
    out: list[bytes] = []
    size = 0
    err = b""
    peak = 0  # kB: the child's high-water mark of resident memory, as last seen
    try:
        assert proc.stdin and proc.stdout and proc.stderr
        proc.stdin.write(request)
        proc.stdin.close()
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            sel.register(proc.stderr, selectors.EVENT_READ)
            open_streams = 2
            while open_streams:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise wall_error(limits, source)
                peak = max(peak, _high_water_kb(proc.pid))
                for key, _ in sel.select(min(left, 0.25)):
                    data = os.read(key.fd, 65536)
                    if not data:
                        sel.unregister(key.fileobj)
                        open_streams -= 1
                    elif key.fileobj is proc.stdout:
                        size += len(data)
                        if size > limits.max_result_bytes:
                            raise result_error(limits, source)
                        out.append(data)
                    else:
                        err = (err + data)[-STDERR_KEPT:]
        peak = max(peak, _high_water_kb(proc.pid), _reported_peak_kb(out))
        status = _reap(proc, deadline)
        if status is None:
            raise wall_error(limits, source)
    finally:
        if proc.returncode is None:
            proc.kill()
            _reap(proc, None)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
        _log_run(proc, source, started, peak)
    return b"".join(out), status, err.decode("utf-8", "replace")


def _reap(proc: subprocess.Popen, deadline: float | None) -> int | None:
    """Wait for the child (until ``deadline``; None: for as long as it takes) with ``wait4``,
    keeping its resource usage (peak memory, CPU) on ``proc.rusage``; its exit status as
    ``Popen.returncode`` has it (negative: the signal), or None if still running at the
    deadline."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline is not None else 0)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            proc.rusage = usage  # type: ignore[attr-defined]
            return proc.returncode
        if deadline is not None and time.monotonic() > deadline:
            return None
        time.sleep(0.005)


def _high_water_kb(pid: int) -> int:
    """The child's peak resident memory so far (``VmHWM``; 0 when /proc cannot say). Not the
    ``ru_maxrss`` of ``wait4``: on Linux that also counts the parent's memory at the fork."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _reported_peak_kb(out: list[bytes]) -> int:
    """The peak the child measured itself just before answering (``"peak_kb"`` last in its
    answer)."""
    tail = b"".join(out[-2:])[-64:]
    i = tail.rfind(b'"peak_kb": ')
    try:
        return int(tail[i + 11:].rstrip(b"}").strip()) if i >= 0 else 0
    except ValueError:
        return 0


def _log_run(proc: subprocess.Popen, source: str, started: float, peak_kb: int) -> None:
    """One log line per parse: how it ended, its peak memory, CPU and wall time (the hostile
    corpus bench reads these from the web server's log)."""
    usage = getattr(proc, "rusage", None)
    cpu = usage.ru_utime + usage.ru_stime if usage is not None else float("nan")
    log.info("import child for %s: status %s, peak %.1f MB, CPU %.2f s, wall %.2f s", source, proc.returncode,
             peak_kb / 1024, cpu, time.monotonic() - started)


# ---------------------------------------------------------------------------
# The child


def set_limits(limits: ImportLimits) -> None:
    """Bound this process: address space, CPU time, no core file, no file written."""
    import resource

    memory = int(limits.max_memory_bytes)
    cpu = max(1, int(limits.max_cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Past the soft limit the kernel sends SIGXCPU (which ends the process); the hard limit
    # a little later is SIGKILL, in case SIGXCPU were ignored.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def child_main() -> int:
    """Read the request on standard input, answer one JSON document on standard output."""
    request = json.loads(sys.stdin.buffer.read())
    limits = ImportLimits(**request["limits"])
    set_limits(limits)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE fails instead
    answer_fd = os.dup(1)
    os.dup2(2, 1)  # anything a library prints goes to standard error, not into the answer
    try:
        answer = _child_answer(request["path"], request["source"], limits, request.get("want", TABLE))
    except MemoryError:
        answer = None
    if answer is None:
        try:
            answer = json.dumps({"breach": "memory", "peak_kb": _high_water_kb(os.getpid())}).encode()
        except MemoryError:
            os._exit(_MEMORY_EXIT)
    try:
        with os.fdopen(answer_fd, "wb") as fh:
            fh.write(answer)
    except MemoryError:
        os._exit(_MEMORY_EXIT)
    return 0


def _child_answer(path: str, source: str, limits: ImportLimits, want: str) -> bytes:
    from . import importer, table_json, targets_json
    from ..errors import JixiaoError

    try:
        result = importer.read_file(path, limits, want, source)
        if result is None:
            doc: dict[str, Any] = {"not_targets": True}
        elif isinstance(result, ImportResult):
            doc = {"kind": result.kind, "table": table_json.to_document(result.table), "report": result.report,
                   "confidence": result.confidence}
        else:
            doc = {"targets": targets_json.to_document(result)}
    except MemoryError:
        raise
    except JixiaoError as exc:
        doc = {"error": {"zh": exc.message_zh, "en": exc.message_en, "source": exc.source, "path": exc.path}}
    except RecursionError:
        doc = {"error": {"zh": "文件嵌套过深，无法读取", "en": "the file is nested too deeply to be read",
                         "source": source, "path": None}}
    except Exception as exc:  # noqa: BLE001 - a reader failing on untrusted bytes: reported, not raised
        if out_of_memory(exc):
            raise MemoryError from None
        import traceback

        traceback.print_exc()
        doc = {"crash": f"{type(exc).__name__}: {str(exc)[:300]}"}
    doc["peak_kb"] = _high_water_kb(os.getpid())  # last: the parent reads it from the end
    # ensure_ascii: a lone surrogate in the file's text must not break the answer.
    return json.dumps(doc, ensure_ascii=True, default=str).encode()


def out_of_memory(exc: BaseException | None) -> bool:
    """Did ``exc`` (or what caused it) come from an allocation refused at the memory limit?
    A MemoryError, or mmap/dlopen failing with ENOMEM ("failed to map segment from shared
    object", "Cannot allocate memory") — also when a library wrapped it in its own exception.
    Readers that turn any exception into "damaged file" ask this first and re-raise."""
    import errno

    while exc is not None:
        if isinstance(exc, MemoryError) or getattr(exc, "errno", None) == errno.ENOMEM:
            return True
        text = str(exc)
        if "failed to map segment" in text or "Cannot allocate memory" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


if __name__ == "__main__":  # pragma: no cover - run as a child process
    sys.exit(child_main())

"""What every kind of job shares: its files under the data folder, its progress, its failure.

A job's input (an upload) and its result (an export) live in ``JIXIAO_DATA_DIR/jobs/<id>/``,
a folder the web process and the worker both reach (same machine, or a shared volume), and
the row names them relative to the data folder, so moving the folder moves them too.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.utils import timezone

from jixiao.errors import JixiaoError

from .models import Job

log = logging.getLogger(__name__)

# progress(done, total): how far the job got, shown on its page while it runs.
Progress = Callable[[int, int], None]
T = TypeVar("T")


class Failed(Exception):
    """The job cannot do its work for a reason its page states (``code`` of messages.py with
    ``params``); nothing it would have changed is changed."""

    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = params or {}

    @classmethod
    def from_error(cls, exc: JixiaoError, code: str = "input") -> "Failed":
        reason = {"zh": exc.message_zh, "en": exc.message_en}  # shown in the page's language
        if exc.path:
            return cls(f"{code}_at" if code == "input" else code, {"path": exc.path, "reason": reason})
        return cls(code, {"reason": reason})


def finish_only(finish: Callable[[dict, Job], tuple[str, dict]]):
    """The ``perform`` of a kind whose whole work is its finish (runner.py), done with the job's
    row locked: one step of progress, then ``finish(params, locked)``."""

    def perform(job: Job, progress: Progress):
        progress(0, 1)
        return lambda locked: finish(job.params, locked)

    return perform


@contextlib.contextmanager
def failing(codes: dict[type[Exception], str]):
    """The job fails with ``codes[type]`` when the work inside raises an exception of that type
    (the row it needs is gone, the workflow refuses): the state's fault, stated on its page."""
    try:
        yield
    except tuple(codes) as exc:
        raise Failed(next(code for kind, code in codes.items() if isinstance(exc, kind))) from None


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def folder(job: Job) -> Path:
    return data_dir() / "jobs" / str(job.pk)


def relative(path: Path) -> str:
    return str(path.relative_to(data_dir()))


def absolute(name: str) -> Path:
    return data_dir() / name


def read_input(job: Job, progress: Progress, reader: Callable[[Path, str, str], T]) -> T:
    """The job's stored upload — the request checked its size, suffix and first bytes and stored
    it (:func:`store_input`) — read by ``reader(path, kind, filename)`` (an importer's
    ``read_file``), its one step of progress; a file the reader refuses fails the job with its
    bilingual reason."""
    progress(0, 1)
    try:
        read = reader(absolute(job.input_file), job.params["kind"], job.params["filename"])
    except JixiaoError as exc:
        raise Failed.from_error(exc) from None
    progress(1, 1)
    return read


def store_input(job: Job, chunks, suffix: str) -> bool:
    """Write the upload's ``chunks`` as the job's input file and record it on the row. When the
    file cannot be written (a full disk, a data folder not writable) the job fails at once with
    ``input_unsaved`` and no partial file is left: it never waits in 排队中 for an input it has
    not got. Returns whether the input was stored."""
    path = folder(job) / f"input{suffix}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            out.writelines(chunks)
    except OSError:
        log.exception("job %s: the upload could not be stored", job.pk)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        job.refuse("input_unsaved")
        return False
    job.input_file = relative(path)
    job.save(update_fields=["input_file"])
    return True


def expire_results(days: int) -> int:
    """Delete the files of exports that finished more than ``days`` ago (0: none), so the data
    folder does not fill with old ZIPs; their rows stay, without a file. Returns how many."""
    if days <= 0:
        return 0
    old = list(Job.objects.filter(kind=Job.Kind.EXPORT, finished_at__lt=timezone.now() - timedelta(days=days))
               .exclude(result_file=""))
    for job in old:
        shutil.rmtree(folder(job), ignore_errors=True)
    Job.objects.filter(pk__in=[job.pk for job in old]).update(result_file="")
    return len(old)

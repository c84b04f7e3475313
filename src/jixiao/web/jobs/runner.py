"""Running a job: the one code path, whether a worker runs it or the web process does.

Three steps, each its own short transaction on the job's row (``SELECT … FOR UPDATE``):

1. *claim*: a finished job is left alone (a re-delivered message after the work was done);
   otherwise the job becomes ``running`` with a fresh claim token and one more attempt. A
   re-delivery of a job still marked ``running`` (its worker died) takes it over.
2. *work*, outside any transaction: the slow part (reading a file in the bounded child
   parser, rendering forms), reporting progress. It changes nothing the user sees.
3. *finish*: with the row locked again, and only if the claim is still ours, the job's
   effects (the import's preview run, the publication, the export's file name) are written
   and the job marked ``succeeded`` in the same transaction — so they happen once, however
   often the message is delivered, and never without the job saying so.

A :class:`.work.Failed` (the input's or the state's fault) or any other exception ends the
job ``failed`` in the same step 3, with nothing written but a message from the catalogue; other
exceptions are logged with their traceback for the administrator and shown to the user only as
"internal error".
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import confirming, exporting, importing, publishing, targets_importing, work
from .models import Job

log = logging.getLogger(__name__)

# kind → perform(job, progress) returning finish(locked_job), which writes the effects and
# returns the job's message (code, params). A kind's module says only what, beyond the claim
# and the finish, is its own (the import run's state, the export's file named by its claim).
KINDS = {
    Job.Kind.IMPORT: importing.perform,
    Job.Kind.CONFIRM: confirming.perform,
    Job.Kind.PUBLISH: publishing.perform,
    Job.Kind.EXPORT: exporting.perform,
    Job.Kind.TARGETS_IMPORT: targets_importing.perform,
}


def run(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        return

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk, claim=job.claim, state=Job.State.RUNNING).update(done=done, total=total)

    try:
        _finish(job, KINDS[job.kind](job, progress))
    except work.Failed as exc:
        _fail(job, exc.code, exc.params)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, "internal", {})
    finally:
        # The upload is not needed once the job is over (its reading is kept in the database).
        if job.input_file and Job.objects.filter(pk=job.pk, state__in=Job.FINISHED).exists():
            work.absolute(job.input_file).unlink(missing_ok=True)
        if job.kind == Job.Kind.EXPORT:
            work.expire_results(settings.JIXIAO_JOB_FILES_DAYS)  # each export clears the expired ones


@transaction.atomic
def _claim(job_id: int) -> Job | None:
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    job.state = Job.State.RUNNING
    job.attempts += 1
    job.claim = str(uuid.uuid4())
    job.started_at = timezone.now()
    job.message_code, job.message_params = "running", {}
    job.save()
    return job


@transaction.atomic
def _finish(job: Job, finish, state: str = Job.State.SUCCEEDED) -> None:
    """With the job's row locked, and only if the claim is still ours (else another delivery took
    the job over, or finished it): ``finish(locked)`` writes the effects and says the message,
    and the job ends in ``state``."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.state != Job.State.RUNNING or locked.claim != job.claim:
        return
    locked.message_code, locked.message_params = finish(locked)
    if state == Job.State.SUCCEEDED:
        locked.done = locked.total = locked.total or 1
    locked.state, locked.finished_at = state, timezone.now()
    locked.save()


def _fail(job: Job, code: str, params: dict) -> None:
    _finish(job, lambda locked: (code, params), Job.State.FAILED)

"""The Celery application and its one task — run the job whose row id it carries — and how a
job is started.

``JIXIAO_BROKER_URL`` names the broker (``redis://…`` in production; ``amqp://…`` for
RabbitMQ works the same). There is no result backend: a job's state, progress and outcome are
its row (:class:`.models.Job`), which the web pages read.

Delivery is *at least once*: ``acks_late`` acknowledges a message only after the task
returned, and ``reject_on_worker_lost`` puts it back when the worker process died under it, so
a crash re-delivers the job rather than losing it. A re-delivered job is recognised by its row
(runner.py) and does its work at most once. ``worker_prefetch_multiplier = 1``: a worker takes
one long job at a time instead of hoarding several behind the one it runs.

With ``JIXIAO_BROKER_URL`` set, :func:`start` sends the task to the broker once the
transaction that created the job's row has committed (a worker must find the row), and a
``jixiao worker`` process runs it. Unset (``jixiao demo``, the tests), the task runs at once in
the process that started it, through Celery's eager execution (``apply``). Either way the work
is :func:`.runner.run`, the same function.

Why eager rather than a thread pool when there is no broker: the demo runs on SQLite, which
has one writer at a time, so a background thread would only queue behind (or block) the
requests it was meant to relieve; a job in a thread would be lost on a restart with nothing to
deliver it again; and a test or a demo user sees the outcome on the very next page. The demo's
files are small, so its requests stay short; a deployment with large files sets a broker.
"""

from __future__ import annotations

import logging

from celery import Celery
from django.conf import settings
from django.db import transaction

from . import runner
from .models import Job

log = logging.getLogger(__name__)

app = Celery("jixiao")
app.conf.update(
    broker_url=settings.JIXIAO_BROKER_URL or "memory://",
    broker_connection_retry_on_startup=True,
    # On Redis a message not acknowledged within this time is delivered again (to another
    # worker): it must exceed the longest job.
    broker_transport_options={"visibility_timeout": settings.JIXIAO_JOB_VISIBILITY_SECONDS},
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    task_default_queue="jixiao",
    timezone=settings.TIME_ZONE,
)


@app.task(name="jixiao.run_job")
def run_job(job_id: int) -> None:
    runner.run(job_id)


def start(job: Job) -> Job:
    """Run ``job`` (its row saved): now, in this process, without a broker; else by a worker
    after the current transaction commits. Returns the row as it is after the in-process run."""
    if not settings.JIXIAO_BROKER_URL:
        run_job.apply(args=[job.pk])
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _send(job))
    return job


def _send(job: Job) -> None:
    """Queue the job's message; when the broker cannot be reached (after kombu's retries) the
    job fails at once with a message saying so, instead of waiting in 排队中 for ever."""
    try:
        run_job.delay(job.pk)
    except Exception:
        log.exception("job %s could not be queued on the broker", job.pk)
        job.refuse("queue_unavailable")

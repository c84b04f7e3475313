"""The Celery application: configured from Django's settings, results kept in the Job row.

``JIXIAO_BROKER_URL`` names the broker (``redis://…`` in production; ``amqp://…`` for
RabbitMQ works the same). There is no result backend: a job's state, progress and outcome are
its row (:class:`.models.Job`), which the web pages read.

Delivery is *at least once*: ``acks_late`` acknowledges a message only after the task
returned, and ``reject_on_worker_lost`` puts it back when the worker process died under it, so
a crash re-delivers the job rather than losing it. A re-delivered job is recognised by its row
(runner.py) and does its work at most once. ``worker_prefetch_multiplier = 1``: a worker takes
one long job at a time instead of hoarding several behind the one it runs.
"""

from __future__ import annotations

from celery import Celery
from django.conf import settings

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
    result_backend=None,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    task_serializer="json",
    accept_content=["json"],
    task_default_queue="jixiao",
    timezone=settings.TIME_ZONE,
)
app.autodiscover_tasks(["jixiao.web.jobs"])

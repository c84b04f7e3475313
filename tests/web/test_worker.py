"""A real ``jixiao worker`` against Redis and PostgreSQL: the web process queues an import, its
confirmation, a publication and a 绩效目标表 import, the worker runs them, and messages delivered
again do no work twice.

Runs when JIXIAO_TEST_DATABASE_URL is set, with the broker JIXIAO_TEST_BROKER_URL names
(RabbitMQ's amqp://… works the same) or else a Redis database on 127.0.0.1:6379 claimed for the
run (redis_claim.py), so two suites on one machine never take each other's messages: a child pytest on PostgreSQL (like test_postgres.py), whose
test database the worker process opens too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from . import redis_claim
from .helpers import CHILD_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("JIXIAO_TEST_BROKER_URL")  # unset: a Redis database claimed per run (redis_claim.py)


def _broker_answers() -> bool:
    from kombu import Connection

    try:
        with Connection(BROKER, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("JIXIAO_TEST_DATABASE_URL"), reason="JIXIAO_TEST_DATABASE_URL not set")
def test_a_worker_process_runs_imports_and_publications_once_each():
    with ExitStack() as stack:
        broker = BROKER
        if broker is None:  # a Redis database claimed for this run, so two suites never share a queue
            try:
                (broker,) = stack.enter_context(redis_claim.claimed(1))
            except Exception as exc:
                pytest.skip(f"no Redis at 127.0.0.1:6379: {exc}")
        elif not _broker_answers():
            pytest.skip(f"no broker at {BROKER}")
        env = {**os.environ, "JIXIAO_WEB_TEST_DB": "postgres", "DATABASE_URL": os.environ["JIXIAO_TEST_DATABASE_URL"],
               "JIXIAO_TEST_BROKER_URL": broker}
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
               "tests/web/test_worker.py::test_in_postgres_child_worker_runs_jobs"]
        r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert " passed" in r.stdout


def _wait(job, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.state} after {seconds} s")


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("JIXIAO_WEB_TEST_DB") != "postgres" or BROKER is None,
                    reason="only in the PostgreSQL child run, which names its broker")
@pytest.mark.django_db(transaction=True)
def test_in_postgres_child_worker_runs_jobs(golden_path, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from jixiao.web.entry.models import ImportRun, Publication
    from jixiao.web.jobs import tasks
    from jixiao.web.jobs.models import Job
    from jixiao.web.targets.models import TargetSheet

    from .conftest import World

    from kombu import Connection

    with Connection(BROKER) as conn:  # no message left from an earlier run
        conn.SimpleQueue("jixiao").clear()
    settings.JIXIAO_BROKER_URL = BROKER
    tasks.app.conf.broker_url = BROKER
    world = World("approved")
    db = connection.settings_dict
    env = {**os.environ, "JIXIAO_BROKER_URL": BROKER, "JIXIAO_DATA_DIR": str(settings.DATA_DIR),
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "PYTHONPATH": str(ROOT / "src")}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([sys.executable, "-m", "jixiao", "worker", "--concurrency", "1"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        editor, reviewer = Client(), Client()
        editor.force_login(world.users["approver"])
        reviewer.force_login(world.users["reviewer"])

        def upload():
            with golden_path.open("rb") as f:
                # Into 2025: the 2019 table is approved (to be published below), not replaceable.
                r = editor.post(reverse("entry:import"), {"file": f, "department": world.dept_a.pk, "year": 2025})
            job = Job.objects.filter(kind="import").latest("pk")
            assert r.status_code == 302 and r["Location"] == job.get_absolute_url()
            return _wait(job)

        imported = upload()
        assert imported.state == "succeeded", imported.message_params
        assert ImportRun.objects.get().pk == imported.result["import_run"]
        assert "已读取" in editor.get(imported.get_absolute_url()).content.decode()
        r = editor.post(reverse("entry:import_confirm", args=[imported.result["import_run"]]))
        confirmed = Job.objects.get(kind="confirm")
        assert r["Location"] == confirmed.get_absolute_url()
        assert _wait(confirmed).state == "succeeded", confirmed.message_params
        assert ImportRun.objects.get().table.projects.count() == 6

        r = reviewer.post(reverse("review:publish", args=[world.tables["own"].pk]), {"note": "经后台任务公开"})
        published = Job.objects.get(kind="publish")
        assert r["Location"] == published.get_absolute_url()
        assert _wait(published).state == "succeeded"
        assert Publication.objects.get().note == "经后台任务公开"

        # A 绩效目标表 is read by the worker too (in its bounded child); the job's page leads to the
        # preview, which the request confirms.
        text = (ROOT / "tests" / "fixtures" / "targets-text" / "xiangtan-lo.txt").read_bytes()
        r = editor.post(reverse("targets:import"), {"department": world.dept_a.pk,
                                                    "file": SimpleUploadedFile("湘潭2023.txt", text)})
        read = Job.objects.get(kind="targets_import")
        assert r["Location"] == read.get_absolute_url()
        assert _wait(read).state == "succeeded", read.message_params
        reading = read.result
        assert editor.get(reverse("targets:import_job", args=[read.pk]))["Location"] == reverse("targets:import_preview")
        assert "雾炮车降尘抑尘服务" in editor.get(reverse("targets:import_preview")).content.decode()
        editor.post(reverse("targets:import_preview"), {"confirm": "1"})
        assert TargetSheet.objects.get(year__year=2023, department=world.dept_a).projects.count() == 1

        # The broker delivers the messages again (as after a worker crash before its ack); a
        # job queued behind them shows when the worker has handled them.
        tasks.run_job.delay(imported.pk)
        tasks.run_job.delay(confirmed.pk)
        tasks.run_job.delay(published.pk)
        tasks.run_job.delay(read.pk)
        upload()
        assert ImportRun.objects.count() == 2 and Publication.objects.count() == 1
        read.refresh_from_db()
        assert read.result == reading
        assert ImportRun.objects.filter(state="confirmed").count() == 1
        assert set(Job.objects.values_list("state", "attempts")) == {("succeeded", 1)}
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        tasks.app.conf.broker_url = "memory://"
    assert worker.returncode in (0, -15), (tmp_path / "worker.log").read_text()[-3000:]

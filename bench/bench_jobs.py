"""Benchmark: how long the web request of an import and of a publication takes when the work
runs in the request (no broker: the job runs in process, as every request did before the jobs)
and when it is queued for ``jixiao worker`` (JIXIAO_BROKER_URL set; only the request is timed,
no worker runs). Not a test: run it by hand and copy the figures into docs/benchmarks/jobs.md.

    JIXIAO_BROKER_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/bench_jobs.py [--projects 100]

A generated table of ``--projects`` projects is exported as the MoF forms PDF (one to two pages
per project: the "100-page PDF" of an import) into a temporary data folder with its own SQLite
database; the same file is uploaded once per mode, and an approved table of that size is
published once per mode. The broker's queue is emptied afterwards (nothing runs the jobs).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100)
    args = parser.parse_args()
    broker = os.environ.get("JIXIAO_BROKER_URL", "").strip()
    if not broker:
        sys.exit("set JIXIAO_BROKER_URL (e.g. redis://127.0.0.1:6379/5): the queued mode needs a broker")
    data = Path(tempfile.mkdtemp(prefix="jixiao-bench-jobs-"))
    os.environ.update(JIXIAO_DATA_DIR=str(data), JIXIAO_SECRET_KEY="bench-" + "k" * 50,
                      JIXIAO_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="jixiao.web.settings")
    os.environ.pop("DATABASE_URL", None)
    from jixiao.web import bootstrap

    bootstrap.setup_django()
    bootstrap.migrate()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from jixiao.formats import export
    from jixiao.generate import generate_table
    from jixiao.web import demo_data
    from jixiao.web.accounts import roles
    from jixiao.web.entry import convert
    from jixiao.web.entry.models import Department, DisclosureTable, ImportRun, Status
    from jixiao.web.jobs import tasks
    from jixiao.web.jobs.models import Job

    table = generate_table(projects=args.projects, seed=0)
    pdf = data / "forms.pdf"
    export.export(table, pdf, fmt="pdf", layout="mof-form")
    dept = Department.objects.create(name=table.department, short_name="甲")
    editor = demo_data.create_user("editor", "pw-editor-123", roles.EDITOR, dept)
    reviewer = demo_data.create_user("admin", "pw-admin-12345", roles.ADMIN, None)  # sees every table
    clients = {}
    for user in (editor, reviewer):
        clients[user] = Client()
        clients[user].force_login(user)

    def upload() -> float:
        with pdf.open("rb") as f:
            start = time.perf_counter()
            r = clients[editor].post(reverse("entry:import"), {"file": f, "department": dept.pk})
            took = time.perf_counter() - start
        assert r.status_code == 302, r.status_code
        return took

    def publish() -> float:
        own = Department.objects.create(name=f"公开部门{Department.objects.count()}", short_name="乙")
        row = convert.save_table(table, user=editor, department=own, existing=None)
        DisclosureTable.objects.filter(pk=row.pk).update(status=Status.APPROVED)
        start = time.perf_counter()
        r = clients[reviewer].post(reverse("review:publish", args=[row.pk]), {"note": ""})
        took = time.perf_counter() - start
        assert r.status_code == 302, r.status_code
        return took

    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    print(f"jixiao bench_jobs: {args.projects} projects, PDF {pdf.stat().st_size // 1024} KB, {pages} pages; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for mode, url in (("in the request (no broker)", ""), ("queued for jixiao worker", broker)):
        settings.JIXIAO_BROKER_URL = url
        tasks.app.conf.broker_url = url or "memory://"
        took = upload()
        run = ImportRun.objects.order_by("-pk").first()
        if run is not None and run.state == ImportRun.State.PREVIEW and not url:
            start = time.perf_counter()
            clients[editor].post(reverse("entry:import_confirm", args=[run.pk]))
            print(f"  (confirming the import, still in the request: {time.perf_counter() - start:.2f} s)")
        print(f"  {mode:28s} import request {took:6.2f} s   publish request {publish():6.2f} s", flush=True)
    print(f"  jobs: {list(Job.objects.values_list('kind', 'state'))}")
    import redis

    redis.Redis.from_url(broker).delete("jixiao")  # the queued jobs' messages: nothing will run them
    return 0


if __name__ == "__main__":
    sys.exit(main())

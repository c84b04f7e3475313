"""Helpers shared by several web test modules (test modules never import one another, so a
helper lives here or in conftest.py rather than in the test module that first needed it)."""

from __future__ import annotations

from contextlib import contextmanager

from jixiao.generate import generate_table
from jixiao.web.entry import convert
from jixiao.web.entry.models import Status

from .conftest import bring_to

# A child pytest (the PostgreSQL, worker and PostgreSQL browser runs) is stopped after this many
# seconds: a guard against a child that hangs, not a time limit. The PostgreSQL child took nine
# minutes on the 2-core machine beside other test runs, so a limit near that failed under load.
CHILD_TIMEOUT = 1500


def project_post(world, key):
    """A valid project form post for world.projects[key], renaming the project."""
    p = world.projects[key]
    return {"version": p.version, "seq": p.seq, "unit_name": "甲单位", "name": "改过的名称", "gov_investment": "no",
            "budget": "100.00", "actual_total": "95.00", "actual_general_budget": "95.00", "actual_gov_fund": "0",
            "actual_non_fiscal": "0", "execution_rate_text": "95.00%", "annual_goal": "目标",
            "overall_completion": "完成", "problems": "无", "rectification": "无",
            "ind_quantity_target": "培训≥4次", "ind_quantity_actual": "培训5次"}


def api_get(client, url, status=200, **params):
    """GET an API URL, asserting the status and a JSON answer; the decoded JSON."""
    response = client.get(url, params)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def publish_generated(world, projects, seed, year=2019, department=None):
    """A generated table of `projects` projects, published; its publication."""
    core = generate_table(projects=projects, seed=seed, year=year, department=department)
    t = convert.save_table(core, status=Status.DRAFT)
    bring_to(t, "published", world.users["admin"], world.users["reviewer"])
    return t.publications.get()


def queries_of_get(client, url) -> int:
    """How many SQL queries one GET of ``url`` makes (it must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def confirm_the_xiangtan_2023_preview(client, response, department):
    """Follow an upload of the 湘潭 2023 绩效目标表 (``response``, its answer) to the preview: it
    shows the project, an indicator and the finding JX608 and stores nothing yet; once confirmed,
    the department's stored sheet."""
    from jixiao.web.targets.models import TargetSheet

    assert response.status_code == 302, response.content.decode()[-2000:]
    preview = client.get("/targets/import/preview/").content.decode()
    assert "雾炮车降尘抑尘服务" in preview and "市民满意度" in preview and "JX608" in preview
    assert not TargetSheet.objects.filter(year__year=2023).exists()
    client.post("/targets/import/preview/", {"confirm": "1"})
    return TargetSheet.objects.get(year__year=2023, department=department)


@contextmanager
def in_threads(*bodies, timeout=60):
    """Run each callable in a thread of its own (its own database connection, closed when it
    ends); the ``with`` block runs while they do, then they are joined and none may have raised."""
    import threading

    from django.db import connections

    errors = []

    def run(body):
        try:
            body()
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for t in threads:
        t.start()
    yield
    for t in threads:
        t.join(timeout)
    assert not errors, errors

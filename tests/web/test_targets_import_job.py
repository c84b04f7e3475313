"""The 绩效目标表 import reads the upload in a background job, as the self-evaluation's import
does: size, suffix and first bytes are refused at once (422); the reading is a job — run in the
request without a broker, so the answer is the preview, or by a worker with one, so the answer
is the job's page, which follows it and leads to the same preview; a file that is not a
绩效目标表 fails the job with the reason on its page. A job delivered again keeps one reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jixiao.web.jobs import messages, runner, tasks, work
from jixiao.web.jobs.models import Job

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FORM = (FIXTURES / "targets-text" / "xiangtan-lo.txt").read_bytes()  # the 湘潭 2023 form's layout text
PREVIEW = reverse("targets:import_preview")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client, world, name="湘潭2023.txt", content=FORM):
    return client.post(reverse("targets:import"), {"file": SimpleUploadedFile(name, content, content_type="text/plain"),
                                                   "department": world.dept_a.pk})


@pytest.fixture
def broker(settings, monkeypatch):
    """A broker configured: the request queues the job (the messages it sends are listed) and
    the test runs it as the worker would (runner.run)."""
    settings.JIXIAO_BROKER_URL = "redis://127.0.0.1:6379/5"
    sent = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda pk: sent.append(pk))
    return sent


def test_without_a_broker_the_upload_is_read_by_a_job_in_the_request_and_the_answer_is_the_preview(world):
    approver = _client(world.users["approver"])
    r = _upload(approver, world)
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == PREVIEW
    assert job.kind == "targets_import" and job.state == "succeeded" and job.attempts == 1
    assert job.started_by == world.users["approver"] and job.done == job.total == 1
    assert job.params == {"department": world.dept_a.pk, "filename": "湘潭2023.txt", "size": len(FORM), "kind": "txt"}
    assert not work.absolute(job.input_file).exists()  # the upload is gone once read
    assert "雾炮车降尘抑尘服务" in approver.get(PREVIEW).content.decode()
    page = approver.get(job.get_absolute_url()).content.decode()
    assert "已读取" in page and "导入绩效目标表" in page and reverse("targets:import_job", args=[job.pk]) in page


def test_with_a_broker_the_upload_answers_with_the_jobs_page_which_leads_to_the_same_preview(
        world, broker, django_capture_on_commit_callbacks):
    from jixiao.formats import targets_json
    from jixiao.web.targets import convert
    from jixiao.web.targets.models import TargetSheet

    approver = _client(world.users["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        r = _upload(approver, world)
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == job.get_absolute_url() and broker == [job.pk]
    assert work.absolute(job.input_file).is_file()  # stored for the worker
    page = approver.get(job.get_absolute_url()).content.decode()
    assert job.state == "queued" and 'http-equiv="refresh"' in page and "排队" in page
    assert approver.get(PREVIEW)["Location"] == reverse("targets:import")  # nothing read yet
    assert approver.get(reverse("targets:import_job", args=[job.pk])).status_code == 404
    runner.run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.state == "succeeded" and not work.absolute(job.input_file).exists()
    page = approver.get(job.get_absolute_url()).content.decode()
    link = reverse("targets:import_job", args=[job.pk])
    assert "已读取「湘潭2023.txt」：1 个项目" in page and link in page and 'http-equiv="refresh"' not in page
    assert approver.get(link)["Location"] == PREVIEW
    preview = approver.get(PREVIEW).content.decode()
    assert "雾炮车降尘抑尘服务" in preview and "市民满意度" in preview and "JX608" in preview
    assert not TargetSheet.objects.filter(year__year=2023).exists()  # stored only when confirmed
    approver.post(PREVIEW, {"confirm": "1"})
    sheet = TargetSheet.objects.get(year__year=2023, department=world.dept_a)
    expected = targets_json.load(FIXTURES / "targets-text" / "xiangtan-lo.targets.json")
    assert convert.sheet_to_core(sheet).projects == expected.projects


def test_a_targets_job_delivered_again_keeps_its_one_reading(world, broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(_client(world.users["approver"]), world)
    job = Job.objects.get()
    runner.run(job.pk)
    job.refresh_from_db()
    reading = job.result
    runner.run(job.pk)  # the broker delivers the message a second time
    tasks.run_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == ("succeeded", 1, reading)


def test_with_a_broker_a_file_that_is_not_a_targets_sheet_fails_its_job_with_the_reason_on_its_page(
        world, broker, django_capture_on_commit_callbacks):
    approver = _client(world.users["approver"])
    seed = (FIXTURES / "000_68657388ac173f3b.txt").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        r = _upload(approver, world, "seed.txt", seed)
    job = Job.objects.get()
    assert r["Location"] == job.get_absolute_url()
    runner.run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and not work.absolute(job.input_file).exists()
    page = approver.get(job.get_absolute_url()).content.decode()
    assert "文件无法导入" in page and "不是绩效目标表" in page and "Traceback" not in page
    assert f'href="{reverse("targets:import")}"' in page and "重新上传" in page  # upload again
    assert approver.get(reverse("targets:import_job", args=[job.pk])).status_code == 404
    with translation.override("en"):
        english = messages.render(job.message_code, job.message_params)
    assert "could not be imported" in english and "not a performance targets sheet" in english


def test_a_wrong_size_suffix_or_content_is_refused_in_the_request_without_a_job(world, broker, settings):
    approver = _client(world.users["approver"])
    for name, content, words in (("nul.txt", b"\x00\x01" * 50, "不符"), ("form.doc", FORM, ".txt")):
        r = _upload(approver, world, name, content)
        assert r.status_code == 422 and words in r.content.decode(), name
    settings.JIXIAO_UPLOAD_MAX_BYTES = len(FORM) - 1
    r = _upload(approver, world)
    assert r.status_code == 422 and "文件过大" in r.content.decode()
    assert not Job.objects.exists() and broker == []


def test_only_who_sees_the_job_opens_its_reading_and_previews_it_only_for_a_department_they_import_for(world):
    _upload(_client(world.users["approver"]), world)
    job = Job.objects.get()
    link = reverse("targets:import_job", args=[job.pk])
    for key in ("editor_b", "approver_b"):  # another department's: no such job
        assert _client(world.users[key]).get(link).status_code == 404, key
    reviewer = _client(world.users["reviewer"])  # the finance bureau sees the job, imports for no department
    assert reviewer.get(job.get_absolute_url()).status_code == 200
    assert reviewer.get(link)["Location"] == PREVIEW and reviewer.get(PREVIEW).status_code == 404
    admin = _client(world.users["admin"])  # imports for every department
    assert admin.get(link)["Location"] == PREVIEW and "雾炮车降尘抑尘服务" in admin.get(PREVIEW).content.decode()

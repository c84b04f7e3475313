"""Background jobs without a broker: an import and a publication run as jobs in the process
that starts them, through the same code a worker runs; a job delivered again does nothing
twice; a failure is a bilingual message, never a traceback; only the user who started a job
and the finance bureau see it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jixiao.web.entry.models import ImportRun, Publication
from jixiao.web.jobs import messages, runner, tasks, work
from jixiao.web.jobs.models import Job

from .conftest import World


def _upload(client, path, department):
    with open(path, "rb") as f:
        return client.post(reverse("entry:import"), {"file": f, "department": department.pk})


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_upload_is_read_by_an_import_job_whose_result_is_the_preview(golden_path):
    world = World("draft")
    r = _upload(_client(world.users["editor"]), golden_path, world.dept_a)
    job = Job.objects.get()
    run = ImportRun.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("entry:import_preview", args=[run.pk])
    assert job.kind == "import" and job.state == "succeeded" and job.attempts == 1
    assert job.result == {"import_run": run.pk} and job.started_by == world.users["editor"]
    assert job.done == job.total == 1 and job.finished_at is not None
    assert not work.absolute(job.input_file).exists()  # the upload is gone once read
    page = _client(world.users["editor"]).get(job.get_absolute_url()).content.decode()
    assert "已读取" in page and reverse("entry:import_preview", args=[run.pk]) in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading


@pytest.mark.django_db
def test_a_job_delivered_again_does_not_import_or_publish_twice(golden_path):
    world = World("approved")
    _upload(_client(world.users["approver"]), golden_path, world.dept_a)
    reviewer = _client(world.users["reviewer"])
    r = reviewer.post(reverse("review:publish", args=[world.tables["own"].pk]), {"note": "首次公开"})
    assert r.status_code == 302 and r["Location"] == reverse("entry:table", args=[world.tables["own"].pk])
    assert Publication.objects.count() == 1 and ImportRun.objects.count() == 1
    for job in Job.objects.all():
        runner.run(job.pk)  # the broker delivers the message a second time
        tasks.run_job.apply(args=[job.pk])
    assert Publication.objects.count() == 1 and ImportRun.objects.count() == 1
    assert set(Job.objects.values_list("state", "attempts")) == {("succeeded", 1)}


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_taken_over_and_done_once(golden_path):
    world = World("approved")
    job = Job.objects.create(kind=Job.Kind.PUBLISH, started_by=world.users["reviewer"],
                             params={"table": world.tables["own"].pk, "note": "", "reason": ""},
                             state=Job.State.RUNNING, attempts=1, claim="a-worker-that-died")
    runner.run(job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded" and job.attempts == 2
    assert Publication.objects.get().pk == job.result["publication"]


@pytest.mark.django_db
def test_a_delivery_that_lost_its_claim_records_nothing(golden_path, tmp_path):
    """Two deliveries at once: the one that claimed last finishes; the other's work is dropped."""
    world = World("approved")
    job = Job.objects.create(kind=Job.Kind.PUBLISH, started_by=world.users["reviewer"],
                             params={"table": world.tables["own"].pk})
    first = runner._claim(job.pk)
    runner.run(job.pk)  # a second delivery takes the job over and publishes
    runner._finish(first, lambda locked: Publication.objects.create(
        table=world.tables["own"], number=99, snapshot={}, published_by=world.users["reviewer"]))
    assert list(Publication.objects.values_list("number", flat=True)) == [1]


@pytest.mark.django_db
def test_a_refused_publication_fails_its_job_with_the_state_message():
    world = World("submitted")  # not approved: publishing is refused when the job runs
    job = tasks.start(Job.objects.create(kind=Job.Kind.PUBLISH, started_by=world.users["reviewer"],
                                         params={"table": world.tables["own"].pk}))
    assert job.state == "failed" and job.message_code == "state_changed" and not Publication.objects.exists()


@pytest.mark.django_db
def test_a_crash_inside_a_job_is_an_internal_error_message_without_a_traceback(golden_path, monkeypatch, caplog):
    world = World("draft")

    def broken(*args, **kwargs):
        raise RuntimeError("reader bug with a secret path /srv/x")

    monkeypatch.setattr("jixiao.web.entry.importing.read_file", broken)
    r = _upload(_client(world.users["editor"]), golden_path, world.dept_a)
    job = Job.objects.get()
    assert r.status_code == 422 and job.state == "failed" and job.message_code == "internal"
    page = _client(world.users["editor"]).get(job.get_absolute_url()).content.decode()
    assert "内部错误" in page and "Traceback" not in page and "/srv/x" not in page
    assert "reader bug" in caplog.text  # the administrator's log has it
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_refused_file_fails_its_job_with_the_importers_reason_in_both_languages(tmp_path):
    world = World("draft")
    path = tmp_path / "t.json"
    path.write_text('{"year": "x"}', encoding="utf-8")
    r = _upload(_client(world.users["editor"]), path, world.dept_a)
    job = Job.objects.get()
    assert r.status_code == 422 and job.state == "failed"
    assert "缺少必填字段" in messages.render(job.message_code, job.message_params)
    with translation.override("en"):
        english = messages.render(job.message_code, job.message_params)
    assert "could not be imported" in english and "missing" in english


@pytest.mark.django_db
def test_only_the_starter_and_the_finance_bureau_see_a_job(golden_path):
    world = World("draft")
    _upload(_client(world.users["editor"]), golden_path, world.dept_a)
    job = Job.objects.get()
    for key, status in (("editor", 200), ("reviewer", 200), ("admin", 200), ("approver", 404), ("editor_b", 404)):
        assert _client(world.users[key]).get(job.get_absolute_url()).status_code == status, key
        assert (str(job.get_absolute_url()) in _client(world.users[key]).get(reverse("jobs:list")).content.decode()) \
            == (status == 200), key
    assert _client(world.nobody).get(job.get_absolute_url()).status_code == 404
    assert Client().get(job.get_absolute_url()).status_code == 302  # to the login page


@pytest.mark.django_db
def test_with_a_broker_the_request_queues_the_job_after_commit_and_shows_its_page(
        golden_path, settings, monkeypatch, django_capture_on_commit_callbacks):
    world = World("approved")
    settings.JIXIAO_BROKER_URL = "redis://127.0.0.1:6379/5"
    sent = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(world.users["approver"]).post(reverse("entry:import"),
                                                  {"file": golden_path.open("rb"), "department": world.dept_a.pk})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == job.get_absolute_url() and sent == [job.pk]
    assert work.absolute(job.input_file).is_file()  # stored for the worker
    page = _client(world.users["approver"]).get(job.get_absolute_url()).content.decode()
    assert job.state == "queued" and 'http-equiv="refresh"' in page and "排队" in page
    with django_capture_on_commit_callbacks(execute=True):
        r = _client(world.users["reviewer"]).post(reverse("review:publish", args=[world.tables["own"].pk]))
    publish = Job.objects.get(kind="publish")
    assert r["Location"] == publish.get_absolute_url() and not Publication.objects.exists()
    runner.run(publish.pk)  # what the worker does
    assert Publication.objects.count() == 1
    page = _client(world.users["reviewer"]).get(publish.get_absolute_url()).content.decode()
    assert "已公开" in page and reverse("entry:table", args=[world.tables["own"].pk]) in page


# --- bulk export ------------------------------------------------------------------------------

def _export(client, **data):
    return client.post(reverse("jobs:export"), data)


@pytest.mark.django_db
def test_a_reviewer_exports_a_years_mof_forms_as_one_zip_of_xlsx_per_project():
    import io
    import zipfile

    from .conftest import make_project

    world = World("submitted")
    make_project(world.tables["own"], seq=2, name="项目/二")
    reviewer = _client(world.users["reviewer"])
    assert "export-year-2019" in reviewer.get(reverse("entry:home")).content.decode()
    r = _export(reviewer, year=2019, format="zip-xlsx")
    job = Job.objects.get()
    assert r["Location"] == job.get_absolute_url() and job.state == "succeeded", job.message_params
    assert job.done == job.total == 3  # three projects in two tables
    page = reviewer.get(job.get_absolute_url()).content.decode()
    assert "已导出 2 张表、3 个项目" in page and reverse("jobs:download", args=[job.pk]) in page
    r = reviewer.get(reverse("jobs:download", args=[job.pk]))
    assert r.status_code == 200 and "2019-%E9%A1%B9%E7%9B%AE" in r["Content-Disposition"]
    names = sorted(zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))).namelist())
    assert names == ["2019-乙/001-项目1-项目支出绩效自评表.xlsx", "2019-甲/001-项目1-项目支出绩效自评表.xlsx",
                     "2019-甲/002-项目_二-项目支出绩效自评表.xlsx"]
    # The editor who did not start it sees neither the job nor its file.
    assert _client(world.users["editor"]).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    # The year's disclosure tables themselves, one XLSX per table.
    _export(reviewer, year=2019, format="disclosure-xlsx")
    job = Job.objects.latest("pk")
    assert job.state == "succeeded" and job.total == 2 and job.result_name == "2019-自评公开表.zip"
    data = b"".join(reviewer.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == ["2019-乙-自评公开表.xlsx", "2019-甲-自评公开表.xlsx"]


@pytest.mark.django_db
def test_a_department_exports_its_own_table_as_one_pdf_but_not_a_year():
    world = World("draft")
    editor = _client(world.users["editor"])
    assert 'id="export-table"' in editor.get(reverse("entry:table", args=[world.tables["own"].pk])).content.decode()
    assert _export(editor, year=2019, format="pdf").status_code == 403
    assert _export(editor, table=world.tables["other"].pk, format="pdf").status_code == 404
    assert _export(editor, table=world.tables["own"].pk, format="docx").status_code == 400
    _export(editor, table=world.tables["own"].pk, format="pdf")
    job = Job.objects.get()
    assert job.state == "succeeded" and job.result_name == "2019-甲-项目支出绩效自评表.pdf"
    data = b"".join(editor.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert data.startswith(b"%PDF-")
    runner.run(job.pk)  # delivered again: still one file
    assert len(list(work.folder(job).glob("2019-甲-*"))) == 1


@pytest.mark.django_db
def test_confirming_an_import_is_a_job_that_saves_the_table_once(golden_path, settings, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    world = World("draft")
    editor = _client(world.users["editor"])
    _upload(editor, golden_path, world.dept_a)
    run = ImportRun.objects.get()
    settings.JIXIAO_BROKER_URL = "redis://127.0.0.1:6379/5"
    monkeypatch.setattr(tasks.run_job, "delay", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        r = editor.post(reverse("entry:import_confirm", args=[run.pk]))
    job = Job.objects.get(kind="confirm")
    assert r["Location"] == job.get_absolute_url() and ImportRun.objects.get().state == "preview"
    runner.run(job.pk)  # the worker
    runner.run(job.pk)  # and the same message again
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.state == "succeeded" and job.result["table"] == run.table.pk and run.table.projects.count() == 6
    page = editor.get(job.get_absolute_url()).content.decode()
    assert "导入已保存（6 个项目）" in page and reverse("entry:table", args=[run.table.pk]) in page
    second = tasks.start(Job.objects.create(kind=Job.Kind.CONFIRM, started_by=world.users["editor"],
                                            params={"import_run": run.pk}))
    runner.run(second.pk)
    second.refresh_from_db()
    assert second.state == "failed" and second.message_code == "import_handled"
    assert run.table.projects.count() == 6


@pytest.mark.django_db
def test_a_broker_that_cannot_be_reached_fails_the_job_at_once_with_a_message(
        golden_path, settings, monkeypatch, django_capture_on_commit_callbacks):
    world = World("draft")
    settings.JIXIAO_BROKER_URL = "redis://127.0.0.1:1/5"

    def unreachable(pk):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.run_job, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        r = _upload(_client(world.users["editor"]), golden_path, world.dept_a)
    job = Job.objects.get()
    assert job.state == "failed" and job.message_code == "queue_unavailable" and not ImportRun.objects.exists()
    assert r["Location"] == job.get_absolute_url()
    assert "无法连接" in _client(world.users["editor"]).get(job.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_exports_file_is_deleted_after_the_retention_days(settings):
    from datetime import timedelta

    from django.utils import timezone

    world = World("draft")
    editor = _client(world.users["editor"])
    _export(editor, table=world.tables["own"].pk, format="zip-xlsx")
    old = Job.objects.get()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=settings.JIXIAO_JOB_FILES_DAYS + 1))
    path = work.absolute(old.result_file)
    _export(editor, table=world.tables["own"].pk, format="zip-pdf")  # the next export clears it
    old.refresh_from_db()
    assert not path.exists() and old.result_file == ""
    page = editor.get(old.get_absolute_url()).content.decode()
    assert 'id="job-expired"' in page and editor.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert work.absolute(Job.objects.latest("pk").result_file).is_file()


@pytest.mark.django_db
def test_an_upload_that_cannot_be_stored_fails_its_job_at_once_with_a_message(golden_path, monkeypatch, tmp_path,
                                                                             caplog):
    world = World("draft")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(work, "data_dir", lambda: blocker)  # jobs/<id>/ cannot be made under a file
    r = _upload(_client(world.users["editor"]), golden_path, world.dept_a)
    job = Job.objects.get()
    assert r.status_code == 422 and job.state == "failed" and job.message_code == "input_unsaved"
    assert job.attempts == 0 and job.finished_at is not None and not ImportRun.objects.exists()
    assert "无法在服务器上保存" in r.content.decode() and "Traceback" not in r.content.decode()
    with translation.override("en"):
        assert "could not be stored" in messages.render(job.message_code, job.message_params)


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["²", "①", "abc", "", "12345678901234567890", "-1"])
def test_an_export_of_a_table_or_year_that_is_not_a_number_is_a_404_and_starts_no_job(number):
    world = World("draft")
    assert _export(_client(world.users["editor"]), table=number or "x", format="pdf").status_code == 404
    assert _export(_client(world.users["reviewer"]), year=number, format="pdf").status_code == 404
    assert not Job.objects.exists()

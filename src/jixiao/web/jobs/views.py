"""The job pages: the user's jobs, one job's state and progress, its result or its error.

An unfinished job's page reloads itself every few seconds (a ``<meta http-equiv="refresh">``,
which the Content-Security-Policy allows, unlike an inline script); a finished one shows its
message in the reader's language and a link to what it made. Only the user who started a job
and the finance bureau see it (:func:`jixiao.web.accounts.roles.visible_jobs`): anyone else
gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, JSONField, Value, When
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.web.accounts import roles
from jixiao.web.query import query_int

from . import exporting, messages, tasks, work
from .models import Job

REFRESH_SECONDS = 2


def result_link(job: Job) -> tuple[str, str] | None:
    """(address, label) of what a succeeded job made."""
    if job.state != Job.State.SUCCEEDED:
        return None
    if job.kind == Job.Kind.IMPORT and job.result.get("import_run"):
        return reverse("entry:import_preview", args=[job.result["import_run"]]), _("查看导入预览")
    if job.kind == Job.Kind.TARGETS_IMPORT:  # succeeded: its result is the reading
        return reverse("targets:import_job", args=[job.pk]), _("查看导入预览")
    if job.kind in (Job.Kind.PUBLISH, Job.Kind.CONFIRM) and job.result.get("table"):
        return reverse("entry:table", args=[job.result["table"]]), _("查看自评表")
    if job.kind == Job.Kind.EXPORT and job.result_file:
        return reverse("jobs:download", args=[job.pk]), _("下载")
    return None


def describe(job: Job) -> dict:
    return {"job": job, "message": messages.render(job.message_code, job.message_params),
            "link": result_link(job)}


@login_required
def job_list(request):
    # A 绩效目标表 import's result is its reading, the whole sheet, which its link does not need:
    # the list does not load it (the other kinds' results are a few ids).
    jobs = list(roles.visible_jobs(request.user).select_related("started_by").defer("result").annotate(
        linked=Case(When(kind=Job.Kind.TARGETS_IMPORT, then=Value(None)), default=F("result"),
                    output_field=JSONField()))[:50])
    for job in jobs:
        job.result = job.linked
    return render(request, "jobs/list.html", {"rows": [describe(j) for j in jobs]})


@login_required
def detail(request, pk):
    job = get_object_or_404(roles.visible_jobs(request.user).select_related("started_by"), pk=pk)
    return render(request, "jobs/detail.html", {**describe(job), "refresh": None if job.finished else REFRESH_SECONDS})


@login_required
def download(request, pk):
    job = get_object_or_404(roles.visible_jobs(request.user), pk=pk, state=Job.State.SUCCEEDED)
    path = work.absolute(job.result_file) if job.result_file else None
    if path is None or not path.is_file():
        raise Http404("result")
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name or path.name)


@login_required
@require_POST
def export(request):
    """Start a bulk export of MoF forms: ``table`` (one department's table: whoever may download
    it) or ``year`` (every table of the year the user sees: the finance bureau only), in
    ``format`` (exporting.FORMATS). The answer is the job's page."""
    fmt = request.POST.get("format", "")
    if fmt not in exporting.FORMATS:
        return HttpResponseBadRequest("format")
    if request.POST.get("table"):
        table = get_object_or_404(roles.visible_tables(request.user), pk=query_int(request.POST["table"]))
        roles.require(request.user, "download", table)
        tables, base = [table], f"{table.year.year}-{table.department.short_name or table.department.name}"
    else:
        if roles.role_of(request.user) not in (roles.REVIEWER, roles.ADMIN):
            raise PermissionDenied("export")
        year = query_int(request.POST.get("year"))  # None: no table, a 404
        tables, base = list(roles.visible_tables(request.user).filter(year__year=year)), str(year)
        if not tables:
            raise Http404("year")
    job = Job.objects.create(kind=Job.Kind.EXPORT, started_by=request.user,
                             params=exporting.work_params(tables=tables, fmt=fmt, base=base))
    return redirect(tasks.start(job))

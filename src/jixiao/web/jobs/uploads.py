"""Starting the job that reads an upload: the one beginning of both imports, the
self-evaluation table's (entry) and the 绩效目标表's (targets). The request only checks the
file and stores it; the job reads it (:mod:`.importing`, :mod:`.targets_importing`).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect

from jixiao.errors import JixiaoError
from jixiao.web import language
from jixiao.web.entry import importing

from . import messages, tasks, work
from .models import Job


def start_import(request, form, job_kind, work_params, succeeded, *, suffixes=importing.SUFFIX_KINDS, **fields):
    """Check the upload of the valid ``form`` (size, suffix among ``suffixes``, first bytes: at
    once) and start the job of ``job_kind`` that reads it, with ``work_params(**fields,
    filename=, size=, kind=)`` (jobs/importing.py; the 绩效目标表's: jobs/targets_importing.py):
    the answer, or None with the reason on the form's file field when the file is refused."""
    upload = form.cleaned_data["file"]
    try:
        kind = importing.check_upload(upload.name, upload.size, upload.open().read(16),
                                      settings.JIXIAO_UPLOAD_MAX_BYTES, suffixes)
    except JixiaoError as exc:
        form.add_error("file", language.bilingual(exc))
        return None
    job = Job.objects.create(kind=job_kind, started_by=request.user,
                             params=work_params(**fields, filename=upload.name, size=upload.size, kind=kind))
    if work.store_input(job, upload.chunks(), f".{kind}"):  # else failed with input_unsaved
        job = tasks.start(job)
    # Finished already (no broker: it ran in this process), the answer is ``succeeded(job)``;
    # else the job's page, which follows it.
    if job.state == Job.State.SUCCEEDED:
        return succeeded(job)
    if job.state != Job.State.FAILED:
        return redirect(job)
    # Refused by the importer's limits: the reason, with the field it concerns
    # ($.projects[0].name) when it is one value.
    form.add_error("file", messages.render(job.message_code, job.message_params))
    return None

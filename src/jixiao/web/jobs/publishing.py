"""The publish job: the review workflow's publication, done by a job instead of the request.

Publishing freezes the table's snapshot and, through the publication's signals, writes the
portal's index and the API's records — seconds for a large table — all of it the job's finish
(runner.py). The table's row lock and status check (:func:`jixiao.web.review.workflow.publish`)
still decide whether the table may be published when the job runs; if someone acted first the
job fails with "the state has changed".
"""

from __future__ import annotations

from jixiao.web.entry.models import DisclosureTable
from jixiao.web.review import workflow

from . import work
from .models import Job


def work_params(*, table, note: str = "", reason: str = "") -> dict:
    return {"table": table.pk, "note": note, "reason": reason}


@work.finish_only
def perform(params: dict, locked: Job) -> tuple[str, dict]:
    with work.failing({DisclosureTable.DoesNotExist: "state_changed", workflow.TransitionError: "state_changed"}):
        table = DisclosureTable.objects.get(pk=params["table"])
        publication = workflow.publish(table, locked.started_by, note=params.get("note", ""),
                                       reason=params.get("reason", ""))
    locked.result = {"table": table.pk, "publication": publication.pk}
    return "published", {}

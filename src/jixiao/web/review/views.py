"""Workflow actions (POST only) and the reviewer's score page with its overrides.

Reviewers' comments belong to a review round and are kept apart from the department's text.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.core import scoring
from jixiao.core.checks import score_findings
from jixiao.web.accounts import roles
from jixiao.web.entry import convert, downloads
from jixiao.web.entry.forms import CommentForm, PublishForm, ReturnForm
from jixiao.web.entry.models import Status, publication_status
from jixiao.web.jobs import publishing as publish_job
from jixiao.web.jobs import tasks as job_tasks
from jixiao.web.jobs.models import Job
from jixiao.web.workflow import act, act_by_job

from . import gates, overrides, workflow
from .forms import ExplanationForm, OverrideForm, WithdrawForm


def _table(request, pk, action):
    """The table (404 unless visible to the user) and the role (403; its message says the state
    has changed when only the table's status stands in the way)."""
    table = get_object_or_404(roles.visible_tables(request.user), pk=pk)
    roles.require(request.user, action, table)
    return table


def _act(request, pk, action, change, context=None, **options):
    """``action`` on the table, answered as every workflow action is (jixiao.web.workflow.act):
    done, with ``action``'s message unless ``said`` names another (None: no message). An action
    confirmed on its own page shows it for GET or HEAD, with ``context(table)``."""
    table = _table(request, pk, action)
    if request.method != "POST":
        return _page(request, table, action, context(table))
    return act(request, table, change, page="entry:table", **{"said": action, **options})


def _page(request, table, template, context, status=200):
    """A confirmed action's page: what will happen, with the form that does it (400: with its errors)."""
    return render(request, f"review/{template}.html", {"table": table, **context}, status=status)


def _submit_context(table, gate=None, data=None):
    """The submit page's: an explanation asked for each open warning (bound to ``data``: each
    one still missing is a field error)."""
    gate = gate if gate is not None else gates.assess(table)
    form = ExplanationForm(data, gate=gate)
    return {"gate": gate, "form": form, "warnings": [{"open": w, "field": form[w.field_name]} for w in gate.warnings],
            "project_count": table.projects.count()}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, pk):
    """GET: the submit page (blocking findings, or a written explanation per open warning);
    POST: submit, unless the gates refuse (the page again, status 400)."""
    table = _table(request, pk, "submit")
    if request.method != "POST":
        return _page(request, table, "submit", _submit_context(table))
    form = ExplanationForm(request.POST, gate=gates.assess(table))

    def again(gate):
        return _page(request, table, "submit", _submit_context(table, gate, request.POST), status=400)

    return act(request, table, lambda table, user, **_: workflow.submit(table, user, form.explanations()),
               page="entry:table", said="submit", form=lambda data, table: form,
               invalid=lambda form: again(form.gate), refused=lambda exc: again(exc.gate))


@login_required
@require_POST
def comment(request, pk):
    return _act(request, pk, "comment", workflow.comment,
                form=lambda data, table: CommentForm(data, projects=table.projects.all()),
                invalid=lambda form: _("审核意见无效：") + "; ".join(e for errs in form.errors.values() for e in errs))


@login_required
@require_POST
def return_table(request, pk):
    return _act(request, pk, "return", workflow.return_table,
                form=lambda data, table: ReturnForm(data), invalid=lambda form: _("退回时必须填写理由。"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def approve(request, pk):
    """GET: the open findings and the department's explanations, and the button that approves."""
    return _act(request, pk, "approve", workflow.approve, _approve_context)


def _approve_context(table):
    gate = gates.assess(table)
    rnd = workflow.current_round(table)
    explained = {e.get("key"): e.get("explanation", "") for e in (rnd.explanations if rnd else [])}
    return {"gate": gate, "project_count": table.projects.count(),
            "warnings": [{"open": w, "explanation": explained.get(w.key, "")} for w in gate.warnings]}


def _publish_context(table, form=None):
    earlier = table.publications.order_by("-number").first()
    return {"form": form or PublishForm(correction=earlier is not None), "project_count": table.projects.count(),
            "earlier": earlier, "earlier_status": publication_status(earlier) if earlier else None}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, pk):
    """GET: what will be published (department, year, table, projects) with the note's form;
    when the table was published before, the publication it corrects and the reason's field.
    POST: the publication, a background job (jobs/publishing.py). Finished already (no broker:
    it ran in this process), the answer is its outcome as for every workflow action; otherwise
    the job's page, which shows its progress and then its result."""
    table = _table(request, pk, "publish")
    if request.method != "POST":
        return _page(request, table, "publish", _publish_context(table))
    form = PublishForm(request.POST, correction=table.publications.exists())
    if not form.is_valid():
        return _page(request, table, "publish", _publish_context(table, form), status=400)
    job = job_tasks.start(Job.objects.create(kind=Job.Kind.PUBLISH, started_by=request.user,
                                             params=publish_job.work_params(table=table, **form.cleaned_data)))
    return act_by_job(request, table, job, page="entry:table", said="publish")


def _withdraw_context(table, form=None):
    latest = table.publications.order_by("-number").first()
    return {"form": form or WithdrawForm(initial={"publication": latest.pk if latest else ""}), "publication": latest,
            "revising": table.status != Status.PUBLISHED}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, pk):
    """GET: the publication that will be withdrawn and the reason's field; POST: withdraw it."""
    table = _table(request, pk, "withdraw")
    if request.method != "POST":
        return _page(request, table, "withdraw", _withdraw_context(table))
    return act(request, table, workflow.withdraw, page="entry:table",
               said="withdraw" if table.status == Status.PUBLISHED else "withdraw_revision",
               form=lambda data, table: WithdrawForm(data),
               invalid=lambda form: _page(request, table, "withdraw", _withdraw_context(table, form), status=400))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_table(request, pk):
    """GET: the draft that will be deleted (year, department, projects); POST: delete it."""
    return _act(request, pk, "delete", workflow.delete_table, lambda table: {"project_count": table.projects.count()},
                done="entry:home")


@login_required
@require_POST
def reopen(request, pk):
    return _act(request, pk, "reopen", workflow.reopen)


# --- score overrides (评分调整) -------------------------------------------------------------

def _version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a stored version: answered as a conflict, nothing written


def _scored(instance):
    """The stored project in the core, and its scores under its table's profile (overrides
    applied, suggestions beside): what the score page shows and an override names."""
    core = convert.project_to_core(instance)
    return core, scoring.score_project(core, profile=instance.table.profile)


def _scores_page(request, instance, status=200, bound=None, conflict=None, form_error=""):
    """The score page; ``bound``: (item key, its form) as the reviewer filled it in."""
    table = instance.table
    core, score = _scored(instance)
    can_override = roles.can(request.user, "override", table)
    open_key, open_form = bound or ("", None)
    rows = []
    for item in overrides.items_of(score):
        form = None
        if can_override:
            initial = {"score": item.override.score, "reason": item.override.reason} if item.override else {}
            form = open_form if item.key == open_key else OverrideForm(prefix=item.key, weight=item.weight, initial=initial)
        rows.append({"item": item, "form": form, "open": item.key == open_key})
    return render(request, "review/scores.html", {
        "project": instance, "table": table, "score": score, "rows": rows, "can_override": can_override,
        "conflict": conflict, "form_error": form_error, "mof_formats": downloads.available_formats("mof-form"),
        "claims": score_findings(core, score),
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_scores(request, pk):
    """The suggested scores of a project with their reasons; reviewers override them while 已提交
    (POST: an item's score and reason, or ``action=remove``; a 409 with the reviewer's input kept
    when someone saved the project meanwhile)."""
    instance = get_object_or_404(roles.visible_projects(request.user), pk=pk)
    roles.require(request.user, "scores", instance.table)
    if request.method != "POST":  # GET or HEAD
        return _scores_page(request, instance)
    roles.require(request.user, "override", instance.table)
    _core, score = _scored(instance)
    items = {i.key: i for i in overrides.items_of(score)}
    key = request.POST.get("item", "")
    if key not in items:
        return _scores_page(request, instance, 400, form_error=_("没有这一评分项，未保存。"))
    version = _version(request.POST.get("version"))
    form = None if request.POST.get("action") == "remove" else \
        OverrideForm(request.POST, prefix=key, weight=items[key].weight)
    if form is not None and not form.is_valid():
        return _scores_page(request, instance, 400, bound=(key, form))
    try:
        if form is None:
            overrides.remove_override(instance, version, request.user, key)
        else:
            overrides.set_override(instance, version, request.user, key, form.cleaned_data["score"],
                                   form.cleaned_data["reason"],
                                   target=items[key].target if items[key].level == "item" else "")
    except overrides.Conflict as exc:
        # Nothing was written; show the current scores, keep this reviewer's input in its form.
        return _scores_page(request, exc.project, 409, bound=(key, form) if form is not None else None,
                            conflict={"other": exc.project})
    except overrides.NotUnderReview:
        messages.error(request, _("未保存：表已不在“已提交”状态，不能再调整评分。"))
    else:
        messages.success(request, _("评分调整已撤销，恢复为系统建议得分。") if form is None else _("评分调整已保存。"))
    return redirect("review:project_scores", pk=instance.pk)

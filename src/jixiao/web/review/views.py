"""Workflow actions (POST only), the reviewer's score page with its overrides, and the old
public addresses (``/public/…``), which now lead to the portal.

Reviewers' comments belong to a review round and are kept apart from the department's text.
A publication's download serves its frozen snapshot, never the live table.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.core import scoring
from jixiao.core.checks import score_findings
from jixiao.web.accounts import roles
from jixiao.web.entry import convert, downloads
from jixiao.web.entry.forms import CommentForm, PublishForm, ReturnForm
from jixiao.web.entry.models import Publication
from jixiao.web.entry.views import _download

from . import overrides, workflow
from .forms import OverrideForm

DONE = {
    "submit": gettext_lazy("已提交财政局审核。"),
    "approve": gettext_lazy("已审核通过。"),
    "return": gettext_lazy("已退回部门修改。"),
    "publish": gettext_lazy("已公开。"),
    "reopen": gettext_lazy("已开始新的修订（公开内容保持不变，直到再次公开）。"),
    "comment": gettext_lazy("审核意见已保存。"),
}


def _act(request, pk, action, change, form=None, invalid=None):
    """Every workflow POST has this one shape, so every action answers alike.

    The table (404 unless visible to the user) and the role (403; its message says the state
    has changed when only the table's status stands in the way); then, for an action that
    takes a form (``form(data, table)``), the form — when invalid, ``invalid(form)`` is shown
    and nothing changes; then ``change(table, user, **cleaned_data)``, one of :mod:`.workflow`'s
    transitions, which locks the table's row, checks its status and records the change in one
    transaction. The answer is a redirect to the table page with a message: the action's done
    message, or "the state has changed" when someone else acted first (TransitionError).
    """
    table = get_object_or_404(roles.visible_tables(request.user), pk=pk)
    roles.require(request.user, action, table)
    fields = {}
    if form is not None:
        bound = form(request.POST, table)
        if not bound.is_valid():
            messages.error(request, invalid(bound))
            return redirect("entry:table", pk=table.pk)
        fields = bound.cleaned_data
    try:
        change(table, request.user, **fields)
    except workflow.TransitionError:
        messages.error(request, _("操作未执行：表的状态已被他人改变，请刷新后重试。"))
    else:
        messages.success(request, str(DONE[action]))
    return redirect("entry:table", pk=table.pk)


@login_required
@require_POST
def submit(request, pk):
    return _act(request, pk, "submit", workflow.submit)


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
@require_POST
def approve(request, pk):
    return _act(request, pk, "approve", workflow.approve)


@login_required
@require_POST
def publish(request, pk):
    return _act(request, pk, "publish", workflow.publish,
                form=lambda data, table: PublishForm(data), invalid=lambda form: _("发布说明过长。"))


@login_required
@require_POST
def reopen(request, pk):
    return _act(request, pk, "reopen", workflow.reopen)


# --- public ------------------------------------------------------------------------------

def public_index(request):
    """The old ``/public/``: the portal (``/portal/``) is the one public site now (it lists the
    latest publication per table in SQL, searches and pages), so old links land there."""
    return redirect("portal:index", permanent=True)


def public_publication(request, pk):
    # The portal's publication pages use the publication's id too.
    return redirect("portal:publication", pk=pk, permanent=True)


def public_download(request, pk, fmt):
    pub = get_object_or_404(Publication, pk=pk)
    core = convert.table_from_document(pub.snapshot)
    if fmt not in downloads.TABLE_FORMATS:
        raise Http404(fmt)
    return _download(core, fmt, "disclosure", downloads.filename(core, fmt, f"-公开第{pub.number}版"))


# --- score overrides (评分调整) -------------------------------------------------------------

OVERRIDE_DONE = gettext_lazy("评分调整已保存。")
OVERRIDE_REMOVED = gettext_lazy("评分调整已撤销，恢复为系统建议得分。")


def _version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a stored version: answered as a conflict, nothing written


def _score_of(instance, core=None):
    """The core's scores for the stored project (overrides applied, suggestions kept beside),
    under its table's scoring profile."""
    return scoring.score_project(core or convert.project_to_core(instance), profile=instance.table.profile)


def _scores_context(request, instance, bound=None, conflict=None, form_error=""):
    table = instance.table
    core = convert.project_to_core(instance)
    score = _score_of(instance, core)
    can_override = roles.can(request.user, "override", table)
    rows = []
    for item in overrides.items_of(score):
        form = None
        if can_override:
            if bound is not None and bound[0] == item.key:
                form = bound[1]
            else:
                initial = {"score": item.override.score, "reason": item.override.reason} if item.override else {}
                form = OverrideForm(prefix=item.key, weight=item.weight, initial=initial)
        rows.append({"item": item, "form": form, "open": bound is not None and bound[0] == item.key})
    return {
        "project": instance, "table": table, "score": score, "rows": rows, "can_override": can_override,
        "conflict": conflict, "form_error": form_error, "mof_formats": downloads.available_formats("mof-form"),
        "claims": score_findings(core, score),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_scores(request, pk):
    """The suggested scores of a project with their reasons; reviewers override them while 已提交."""
    instance = get_object_or_404(roles.visible_projects(request.user), pk=pk)
    if not roles.can(request.user, "scores", instance.table):
        raise PermissionDenied("scores")
    if request.method != "POST":  # GET or HEAD
        return render(request, "review/scores.html", _scores_context(request, instance))
    roles.require(request.user, "override", instance.table)
    score = _score_of(instance)
    items = {i.key: i for i in overrides.items_of(score)}
    key = request.POST.get("item", "")
    if key not in items:
        return render(request, "review/scores.html",
                      _scores_context(request, instance, form_error=_("没有这一评分项，未保存。")), status=400)
    version = _version(request.POST.get("version"))
    form = None
    try:
        if request.POST.get("action") == "remove":
            overrides.remove_override(instance, version, request.user, key)
            messages.success(request, str(OVERRIDE_REMOVED))
            return redirect("review:project_scores", pk=instance.pk)
        form = OverrideForm(request.POST, prefix=key, weight=items[key].weight)
        if not form.is_valid():
            return render(request, "review/scores.html", _scores_context(request, instance, bound=(key, form)),
                          status=400)
        overrides.set_override(instance, version, request.user, key, form.cleaned_data["score"],
                               form.cleaned_data["reason"],
                               target=items[key].target if items[key].level == "item" else "")
    except overrides.Conflict as exc:
        # Nothing was written; show the current scores, keep this reviewer's input in its form.
        current = exc.project
        bound = (key, form) if form is not None else None
        return render(request, "review/scores.html",
                      _scores_context(request, current, bound=bound, conflict={"other": current}), status=409)
    except overrides.NotUnderReview:
        messages.error(request, _("未保存：表已不在“已提交”状态，不能再调整评分。"))
        return redirect("review:project_scores", pk=instance.pk)
    messages.success(request, str(OVERRIDE_DONE))
    return redirect("review:project_scores", pk=instance.pk)

"""Entry pages: tables by year, the project form, history, import and downloads.

Views are thin: they find the object through :mod:`jixiao.web.accounts.roles` (404 for what
the user may not see), ask ``roles.can`` for the action (403), and hand the work to the core
through :mod:`.convert`, :mod:`.analysis`, :mod:`.editing` and :mod:`.downloads`. Reading an
upload and saving it are background jobs (:mod:`jixiao.web.jobs`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.core import money
from jixiao.core.taxonomy import CATEGORIES, KIND_BY_KEY
from jixiao.web import language
from jixiao.web.accounts import roles
from jixiao.web.jobs import confirming as confirm_job
from jixiao.web.jobs import importing as import_job
from jixiao.web.jobs import messages as job_messages
from jixiao.web.jobs import tasks as job_tasks
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.uploads import start_import
from jixiao.web.query import query_int
from jixiao.web.review import overrides
from jixiao.web.targets import changes as target_changes

from . import analysis, convert, downloads, editing, importing, merging, table_lock
from .forms import CommentForm, ImportForm, NewTableForm, ProjectForm, ReturnForm, TableHeaderForm, finding_slot
from .models import Comment, DisclosureTable, ImportRun, Project, Year

HOME_PAGE_SIZE = 50


def _table_for(user, pk) -> DisclosureTable:
    return get_object_or_404(roles.visible_tables(user), pk=pk)


def _project_for(user, pk) -> Project:
    return get_object_or_404(roles.visible_projects(user), pk=pk)


@login_required
def home(request):
    """The tables the user may see, one year at a time (the newest unless ``?year=``), 50 a
    page by department name, with a name filter (``?q=``): a department sees its own few, the
    finance bureau a province's thousands, and only the listed tables' projects are read."""
    visible = roles.visible_tables(request.user)
    years = list(visible.order_by("-year__year").values_list("year__year", flat=True).distinct())
    year = query_int(request.GET.get("year"))
    shown = year if year in years else next(iter(years), None)
    query = str(request.GET.get("q", ""))[:100].strip()
    page, items = None, []
    if shown is not None:
        listed = visible.filter(year__year=shown)
        if query:
            listed = listed.filter(department__name__icontains=query)
        page = Paginator(listed.order_by("department__name", "pk"), HOME_PAGE_SIZE).get_page(request.GET.get("page"))
        tables = list(page.object_list)
        prefetch_related_objects(tables, "projects")
        for t in tables:
            core = convert.table_to_core(t, t.projects.all())
            totals = core.totals()
            items.append({"table": t, "count": len(core.projects), "totals": totals,
                          "rate": money.format_rate(totals.execution_rate)})
    departments = roles.creatable_departments(request.user)
    form = NewTableForm(departments=departments, initial={"year": timezone.now().year - 1}) if departments else None
    return render(request, "entry/home.html", {"years": years, "shown": shown, "items": items, "page": page,
                                               "q": query, "new_form": form})


@login_required
@require_POST
def table_new(request):
    departments = roles.creatable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("create")
    # Another department (or none) is a 404 here too, like every other object the user may not touch.
    get_object_or_404(departments, pk=query_int(request.POST.get("department")))
    form = NewTableForm(request.POST, departments=departments)
    if not form.is_valid():
        messages.error(request, _("请检查年度和部门。"))
        return redirect("entry:home")
    year, _created = Year.objects.get_or_create(year=form.cleaned_data["year"])
    department = form.cleaned_data["department"]
    # Created, or the one another request created first (get_or_create catches the race).
    table, created = DisclosureTable.objects.get_or_create(year=year, department=department,
                                                           defaults={"department_short": department.short_name})
    if not created:
        messages.info(request, _("该部门该年度的自评表已存在。"))
    return redirect("entry:table", pk=table.pk)


def _round_view(table):
    # Every round's comments in one query (a query per round grew with the rounds).
    comments = Prefetch("comments", queryset=Comment.objects.select_related("project", "author"))
    return [{"round": r, "comments": list(r.comments.all())}
            for r in table.rounds.select_related("submitted_by", "decided_by").prefetch_related(comments)
            .order_by("-number")]


@login_required
def table_detail(request, pk):
    table = _table_for(request.user, pk)
    rows = list(table.projects.order_by("seq", "pk"))
    core = convert.table_to_core(table, rows)
    findings, scores = analysis.table_analysis(core)
    by_seq = analysis.by_project(findings)
    projects = []
    for row, cp, score in zip(rows, core.projects, scores):
        severities = Counter(f.severity for f in by_seq.get(cp.seq, []))
        projects.append({"row": row, "core": cp, "rate": money.format_rate(cp.execution_rate),
                         "errors": severities["error"], "warnings": severities["warning"], "score": score})
    totals = core.totals()
    can = {a: roles.can(request.user, a, table) for a in roles.ACTIONS}
    header = {name: getattr(table, name) for name in TableHeaderForm.base_fields}
    return render(request, "entry/table.html", {
        "table": table, "core": core, "projects": projects, "totals": totals,
        # The projects table (a row per project: most of a large table's page time) is cached
        # per version of the table and its projects and per language (entry/table.html).
        "projects_key": analysis.version_key(table, rows, get_language()),
        "total_rate": money.format_rate(totals.execution_rate),
        "table_findings": by_seq.get(None, []),
        "can": can, "rounds": _round_view(table),
        "publications": table.publications.select_related("published_by"),
        "formats": downloads.available_formats("disclosure"),
        "mof_formats": downloads.available_formats("mof-form"),
        "comment_form": CommentForm(projects=table.projects.all(), project_rows=rows) if can["comment"] else None,
        "return_form": ReturnForm() if can["return"] else None,
        "header_form": TableHeaderForm(initial=header) if can["edit"] else None,
    })


@login_required
@require_POST
def table_header(request, pk):
    """Save the header lines; refused (and said so) if someone changed the table meanwhile."""
    table = _table_for(request.user, pk)
    roles.require(request.user, "edit", table)
    form = TableHeaderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("表头未保存：") + "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("entry:table", pk=table.pk)
    values = dict(form.cleaned_data)
    try:
        saved = editing.save_header(table, values.pop("version"), values)
    except table_lock.NotEditable:
        return _not_editable(request, table)
    if saved:
        messages.success(request, _("表头已保存。"))
    else:
        messages.error(request, _("表头未保存：此表已被他人修改，请刷新后重试。"))
    return redirect("entry:table", pk=table.pk)


# The table left 草稿/退回 between the request's permission check and its write (table_lock).
NOT_EDITABLE = gettext_lazy("未保存：表的状态已改变（已提交审核或已公开），不能再修改。请刷新页面。")


def _not_editable(request, table):
    messages.error(request, str(NOT_EDITABLE))
    return redirect("entry:table", pk=table.pk)


def _not_editable_form(request, table, form, instance=None):
    """The project form again with the input kept, answered 409: nothing was saved."""
    fresh = DisclosureTable.objects.get(pk=table.pk)
    return _project_page(request, fresh, form, instance, status=409, form_error=str(NOT_EDITABLE))


def _analysed(table, project) -> analysis.ProjectAnalysis:
    """The findings and suggested scores of ``project`` as a project of ``table``."""
    core_table = convert.table_to_core(table, [])
    core_table.projects = [project]
    return analysis.analyse_project(project, core_table)


def _project_page(request, table, form, instance=None, status=200, **extra):
    """The project form with each finding beside its field, the suggested scores, and the
    finance bureau's comments and overrides; ``extra``: a conflict or a form error."""
    core_project = None
    if form.is_bound and form.is_valid():
        core_project = form.to_core(keep_indicators=(instance.indicators if instance else None),
                                    overrides=convert.overrides_to_core(instance.overrides) if instance else None,
                                    published=convert.published_to_core(instance) if instance else None)
    elif instance is not None and not form.is_bound:
        core_project = convert.project_to_core(instance)
    result = _analysed(table, core_project) if core_project is not None else None
    score = result.score if result is not None else None
    slots, general = defaultdict(list), []
    for f in result.findings if result is not None else ():
        slot = finding_slot(f.column or "")
        (slots[slot] if slot in form.fields else general).append(f)
    category_scores = {cat.key: cat for cat in score.categories} if score is not None else {}
    indicator_rows = form.indicator_rows()
    categories = [{"category": cat, "rows": rows, "span": 2 * len(rows), "score": category_scores.get(cat.key)}
                  for cat in CATEGORIES if (rows := [row for row in indicator_rows if row[0].category == cat])]
    return render(request, "entry/project.html", {
        "table": table, "form": form, "project": instance, "categories": categories,
        "slots": dict(slots), "general_findings": general, "analysis": result,
        "scores_by_kind": {ind.kind: ind for cat in category_scores.values() for ind in cat.indicators},
        "rate": money.format_rate(core_project.execution_rate) if core_project else "",
        "can_edit": roles.can(request.user, "edit", table), "conflict": None,
        "comments": instance.comments.select_related("round", "author").order_by("-created_at") if instance else [],
        "mof_formats": downloads.available_formats("mof-form"),
        # the finance bureau's overrides, read-only here
        "override_items": [i for i in overrides.items_of(score) if i.override is not None] if score else [],
        "can_score": instance is not None and roles.can(request.user, "scores", table),
        **extra,
    }, status=status)


def _too_big(request, table, instance=None):
    """413: the post is over JIXIAO_FORM_MAX_BYTES (Django refuses to read it), shown as a form
    error on the form as it was before the edit."""
    form = ProjectForm(layout=table.layout_keys, initial=_edit_initial(instance) if instance else None)
    error = _("提交的内容过大（上限 %(mb)s MB），未保存。请缩短过长的栏目。") % {
        "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
    return _project_page(request, table, form, instance, status=413, form_error=error)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_new(request, table_pk):
    table = _table_for(request.user, table_pk)
    roles.require(request.user, "edit", table)
    if request.method == "POST":
        try:
            form = ProjectForm(request.POST, layout=table.layout_keys)
        except RequestDataTooBig:
            return _too_big(request, table)
        if form.is_valid():
            try:
                project = editing.add_project(table, form.to_core(), request.user)
            except table_lock.NotEditable:
                return _not_editable_form(request, table, form)
            messages.success(request, _("已保存为草稿。"))
            return redirect("entry:project", pk=project.pk)
    else:
        next_seq = (table.projects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        form = ProjectForm(layout=table.layout_keys, initial={"seq": next_seq, "unit_name": table.department_short})
    return _project_page(request, table, form)


def _edit_initial(project) -> dict:
    """The form's values for a stored project, with the signed snapshot it starts from."""
    initial = ProjectForm.initial_from(project)
    initial["base"] = merging.snapshot(initial)
    return initial


def _merge_edit(form, base):
    """The merge function for :func:`editing.save_merged`: the valid ``form`` (started from
    ``base``) merged with the project as stored now, and the core project to write (None on a
    conflict)."""
    mine = {name: form[name].value() for name in form.fields}
    expected = form.cleaned_data.get("version")

    def merge(current):
        current_values = ProjectForm.initial_from(current)
        started = base
        if started is None and current.version == expected:
            started = current_values  # no snapshot, nothing saved meanwhile: the form started here
        outcome = merging.merge(form.fields, started, mine, current_values)
        outcome.current_values = current_values
        if outcome.conflicts:
            return outcome, None
        merged = ProjectForm(outcome.values, layout=form.layout)
        if not merged.is_valid():  # cannot happen field by field; never write half a merge
            outcome.conflicts = [n for n in form.fields if n not in merging.NOT_MERGED
                                 and str(mine.get(n, "")) != str(current_values.get(n, ""))]
            return outcome, None
        core = merged.to_core(keep_indicators=current.indicators,
                              overrides=convert.overrides_to_core(current.overrides),
                              published=convert.published_to_core(current))
        return outcome, core
    return merge


def _conflict_page(request, table, form, result):
    """409: the form based on the stored version (its version and snapshot), holding the merged
    values, with the fields both sides changed listed for the editor to choose."""
    other, outcome = result.project, result.outcome
    data = {**outcome.values, "version": other.version, "base": merging.snapshot(outcome.current_values)}
    based = ProjectForm(data, layout=table.layout_keys)
    rows = [{"name": n, "label": merging.label(form, n), "mine": merging.shown(form, n, outcome.values.get(n)),
             "theirs": merging.shown(form, n, outcome.current_values.get(n))} for n in outcome.conflicts]
    conflict = {"other": other, "rows": rows,
                "theirs_kept": [merging.label(form, n) for n in outcome.theirs_kept]}
    return _project_page(request, table, based, other, status=409, conflict=conflict)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_edit(request, pk):
    instance = _project_for(request.user, pk)
    table = instance.table
    if request.method == "POST":
        roles.require(request.user, "edit", table)
        try:
            data = request.POST
        except RequestDataTooBig:
            return _too_big(request, table, instance)
        base = merging.read_snapshot(data.get("base"))
        form = ProjectForm(merging.apply_choices(data.dict(), base, data), layout=table.layout_keys)
        if form.is_valid():
            try:
                result = editing.save_merged(table, instance, request.user, _merge_edit(form, base))
            except table_lock.NotEditable:
                return _not_editable_form(request, table, form, instance=instance)
            except Project.DoesNotExist:
                raise Http404("project") from None
            if not result.saved:
                return _conflict_page(request, table, form, result)
            kept = result.outcome.theirs_kept
            if kept:
                messages.info(request, _("已保存为草稿。另一位编辑同时修改了以下栏目，其修改已保留：%(fields)s") % {
                    "fields": _("、").join(merging.label(form, n) for n in kept)})
            else:
                messages.success(request, _("已保存为草稿。"))
            return redirect("entry:project", pk=instance.pk)
    else:
        form = ProjectForm(layout=table.layout_keys, initial=_edit_initial(instance))
        if not roles.can(request.user, "edit", table):
            for field in form.fields.values():
                field.disabled = True
    return _project_page(request, table, form, instance)


@login_required
@require_POST
def project_check(request, table_pk):
    """Live findings for the form as typed (nothing is saved)."""
    table = _table_for(request.user, table_pk)
    roles.require(request.user, "edit", table)
    form = ProjectForm(request.POST, layout=table.layout_keys)
    if not form.is_valid():
        return JsonResponse({"valid": False, "errors": {k: [str(e) for e in v] for k, v in form.errors.items()},
                             "findings": []})
    core = form.to_core()
    result = _analysed(table, core)
    return JsonResponse({
        "valid": True,
        "rate": money.format_rate(core.execution_rate),
        "findings": [{"code": f.code, "severity": f.severity, "slot": finding_slot(f.column or ""),
                      "message": language.bilingual(f)} for f in result.findings],
        "total": str(result.score.total),
        "grade": result.score.grade,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_delete(request, pk):
    """GET: the project that will be deleted (序号, name, table) and the button; POST: delete it."""
    instance = _project_for(request.user, pk)
    table = instance.table
    roles.require(request.user, "edit", table)
    if request.method != "POST":
        return render(request, "entry/project_delete.html", {"project": instance, "table": table})
    try:
        editing.delete_project(instance)
    except table_lock.NotEditable:
        return _not_editable(request, table)
    messages.success(request, _("项目已删除。"))
    return redirect("entry:table", pk=table.pk)


@login_required
def project_history(request, pk):
    instance = _project_for(request.user, pk)
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    for newer, older in zip(records, records[1:] + [None]):
        delta = [] if older is None else newer.diff_against(
            older, excluded_fields=["updated_at", "version", "updated_by"]).changes
        entries.append({"record": newer, "created": older is None, "changes": [
            {"field": Project._meta.get_field(c.field).verbose_name, "old": _history_value(c.old),
             "new": _history_value(c.new)} for c in delta]})
    return render(request, "entry/history.html", {"project": instance, "table": instance.table, "entries": entries})


def _history_value(value) -> str:
    # Labels and separators in the page's language; the values (targets, reasons) are data.
    if isinstance(value, list):  # score overrides
        return _("；").join(
            _("%(item)s = %(score)s（%(reason)s；%(by)s %(at)s）") % {
                "item": overrides.item_name(o.get("item", "")), "score": o.get("score", ""),
                "reason": o.get("reason", ""), "by": o.get("by", ""), "at": o.get("at", "")}
            for o in value if isinstance(o, dict))
    if isinstance(value, dict):  # indicator cells
        return _("；").join(
            _("%(name)s：%(target)s → %(actual)s") % {
                "name": language.indicator_name(KIND_BY_KEY[k]) if k in KIND_BY_KEY else k,
                "target": v.get("target", ""), "actual": v.get("actual", "")}
            for k, v in value.items())
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money.format_amount(value)
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    return str(value)


@login_required
def table_download(request, pk, fmt):
    table = _table_for(request.user, pk)
    roles.require(request.user, "download", table)
    core = convert.table_to_core(table)
    return downloads.table_response(core, fmt, "disclosure", downloads.filename(core, fmt))


@login_required
def project_mof(request, pk, fmt):
    instance = _project_for(request.user, pk)
    roles.require(request.user, "download", instance.table)
    core = convert.table_to_core(instance.table, [instance])
    noted = target_changes.for_mof_form(instance.table, core)  # JX611 in the form's notes
    name = downloads.filename(core, fmt, f"-{instance.seq}-项目支出绩效自评表")
    return downloads.table_response(core, fmt, "mof-form", name, noted)


# --- import -----------------------------------------------------------------------------

def import_years() -> list[int]:
    """The years an import may go into: every year in the database, this year and last year
    (a round evaluates the year just ended), latest first."""
    this_year = timezone.localdate().year
    return sorted({*Year.objects.values_list("year", flat=True), this_year, this_year - 1}, reverse=True)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request):
    departments = roles.creatable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("import")
    limit = settings.JIXIAO_UPLOAD_MAX_BYTES
    posted = request.method == "POST"
    if posted and _declared_length(request) > limit + 64 * 1024:
        # Refused from its declared length, before Django reads the file.
        too_large = _("文件过大（上限 %(mb)s MB）。") % {"mb": limit // (1024 * 1024)}
        return render(request, "entry/import.html", {"form": ImportForm(departments=departments, years=import_years()),
                                                     "limit": limit, "too_large": too_large}, status=413)
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None,
                      departments=departments, years=import_years())
    status = 200
    if form.is_valid():
        answer = start_import(request, form, Job.Kind.IMPORT, import_job.work_params,
                              lambda job: redirect("entry:import_preview", pk=job.result["import_run"]),
                              department=form.cleaned_data["department"], year=form.cleaned_data["year"])
        if answer is not None:
            return answer
        status = 422  # refused: the reason is on the file field
    # The list shows counts and names only: the stored table and report (megabytes for a large
    # import) are not loaded, or every page view would inflate and fragment the server's memory.
    runs = (roles.visible_imports(request.user).select_related("department", "user")
            .defer("table_document", "report")[:20])
    return render(request, "entry/import.html", {"form": form, "limit": limit, "runs": runs}, status=status)


@login_required
def import_preview(request, pk):
    run = get_object_or_404(roles.visible_imports(request.user).select_related("department", "table"), pk=pk)
    core, problems = importing.stored_table(run, get_language() or "zh")
    if problems:
        run.report = [line.encode("utf-8", "replace").decode("utf-8") for line in run.report]  # shown, not saved
        # Recorded before the bounds were checked at upload: say what is wrong, field by field,
        # and show none of its text (a lone surrogate cannot even be sent as UTF-8).
        return render(request, "entry/import_preview.html", {
            "run": run, "core": None, "problems": problems, "findings": [], "blocked": True})
    by_seq = analysis.by_project(analysis.table_findings(core))
    # Every column of the layout, as the published table has them, with each project's findings.
    rows = [{"core": p, "rate": money.format_rate(p.execution_rate), "findings": by_seq.get(p.seq, []),
             "cells": [(KIND_BY_KEY[k], p.indicator(k)) for k in core.layout]} for p in core.projects]
    existing = DisclosureTable.objects.filter(year__year=core.year, department=run.department).first()
    blocked = existing is not None and not existing.editable
    changes = importing.replacement(existing, core) if existing is not None and not blocked else None
    totals = core.totals()
    return render(request, "entry/import_preview.html", {
        "run": run, "core": core, "findings": by_seq.get(None, []), "existing": existing, "rows": rows,
        "kinds": [KIND_BY_KEY[k] for k in core.layout], "changes": changes,
        "totals": totals, "total_rate": money.format_rate(totals.execution_rate), "blocked": blocked,
    })


@login_required
@require_POST
def import_confirm(request, pk):
    run = get_object_or_404(roles.visible_imports(request.user).select_related("department"), pk=pk)
    if run.state != ImportRun.State.PREVIEW:
        messages.error(request, job_messages.render("import_handled"))
        return redirect("entry:import_preview", pk=run.pk)
    # Saving is a background job (jobs/confirming.py: a large table takes minutes). Finished
    # already (no broker: it ran in this process), the answer is its outcome; else its page.
    job = job_tasks.start(Job.objects.create(kind=Job.Kind.CONFIRM, started_by=request.user,
                                             params=confirm_job.work_params(run=run)))
    text = job_messages.render(job.message_code, job.message_params)
    if job.state == Job.State.SUCCEEDED:
        messages.success(request, text)
        return redirect("entry:table", pk=job.result["table"])
    if job.state == Job.State.FAILED:
        messages.error(request, text)
        return redirect("entry:import_preview", pk=run.pk)
    return redirect(job)


@login_required
@require_POST
def import_cancel(request, pk):
    run = get_object_or_404(roles.visible_imports(request.user), pk=pk)
    with transaction.atomic():
        # Conditional, so a confirmation that got there first is never marked cancelled.
        if ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.PREVIEW).update(
                state=ImportRun.State.CANCELLED) == 1:
            run.refresh_from_db()
            run.save()  # the history entry
    return redirect("entry:import")


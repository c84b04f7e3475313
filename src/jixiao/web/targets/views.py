"""Target pages: the sheets by year, a sheet with its projects and JX6xx findings, the
project form with structured indicators, import with preview, export, the bureau's review,
history, the pre-fill of the self-evaluation and each indicator's trace.

Views are thin, as in entry: the sheet is found through :mod:`.access` (404 for what the user
may not see), the action asked of ``access.can`` (403), the work done by the core through
:mod:`.convert`, :mod:`.workflow` and :mod:`.journey`.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.core import checks, prefill
from jixiao.formats import targets_json
from jixiao.web.accounts import roles
from jixiao.web.entry import analysis, table_lock
from jixiao.web.entry import convert as entry_convert
from jixiao.web.entry import importing as entry_importing
from jixiao.web.entry.models import DisclosureTable, Year
from jixiao.web.jobs import targets_importing as targets_job
from jixiao.web.jobs.models import Job
from jixiao.web.jobs.uploads import start_import
from jixiao.web.workflow import act, current_round, locked

from . import access, changes, convert, exporting, importing, journey, workflow
from .forms import ImportForm, IndicatorFormSet, NewIndicatorFormSet, NewSheetForm, ProjectForm, ReasonForm, read_pasted
from .history import sheet_findings
from .models import TargetIndicator, TargetProject, TargetSheet

# The codes a return may cite: the target checks' and JX611's.
REASON_CODES = [c.code for c in checks.CHECKS.values() if c.scope in ("targets", "approval")]


def _sheet_for(user, pk) -> TargetSheet:
    return get_object_or_404(access.visible_sheets(user), pk=pk)


def _project_for(user, pk) -> TargetProject:
    return get_object_or_404(TargetProject.objects.select_related("sheet", "sheet__year", "sheet__department")
                             .filter(sheet__in=access.visible_sheets(user).values("pk")), pk=pk)


@login_required
def home(request):
    sheets = access.visible_sheets(request.user).prefetch_related("projects")  # newest year first (Meta.ordering)
    years = [(year, list(group)) for year, group in groupby(sheets, key=lambda s: s.year.year)]
    departments = roles.creatable_departments(request.user)
    first = departments.first()
    form = NewSheetForm(departments=departments, initial={"year": timezone.now().year + 1, "department": first}) \
        if first is not None else None
    return render(request, "targets/home.html", {"years": years, "new_form": form})


@login_required
@require_POST
def sheet_new(request):
    departments = roles.creatable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("create")
    form = NewSheetForm(request.POST, departments=departments)
    if not form.is_valid():
        messages.error(request, _("请检查年度和部门。"))
        return redirect("targets:home")
    year, _created = Year.objects.get_or_create(year=form.cleaned_data["year"])
    # Created, or the one another request created first (get_or_create catches the race).
    sheet, created = TargetSheet.objects.get_or_create(year=year, department=form.cleaned_data["department"])
    if not created:
        messages.info(request, _("该部门该年度的绩效目标表已存在。"))
    return redirect("targets:sheet", pk=sheet.pk)


@login_required
def sheet_detail(request, pk):
    sheet = _sheet_for(request.user, pk)
    rows = list(sheet.projects.prefetch_related("indicators"))
    core = convert.sheet_to_core(sheet, rows)
    findings = sheet_findings(sheet, core)  # JX612: earlier years
    by_seq = analysis.by_project(findings)  # None: the whole sheet's
    rnd = current_round(sheet)
    reasons = defaultdict(list)  # by project id; None: the whole sheet's
    if rnd is not None and rnd.decision == "returned":
        for r in rnd.reasons.select_related("author"):
            reasons[r.project_id].append(r)
    projects = [{"row": row, "core": cp, "findings": by_seq.get(i, []), "reasons": reasons.get(row.pk, []),
                 "indicators": list(zip(row.indicators.all(), cp.indicators))}
                for i, (row, cp) in enumerate(zip(rows, core.projects), start=1)]
    can = {a: access.can(request.user, a, sheet) for a in access.ACTIONS}
    codes = sorted({f.code for f in findings} | set(REASON_CODES))
    reason_form = ReasonForm(projects=rows, codes=codes) if can["return"] else None
    table = DisclosureTable.objects.filter(year=sheet.year, department=sheet.department).first()
    return render(request, "targets/sheet.html", {
        "sheet": sheet, "core": core, "projects": projects, "sheet_findings": by_seq.get(None, []),
        "sheet_reasons": reasons.get(None, []),
        "errors": sum(1 for f in findings if f.severity == "error"), "can": can,
        "reason_form": reason_form, "changes": changes.for_sheet(sheet, core, table), "self_table": table,
    })


def _project_page(request, sheet, form, formset, project=None, status=200):
    return render(request, "targets/project.html", {"sheet": sheet, "form": form, "formset": formset,
                                                    "project": project}, status=status)


def _edit_project(request, sheet, project=None):
    """The project form (a new project when ``project`` is None): shown, shown again with the
    pasted targets read into their fields (``read``), or saved with its indicators."""
    access.require(request.user, "edit", sheet)
    if request.method == "GET":
        if project is None:
            form, formset = ProjectForm(initial={"department_name": sheet.department.name}), NewIndicatorFormSet(prefix="ind")
        else:
            core = convert.project_to_core(project)
            form = ProjectForm(initial=convert.project_fields(core))
            formset = IndicatorFormSet(prefix="ind", initial=[convert.indicator_fields(i) for i in core.indicators])
        return _project_page(request, sheet, form, formset, project)
    if "read" in request.POST:
        data, read = read_pasted(request.POST)
        if read:
            messages.info(request, _("已读取 %(n)s 个粘贴的目标，请核对后保存。") % {"n": read})
        return _project_page(request, sheet, ProjectForm(data), IndicatorFormSet(data, prefix="ind"), project)
    form, formset = ProjectForm(request.POST), IndicatorFormSet(request.POST, prefix="ind")
    if not (form.is_valid() and formset.is_valid()):
        return _project_page(request, sheet, form, formset, project, status=422)
    with transaction.atomic():
        if not locked(TargetSheet, sheet.pk).editable:
            raise PermissionDenied("edit")
        if project is None:
            seq = (sheet.projects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
            project = TargetProject(sheet=sheet, seq=seq)
        for k, v in form.cleaned_data.items():  # the project's fields
            setattr(project, k, v)
        project.updated_by = request.user
        project.save()
        convert.save_indicators(project, formset.indicators())
    messages.success(request, _("已保存。"))
    return redirect("targets:sheet", pk=sheet.pk)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request, pk):
    return _edit_project(request, _sheet_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = _project_for(request.user, pk)
    if not access.can(request.user, "edit", project.sheet):
        return redirect("targets:sheet", pk=project.sheet.pk)
    return _edit_project(request, project.sheet, project)


@login_required
@require_POST
def project_delete(request, pk):
    project = _project_for(request.user, pk)
    access.require(request.user, "edit", project.sheet)
    project.delete()
    return redirect("targets:sheet", pk=project.sheet.pk)


def _action(action, change=None, **options):
    """The view of a workflow step on the sheet (``action``: the access check's name and, unless
    ``change`` is given, the workflow's function), answered as every workflow action is
    (jixiao.web.workflow.act): done, with ``action``'s message unless ``said`` names another."""
    @login_required
    @require_POST
    def view(request, pk):
        sheet = _sheet_for(request.user, pk)
        access.require(request.user, action, sheet)
        return act(request, sheet, change or getattr(workflow, action), page="targets:sheet",
                   **{"said": action, **options})
    return view


submit = _action("submit", refused=lambda exc: _("有 %(n)s 个错误，修正后才能提交。") % {"n": len(exc.errors)}
                 if exc.errors else _("尚无项目，无法提交。"))
return_sheet = _action("return", workflow.return_sheet, invalid=lambda form: _("请填写退回理由。"),
                       form=lambda data, sheet: ReasonForm(data, projects=sheet.projects.all(), codes=REASON_CODES))
approve = _action("approve")
reopen = _action("reopen", said=None)


@login_required
def history(request, pk):
    sheet = _sheet_for(request.user, pk)
    rounds = sheet.rounds.select_related("submitted_by", "decided_by").prefetch_related(
        "reasons", "reasons__author", "reasons__project").order_by("-number")
    records = sorted(
        list(sheet.history.select_related("history_user")[:200])
        + list(TargetProject.history.filter(sheet_id=sheet.pk).select_related("history_user")[:500])
        + list(TargetIndicator.history.filter(project__sheet=sheet).select_related("history_user")[:1000]),
        key=lambda r: r.history_date, reverse=True)
    return render(request, "targets/history.html", {"sheet": sheet, "rounds": rounds,
                                                    "entries": journey.history_entries(records)})


@login_required
def export(request, pk, fmt):
    sheet = _sheet_for(request.user, pk)
    if fmt not in exporting.FORMATS:
        raise Http404(fmt)
    core = convert.sheet_to_core(sheet)
    return exporting.export_response(core, fmt, core.display_title)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    departments = roles.creatable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied("import")
    form = ImportForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        # The job's page leads to the preview (import_job) when it finishes later.
        answer = start_import(request, form, Job.Kind.TARGETS_IMPORT, targets_job.work_params,
                              lambda job: _preview(request, job),
                              suffixes=entry_importing.TARGETS_SUFFIX_KINDS, department=form.cleaned_data["department"])
        if answer is not None:
            return answer
    # A POST answered here was refused: the reason is on the form.
    return render(request, "targets/import.html", {"form": form}, status=422 if request.method == "POST" else 200)


def _preview(request, job):
    """The succeeded job's reading becomes the session's pending import, shown by the preview."""
    request.session[importing.SESSION_KEY] = job.result["document"]
    return redirect("targets:import_preview")


@login_required
def import_job(request, pk):
    """The preview of a finished import job's reading (the link on the job's page): for whoever
    sees the job; the preview itself asks that the user may import for its department."""
    job = get_object_or_404(roles.visible_jobs(request.user), pk=pk, kind=Job.Kind.TARGETS_IMPORT,
                            state=Job.State.SUCCEEDED)
    if "document" not in job.result:
        raise Http404("reading")
    return _preview(request, job)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request):
    pending = request.session.get(importing.SESSION_KEY)
    if not pending:
        return redirect("targets:import")
    department = get_object_or_404(roles.creatable_departments(request.user), pk=pending["department"])
    core = targets_json.from_document(pending["doc"], source=pending["filename"])
    existing = TargetSheet.objects.filter(year__year=core.year, department=department).first()
    if request.method == "POST":
        if "cancel" in request.POST:
            del request.session[importing.SESSION_KEY]
            return redirect("targets:import")
        if existing is not None and not existing.editable:
            messages.error(request, _("该年度的绩效目标表已提交或已审核，不能覆盖。"))
            return redirect("targets:sheet", pk=existing.pk)
        sheet = convert.save_sheet(core, department=department, user=request.user, existing=existing)
        del request.session[importing.SESSION_KEY]
        messages.success(request, _("已导入 %(n)s 个项目。") % {"n": len(core.projects)})
        return redirect("targets:sheet", pk=sheet.pk)
    # JX612 as on the sheet's page: against the department's earlier years.
    findings = sheet_findings(existing or TargetSheet(department=department), core)
    return render(request, "targets/import_preview.html", {
        "core": core, "department": department, "existing": existing, "findings": findings,
        "filename": pending["filename"]})


@login_required
@require_POST
def prefill_self_evaluation(request, pk):
    """Open the year's self-evaluation, created pre-filled from the approved targets when the
    department has none yet (only the completions are left to enter)."""
    sheet = _sheet_for(request.user, pk)
    access.require(request.user, "prefill", sheet)
    table = DisclosureTable.objects.filter(year=sheet.year, department=sheet.department).first()
    core = prefill.self_evaluation_table(workflow.approved_sheet(sheet))
    if table is None:
        try:
            table = entry_convert.save_table(core, user=request.user, department=sheet.department)
        except IntegrityError:
            table = DisclosureTable.objects.get(year=sheet.year, department=sheet.department)
        else:
            messages.success(request, _("已按审核通过的绩效目标生成自评表，请填写完成情况。"))
    elif table.editable and not table.projects.exists():
        # A table opened blank before the targets were approved is filled now; one with projects
        # is the department's work and is only opened.
        with transaction.atomic():
            row = table_lock.locked(table.pk)
            if row.editable and not row.projects.exists():
                core.department_short = row.department_short
                entry_convert.save_table(core, user=request.user, existing=row)
                messages.success(request, _("已按审核通过的绩效目标生成自评表，请填写完成情况。"))
    return redirect("entry:table", pk=table.pk)


@login_required
def indicator_trace(request, pk):
    indicator = get_object_or_404(TargetIndicator.objects.select_related("project", "project__sheet"), pk=pk)
    sheet = _sheet_for(request.user, indicator.project.sheet_id)
    return render(request, "targets/trace.html", {"sheet": sheet, "indicator": indicator,
                                                  **journey.journey(sheet, indicator)})

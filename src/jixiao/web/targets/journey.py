"""One indicator's journey: declared (the target as set, approved, and every change with who
and when) → completed (the self-evaluation's 年度指标值 and 实际完成值, and who entered them)
→ scored (the suggested score of that 三级 item).

Built on :func:`jixiao.core.prefill.trace` (target matched to the self-evaluation by 二级 and
三级 name) and the core's scoring; the who and when come from the records' history
(django-simple-history's ``diff_against``).
"""

from __future__ import annotations

from jixiao.core import prefill
from jixiao.core.scoring import score_project
from jixiao.core.target_sheet import TargetProject
from jixiao.web.entry import convert as entry_convert
from jixiao.web.entry.models import DisclosureTable
from jixiao.web.entry.models import Project as EntryProject

from . import convert, workflow


def _changes(record) -> list[dict]:
    prev = record.prev_record
    if prev is None or record.history_type != "~":
        return []
    out = []
    for c in record.diff_against(prev).changes:
        field = record.instance._meta.get_field(c.field)
        old, new = c.old, c.new
        if field.choices:  # 指标性质 ≥, not >=
            labels = {k: str(v) for k, v in field.flatchoices}
            old, new = labels.get(old, old), labels.get(new, new)
        out.append({"field": str(field.verbose_name), "old": old, "new": new})
    return out


def history_entries(records) -> list[dict]:
    """Each history record with what it changed (field, before, after)."""
    return [{"record": r, "model": str(r.instance._meta.verbose_name), "label": str(r.instance),
             "changes": _changes(r)} for r in records]


def _named(items, name: str):
    """The first of ``items`` with the name ``name`` as the pre-fill matches names (None if none)."""
    return next((x for x in items if prefill.same_name(x.name, name)), None)


def journey(sheet, indicator) -> dict:
    """Everything the trace page shows for ``indicator`` (a stored TargetIndicator)."""
    target = convert.indicator_to_core(indicator)
    project = indicator.project
    declared = history_entries(indicator.history.select_related("history_user").order_by("history_date"))
    approved_sheet = workflow.approved_sheet(sheet)
    approved_project = _named(approved_sheet.projects, project.name) if approved_sheet is not None else None
    approved = None if approved_project is None else _named(
        [i for i in approved_project.indicators if i.kind == target.kind], target.name)
    table = DisclosureTable.objects.filter(year=sheet.year, department=sheet.department).first()
    out = {"target": target, "approved": approved, "declared": declared, "table": table, "evaluated": None,
           "row": None, "score": None, "completed": []}
    entry_row = _named(table.projects.all(), project.name) if table is not None else None
    if entry_row is None:
        return out
    evaluated = entry_convert.project_to_core(entry_row)
    ind = approved or target
    row = prefill.trace(TargetProject(project.name, indicators=[ind]), evaluated)[0]
    out.update(evaluated=entry_row, row=row)
    cell = evaluated.indicators.get(ind.kind)
    item = _named(cell.items, ind.name) if cell else None
    if item is not None:
        index = cell.items.index(item)
        for cat in score_project(evaluated, profile=table.profile).categories:
            for scored in cat.indicators:
                if scored.kind == ind.kind and index < len(scored.items):
                    out["score"] = scored.items[index]
    out["completed"] = [e for e in history_entries(
        EntryProject.history.filter(id=entry_row.pk).select_related("history_user").order_by("history_date"))
        if e["record"].history_type == "+" or any(c["field"] for c in e["changes"])]
    return out

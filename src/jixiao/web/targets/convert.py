"""Between the stored target sheet and the core :class:`~jixiao.core.target_sheet.TargetSheet`.

The web app stores; the core checks (JX6xx), pre-fills and traces. Amounts are stored with
4 decimals and read back normalised (``3.8000`` → ``3.80``), 分值 without trailing zeros
(``20.00`` → ``20``), so a sheet saved and read again equals the original.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from django.db import transaction

from jixiao.core import target_sheet as core
from jixiao.formats import targets_json
from jixiao.web.entry.convert import amount
from jixiao.web.entry.models import Department, Year

from . import models as m


def _points(v: Decimal | None) -> Decimal | None:
    if v is None:
        return None
    v = v.normalize()
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v


def indicator_to_core(i: m.TargetIndicator) -> core.TargetIndicator:
    return core.TargetIndicator(kind=i.kind, name=i.name, nature=i.nature or None, value=i.value, unit=i.unit,
                                weight=_points(i.weight), basis=i.basis or None, last_actual=i.last_actual)


def project_to_core(p: m.TargetProject) -> core.TargetProject:
    return core.TargetProject(name=p.name, department=p.department_name, unit=p.unit, total=amount(p.total),
                              fiscal=amount(p.fiscal), other=amount(p.other), goal=p.goal,
                              indicators=[indicator_to_core(i) for i in p.indicators.all()])


def sheet_to_core(s: m.TargetSheet, projects=None) -> core.TargetSheet:
    rows = list(projects) if projects is not None else list(s.projects.prefetch_related("indicators"))
    return core.TargetSheet(year=s.year.year, department=s.department.name, money_unit=s.money_unit,
                            title=s.title, profile=s.profile, projects=[project_to_core(p) for p in rows])


def indicator_fields(i: core.TargetIndicator) -> dict:
    return {**asdict(i), "nature": i.nature or "", "basis": i.basis or ""}


def project_fields(p: core.TargetProject) -> dict:
    return {"name": p.name, "department_name": p.department, "unit": p.unit, "total": p.total,
            "fiscal": p.fiscal, "other": p.other, "goal": p.goal}


def save_indicators(project: m.TargetProject, indicators: list[core.TargetIndicator]) -> None:
    """Store the project's indicators in this order. A row is kept where an indicator stays at its
    place (and so its history) and saved only when it changed, so the history says who changed
    which target; rows left over are deleted, one by one, each deletion in the history."""
    old = list(project.indicators.all())
    for seq, ind in enumerate(indicators, start=1):
        fields = {**indicator_fields(ind), "seq": seq}
        row = old[seq - 1] if seq <= len(old) else None
        if row is None:
            m.TargetIndicator.objects.create(project=project, **fields)
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            row.save()
    for row in old[len(indicators):]:
        row.delete()


@transaction.atomic
def save_sheet(sheet: core.TargetSheet, *, department: Department, user=None,
               existing: m.TargetSheet | None = None) -> m.TargetSheet:
    """Store a core sheet as the department's (new, or replacing the projects of ``existing``)."""
    if existing is None:
        year, _ = Year.objects.get_or_create(year=sheet.year)
        s = m.TargetSheet(year=year, department=department)
    else:
        s = existing
        for old in s.projects.all():
            old.delete()
    s.money_unit = sheet.money_unit if sheet.money_unit in core.MONEY_UNITS else "万元"
    s.title = sheet.title
    s.profile = sheet.profile
    s.save()
    for seq, p in enumerate(sheet.projects, start=1):
        row = m.TargetProject.objects.create(sheet=s, seq=seq, updated_by=user, **project_fields(p))
        save_indicators(row, p.indicators)
    return s


def sheet_from_document(doc: dict) -> core.TargetSheet:
    return targets_json.from_document(doc, source="<approved>")

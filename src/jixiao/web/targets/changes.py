"""The approved targets stated otherwise later (JX611), as rows the pages show: where, project,
indicator, approved value and new value side by side.

Two places are compared with the approved (frozen) sheet: the sheet itself once reopened for an
adjustment, and the year's self-evaluation — where targets are usually lowered before being
judged. Both the target sheet's page and the self-evaluation's table page show the rows, and
the MoF 项目支出绩效自评表 of the self-evaluation notes them (:func:`for_mof_form`: the project's
download and the bulk export job pass them to the form's footnote).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jixiao.core import checks, prefill
from jixiao.web.entry import convert as entry_convert
from jixiao.web.entry.models import DisclosureTable

from . import workflow
from .models import SheetStatus, TargetSheet


def rows(approved, where: str, current) -> list[dict]:
    found = prefill.target_changes(approved, current)
    out = []
    for change, finding in zip(found, checks.check_target_changes(approved, current)):
        project = approved.projects[change.project]
        ind = project.indicators[change.indicator]
        out.append({"where": where, "finding": finding, "project": project.name, "name": ind.name,
                     "kind": ind.kind, "approved": change.approved, "now": change.now})
    return out


def for_sheet(sheet: TargetSheet, core=None, table: DisclosureTable | None = None) -> list[dict]:
    """JX611 rows of a target sheet: its later version (when reopened) and the self-evaluation."""
    approved = workflow.approved_sheet(sheet)
    if approved is None:
        return []
    out = []
    if core is not None and sheet.status != SheetStatus.APPROVED:
        out += rows(approved, _("绩效目标表（调整后）"), core)
    if table is not None:
        out += rows(approved, _("自评表"), entry_convert.table_to_core(table))
    return out


def for_table(table: DisclosureTable, core=None) -> tuple[TargetSheet | None, list[dict]]:
    """The department's target sheet of the table's year and the JX611 rows of the table."""
    sheet = TargetSheet.objects.filter(year=table.year, department=table.department).first()
    if sheet is None:
        return None, []
    approved = workflow.approved_sheet(sheet)
    if approved is None:
        return sheet, []
    return sheet, rows(approved, _("自评表"), core if core is not None else entry_convert.table_to_core(table))


def for_mof_form(table: DisclosureTable, core) -> list[prefill.ChangedTarget]:
    """The approved targets ``core`` (the table, or the part of it a form prints) states otherwise,
    named for the MoF form's notes; none when the department's sheet of the year has no approved
    version."""
    sheet = TargetSheet.objects.filter(year=table.year, department=table.department).first()
    approved = workflow.approved_sheet(sheet) if sheet is not None else None
    return prefill.changed_targets(approved, core) if approved is not None else []

"""The approved targets stated otherwise later (JX611), as rows the pages show: where, project,
indicator, approved value and new value side by side.

Two places are compared with the approved (frozen) sheet: the sheet itself once reopened for an
adjustment, and the year's self-evaluation — where targets are usually lowered before being
judged. Both the target sheet's page and the self-evaluation's table page show the rows, and
the MoF 项目支出绩效自评表 of the self-evaluation notes them (:func:`for_mof_form`: the project's
download and the bulk export job pass them to the form's footnote).
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _

from jixiao.core import prefill
from jixiao.core.target_sheet import TargetSheet as CoreSheet
from jixiao.web.entry import convert as entry_convert
from jixiao.web.entry.models import DisclosureTable

from . import workflow
from .models import SheetStatus, TargetSheet


def rows(approved, where: str, current) -> list[dict]:
    """Each approved target ``current`` states otherwise: project, indicator, approved and now."""
    return [{"where": where, **asdict(c)} for c in prefill.changed_targets(approved, current)]


def for_sheet(sheet: TargetSheet, core, table: DisclosureTable | None) -> list[dict]:
    """JX611 rows of a target sheet: its later version ``core`` (when reopened) and the
    self-evaluation ``table`` (None when there is none)."""
    approved = workflow.approved_sheet(sheet)
    if approved is None:
        return []
    out = rows(approved, _("绩效目标表（调整后）"), core) if sheet.status != SheetStatus.APPROVED else []
    if table is not None:
        out += rows(approved, _("自评表"), entry_convert.table_to_core(table))
    return out


def _approved_of(table: DisclosureTable) -> tuple[TargetSheet | None, CoreSheet | None]:
    """The department's target sheet of the table's year and its approved version (None, None
    when there is no sheet; the sheet and None when it was never approved)."""
    sheet = TargetSheet.objects.filter(year=table.year, department=table.department).first()
    return sheet, workflow.approved_sheet(sheet) if sheet is not None else None


def for_table(table: DisclosureTable) -> tuple[TargetSheet | None, list[dict]]:
    """The department's target sheet of the table's year and the JX611 rows of the table."""
    sheet, approved = _approved_of(table)
    return sheet, rows(approved, _("自评表"), entry_convert.table_to_core(table)) if approved is not None else []


def for_mof_form(table: DisclosureTable, core) -> list[prefill.ChangedTarget]:
    """The approved targets ``core`` (the table, or the part of it a form prints) states otherwise,
    named for the MoF form's notes; none when the department's sheet of the year has no approved
    version."""
    approved = _approved_of(table)[1]
    return prefill.changed_targets(approved, core) if approved is not None else []

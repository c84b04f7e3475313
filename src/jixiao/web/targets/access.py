"""Who may see and do what with a 绩效目标表 — the self-evaluation's rules (accounts/roles.py)
applied to target sheets, and the pre-fill of the self-evaluation that only a sheet offers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from jixiao.web.accounts import roles

from .models import SheetStatus, TargetSheet

ACTIONS = ("view", "edit", "submit", "return", "approve", "reopen", "prefill")


def visible_sheets(user) -> QuerySet:
    return roles.visible(TargetSheet.objects.select_related("year", "department"), user)


def can(user, action: str, sheet: TargetSheet) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "prefill":  # the self-evaluation pre-filled from the approved targets
        return roles.owns(user, sheet) and sheet.status == SheetStatus.APPROVED
    return roles.can(user, action, sheet)


def require(user, action: str, sheet: TargetSheet) -> None:
    if not can(user, action, sheet):
        raise PermissionDenied(action)

"""Who may see and do what with a 绩效目标表 — the self-evaluation's rules (accounts/roles.py)
applied to target sheets.

Departments see only their own sheets; the finance bureau (reviewers) sees a sheet once it
was submitted; administrators see all. A sheet the user may not see is a 404, an action the
role or the status does not allow a 403, as everywhere in the app.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from jixiao.web.accounts import roles

from .models import EDITABLE_STATUSES, SheetStatus, TargetSheet

ACTIONS = ("view", "edit", "submit", "return", "approve", "reopen", "prefill")


def visible_sheets(user) -> QuerySet:
    qs = TargetSheet.objects.select_related("year", "department")
    role = roles.role_of(user)
    if role == roles.ADMIN:
        return qs
    if role == roles.REVIEWER:
        return qs.filter(rounds__isnull=False).distinct()
    if role in roles.DEPARTMENT_ROLES:
        dept = roles.department_of(user)
        return qs.filter(department=dept) if dept is not None else qs.none()
    return qs.none()


def can(user, action: str, sheet: TargetSheet) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = roles.role_of(user)
    if role is None:
        return False
    own = role == roles.ADMIN or (role in roles.DEPARTMENT_ROLES and roles.department_of(user) == sheet.department)
    finance = role in (roles.REVIEWER, roles.ADMIN)
    if action == "view":
        return own or (role == roles.REVIEWER and sheet.rounds.exists())
    if action == "edit":
        return own and sheet.status in EDITABLE_STATUSES
    if action == "submit":
        return own and role in (roles.APPROVER, roles.ADMIN) and sheet.status in EDITABLE_STATUSES
    if action in ("return", "approve"):
        return finance and sheet.status == SheetStatus.SUBMITTED
    if action == "reopen":  # an adjustment (调整) of approved targets goes through review again
        return own and role in (roles.APPROVER, roles.ADMIN) and sheet.status == SheetStatus.APPROVED
    if action == "prefill":
        return own and sheet.status == SheetStatus.APPROVED
    return False  # pragma: no cover


def require(user, action: str, sheet: TargetSheet) -> None:
    if not can(user, action, sheet):
        raise PermissionDenied(action)

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

from . import workflow
from .models import SheetStatus, TargetSheet

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
    if action == "view":
        return own or (role == roles.REVIEWER and sheet.rounds.exists())
    if action == "edit":
        return own and sheet.editable
    if action == "prefill":
        return own and sheet.status == SheetStatus.APPROVED
    allowed = sheet.status in workflow.FLOW.transitions[action][0]  # the transition, from this status
    if action in ("return", "approve"):
        return allowed and role in (roles.REVIEWER, roles.ADMIN)
    # Submit, and reopen: an adjustment (调整) of approved targets goes through review again.
    return allowed and own and role in (roles.APPROVER, roles.ADMIN)


def require(user, action: str, sheet: TargetSheet) -> None:
    if not can(user, action, sheet):
        raise PermissionDenied(action)

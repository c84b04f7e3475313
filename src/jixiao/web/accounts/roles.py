"""Roles and what each may see and do — the one place access is decided.

Roles are Django groups named by the keys below; a user's department is on their
:class:`~jixiao.web.accounts.models.Profile`. Views first narrow querysets with
:func:`visible_tables` (so another department's objects are a 404, never a 403 that
confirms they exist), then ask :func:`can` for the action (403 when visible but not allowed).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

EDITOR = "editor"
APPROVER = "approver"
REVIEWER = "reviewer"
ADMIN = "admin"

ROLE_NAMES = {
    EDITOR: _("部门填报人"),
    APPROVER: _("部门审核人"),
    REVIEWER: _("财政局审核人"),
    ADMIN: _("系统管理员"),
}
# Highest first: a user in several groups acts with the strongest role.
ROLE_ORDER = (ADMIN, REVIEWER, APPROVER, EDITOR)
DEPARTMENT_ROLES = (EDITOR, APPROVER)

# Actions on a table; the statuses each is allowed in are enforced here, not in the views.
ACTIONS = ("view", "edit", "submit", "comment", "return", "approve", "publish", "reopen", "download",
           "scores", "override", "delete", "withdraw")


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    if not hasattr(user, "_jixiao_role"):  # asked once per user object (a request's user)
        names = set(user.groups.values_list("name", flat=True))
        user._jixiao_role = next((r for r in ROLE_ORDER if r in names), None)
    return user._jixiao_role


def department_of(user):
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    return profile.department if profile is not None else None


def _own_department(user, qs: QuerySet, lookup: str) -> QuerySet:
    """``qs`` whole for an administrator, its rows of the user's department (``lookup`` names
    the department's id) for a department's editor or approver, else none."""
    role = role_of(user)
    if role == ADMIN:
        return qs
    dept = department_of(user) if role in DEPARTMENT_ROLES else None
    return qs.none() if dept is None else qs.filter(**{lookup: dept.pk})


def visible_tables(user) -> QuerySet:
    """The tables this user may open at all."""
    from jixiao.web.entry.models import DisclosureTable

    return visible(DisclosureTable.objects.select_related("year", "department"), user)


def visible(records: QuerySet, user) -> QuerySet:
    """The records under review (tables, target sheets) of ``records`` this user may open at all."""
    if role_of(user) == REVIEWER:
        # The finance bureau reads what departments have submitted (at least once).
        return records.filter(rounds__isnull=False).distinct()
    return _own_department(user, records, "department")


def owns(user, record) -> bool:
    """Is ``record`` (a table, a target sheet) the user's department's, or the user an administrator?"""
    role = role_of(user)
    return role == ADMIN or (role in DEPARTMENT_ROLES and department_of(user) == record.department)


def visible_projects(user) -> QuerySet:
    from jixiao.web.entry.models import Project

    return Project.objects.select_related("table", "table__year", "table__department").filter(
        table__in=visible_tables(user).values("pk"))


def visible_imports(user) -> QuerySet:
    from jixiao.web.entry.models import ImportRun

    return _own_department(user, ImportRun.objects.all(), "department")


def visible_jobs(user) -> QuerySet:
    """Background jobs: each user sees the jobs they started; the finance bureau (reviewers
    and administrators) sees every job."""
    from jixiao.web.jobs.models import Job

    role = role_of(user)
    if role in (ADMIN, REVIEWER):
        return Job.objects.all()
    if role is None:
        return Job.objects.none()
    return Job.objects.filter(started_by=user)


def creatable_departments(user) -> QuerySet:
    """The departments this user may create or import a table for."""
    from jixiao.web.entry.models import Department

    return _own_department(user, Department.objects.all(), "pk")


def can(user, action: str, table) -> bool:
    """May ``user`` do ``action`` on ``table`` (which must already be visible to them)? The
    actions a 绩效目标表 shares with a table are judged alike (targets/access.py)."""
    from jixiao.web.entry.models import Status

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    role = role_of(user)
    if role is None:
        return False
    own = owns(user, table)
    finance = role in (REVIEWER, ADMIN)
    status = table.status
    if action in ("view", "download"):
        return own or (role == REVIEWER and table.rounds.exists())  # submitted at least once
    if action == "edit":
        return own and table.editable
    if action in ("submit", "reopen"):  # reopen: a published table's new revision, an approved sheet's adjustment
        return own and role in (APPROVER, ADMIN) and table.allows(action)
    if action in ("return", "approve", "publish"):
        return finance and table.allows(action)
    if action == "scores":
        # The finance bureau's score page (read-only outside 已提交); departments see the
        # overrides on their project page instead.
        return finance
    if action in ("comment", "override"):
        # A comment is made, a score adjusted, while the bureau reviews, never on a draft or a
        # published table.
        return finance and status == Status.SUBMITTED
    if action == "delete":
        # A draft never submitted (no review round): the department's approver or an administrator.
        return own and role in (APPROVER, ADMIN) and status == Status.DRAFT and not table.rounds.exists()
    if action == "withdraw":
        # The latest publication while it stands: right after publishing, and also while a new
        # revision of the table is edited, submitted or reviewed (the portal shows it meanwhile).
        return finance and standing_publication(table) is not None
    return False  # pragma: no cover - every action is handled above


def standing_publication(table):
    """The table's latest publication unless it was withdrawn (None if never published)."""
    from jixiao.web.entry.models import Withdrawal

    latest = table.publications.order_by("-number").first()
    if latest is None or Withdrawal.objects.filter(publication=latest).exists():
        return None
    return latest


# PermissionDenied's message when the role allows the action but the table's status does not
# (someone acted first): the 403 page says the state has changed instead of "not your role".
STATE_REFUSAL = "state"


def require(user, action: str, table) -> None:
    """PermissionDenied unless :func:`can`; its message is STATE_REFUSAL when another status of
    the table would have allowed the action."""
    import copy

    from jixiao.web.entry.models import Status

    if can(user, action, table):
        return
    for status in Status.values:
        other = copy.copy(table)
        other.status = status
        if status != table.status and can(user, action, other):
            raise PermissionDenied(STATE_REFUSAL)
    raise PermissionDenied(action)


def context(request) -> dict:
    """Template context: the user's role key and name, department."""
    role = role_of(request.user)
    return {
        "jx_role": role,
        "jx_role_name": ROLE_NAMES.get(role, ""),
        "jx_department": department_of(request.user),
    }

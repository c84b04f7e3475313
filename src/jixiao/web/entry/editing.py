"""Saving a project with optimistic locking.

Each project carries a version number. A save names the version it started from; the
database accepts it only if that is still the current version (a conditional UPDATE, atomic
on SQLite and PostgreSQL alike). Otherwise nothing is written and the caller gets the other
person's version to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from jixiao.core.model import Project as CoreProject

from . import convert
from .models import DisclosureTable, Project


@dataclass
class SaveResult:
    saved: bool
    project: Project  # the saved project, or (when refused) the current stored one


@transaction.atomic
def save_project(table: DisclosureTable, core: CoreProject, user, instance: Project | None = None,
                 expected_version: int | None = None) -> SaveResult:
    fields = convert.project_fields(core)
    if instance is None:
        project = Project.objects.create(table=table, updated_by=user, **fields)
        return SaveResult(True, project)
    claimed = Project.objects.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if claimed != 1:
        return SaveResult(False, Project.objects.get(pk=instance.pk))
    project = Project.objects.get(pk=instance.pk)
    for name, value in fields.items():
        setattr(project, name, value)
    project.updated_by = user
    project.save()  # records the history entry (who, when, what)
    return SaveResult(True, project)


def differences(mine: CoreProject, theirs: CoreProject) -> list[tuple[str, str, str]]:
    """(field, my value, their value) for every field that differs, for the conflict message."""
    from jixiao.core.model import COLUMN_NAMES
    from jixiao.core.taxonomy import KIND_BY_KEY

    rows = []
    for name, label in COLUMN_NAMES.items():
        if name == "execution_rate":
            a, b = mine.execution_rate_text, theirs.execution_rate_text
        else:
            a, b = getattr(mine, name), getattr(theirs, name)
        if a != b:
            rows.append((label, _show(a), _show(b)))
    for key in sorted(set(mine.indicators) | set(theirs.indicators)):
        a, b = mine.indicator(key), theirs.indicator(key)
        for part, label in (("target", gettext("年度指标内容")), ("actual", gettext("完成情况"))):
            if getattr(a, part) != getattr(b, part):
                rows.append((f"{KIND_BY_KEY[key].name}·{label}", getattr(a, part), getattr(b, part)))
        if a.weight != b.weight:
            rows.append((f"{KIND_BY_KEY[key].name}·{gettext('分值')}", _show(a.weight), _show(b.weight)))
        if a.items != b.items:
            from .forms import items_text

            rows.append((f"{KIND_BY_KEY[key].name}·{gettext('三级指标')}", items_text(a.items), items_text(b.items)))
    return rows


def _show(value) -> str:
    if value is None:
        return ""
    if value is True:
        return gettext("是")
    if value is False:
        return gettext("否")
    return str(value)

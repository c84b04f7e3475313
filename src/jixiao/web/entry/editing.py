"""Saving a project with optimistic locking.

Each project carries a version number. A save names the version it started from; the
database accepts it only if that is still the current version (a conditional UPDATE, atomic
on SQLite and PostgreSQL alike). Otherwise nothing is written and the caller gets the other
person's version to show.

The table's state is checked in the same transaction, with its row locked
(:mod:`.table_lock`): a save or deletion that reaches the database after the table was
submitted is refused (:class:`~.table_lock.NotEditable`), however early the request passed
its permission check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext

from jixiao.core.model import Project as CoreProject

from . import convert, table_lock
from .models import DisclosureTable, Project


@dataclass
class SaveResult:
    saved: bool
    project: Project  # the saved project, or (when refused) the current stored one


@table_lock.atomic_retrying
def save_project(table: DisclosureTable, core: CoreProject, user, instance: Project | None = None,
                 expected_version: int | None = None) -> SaveResult:
    """Raises NotEditable when the table has left 草稿/退回."""
    fields = convert.project_fields(core)
    table = table_lock.locked_editable(table.pk)
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


@table_lock.atomic_retrying
def delete_project(instance: Project) -> None:
    """Delete a project (its history keeps it); raises NotEditable when the table has left 草稿/退回."""
    table_lock.locked_editable(instance.table_id)
    current = Project.objects.filter(pk=instance.pk).first()
    if current is not None:  # None: someone else deleted it first, which is the same outcome
        current.delete()


@table_lock.atomic_retrying
def save_header(table: DisclosureTable, expected_version: int, values: dict) -> bool:
    """Save the table's header lines if ``expected_version`` is still current (False if not);
    raises NotEditable when the table has left 草稿/退回."""
    locked = table_lock.locked_editable(table.pk)
    if locked.version != expected_version:
        return False
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    return True


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

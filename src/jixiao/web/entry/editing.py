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


@dataclass
class MergedSave:
    saved: bool
    project: Project  # the saved project, or (on a conflict) the current stored one
    outcome: object  # what the merge function answered (jixiao.web.entry.merging.Merge)


@table_lock.atomic_retrying
def save_merged(table: DisclosureTable, instance: Project, user, merge) -> MergedSave:
    """Save an edit merged with the stored project, in one transaction.

    ``merge(current)`` gets the stored project as committed now (the table's row and the
    project's row locked, so nobody saves in between) and answers ``(outcome, core)``: the core
    project to write, or ``core=None`` when the edit conflicts and nothing is written.
    Raises NotEditable when the table has left 草稿/退回, Project.DoesNotExist when the project
    was deleted meanwhile.
    """
    table_lock.locked_editable(table.pk)
    current = Project.objects.select_for_update().get(pk=instance.pk)
    outcome, core = merge(current)
    if core is None:
        return MergedSave(False, current, outcome)
    for name, value in convert.project_fields(core).items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = user
    current.save()  # records the history entry (who, when, what)
    return MergedSave(True, current, outcome)


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

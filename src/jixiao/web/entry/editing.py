"""Adding, saving and deleting a project, and saving a table's header.

An edit of a project is merged with the project as stored now, its row locked
(:mod:`.merging` decides what is written); the header carries a version number and is
saved only while that is still the current version, else the caller says so.

The table's state is checked in the same transaction, with its row locked
(:mod:`.table_lock`): a save or deletion that reaches the database after the table was
submitted is refused (:class:`~.table_lock.NotEditable`), however early the request passed
its permission check.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.model import Project as CoreProject

from . import convert, table_lock
from .models import DisclosureTable, Project


@table_lock.atomic_retrying
def add_project(table: DisclosureTable, core: CoreProject, user) -> Project:
    """A new project of ``table``; raises NotEditable when the table has left 草稿/退回."""
    table = table_lock.locked_editable(table.pk)
    return Project.objects.create(table=table, updated_by=user, **convert.project_fields(core))


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

"""Copy a publication's frozen snapshot into the API's index rows (see :mod:`.models`).

Called from a ``post_save`` signal when a publication is created (so the index is written in
the same transaction as the publication), and from the app's migration for publications
that existed before the app was installed.
"""

from __future__ import annotations

from jixiao.core import money
from jixiao.web.entry import convert

from . import records


def table_fields(pub, core) -> dict:
    """The summary row of a publication: who published what, when, with computed totals."""
    totals = core.totals()
    return dict(
        publication_id=pub.pk, table_id_live=pub.table_id, number=pub.number, is_current=True,
        year=core.year, department_id_live=pub.table.department_id, department=core.department,
        department_short=core.department_short, title=core.title, money_unit=core.money_unit.value,
        layout=list(core.layout), published_at=pub.published_at, project_count=len(core.projects),
        budget=totals.budget, actual_total=totals.actual_total,
        execution_rate=money.format_rate(totals.execution_rate),
    )


def indicator_rows(indicator_model, projects) -> list:
    """The :class:`~.models.PublishedIndicator` rows of saved project rows: one per filled
    indicator column."""
    return [indicator_model(project_id=p.pk, kind=kind, table_id=p.table_id, is_current=p.is_current, year=p.year,
                            department_id_live=p.department_id_live, department=p.department, position=p.position)
            for p in projects for kind in (p.document.get("indicators") or {})]


def index_indicators(project_model, indicator_model) -> None:
    """Write the indicator rows of every project row that has none (migration api.0006)."""
    done = set(indicator_model.objects.values_list("project_id", flat=True).distinct())
    todo = (p for p in project_model.objects.order_by("pk").iterator(chunk_size=records.BATCH) if p.pk not in done)
    for projects in records.batches(todo):
        indicator_model.objects.bulk_create(indicator_rows(indicator_model, projects))


def index_publication(pub, table_model=None, project_model=None, indicator_model=None) -> None:
    """Write the index rows of ``pub`` and mark older publications of its table as not current.

    The model classes can be passed so the migration can use its historical models (a
    migration before api.0006 passes no ``indicator_model``: that one writes them all).
    """
    if table_model is None:
        from .models import PublishedIndicator, PublishedProject, PublishedTable
        table_model, project_model, indicator_model = PublishedTable, PublishedProject, PublishedIndicator
    if table_model.objects.filter(publication_id=pub.pk).exists():
        return  # already indexed (idempotent for the migration)
    core = convert.table_from_document(pub.snapshot, source=f"<publication {pub.pk}>")
    fields = table_fields(pub, core)
    older = table_model.objects.filter(table_id_live=pub.table_id, number__lt=pub.number)
    project_model.objects.filter(table__in=older, is_current=True).update(is_current=False)
    if indicator_model is not None:
        indicator_model.objects.filter(table__in=older, is_current=True).update(is_current=False)
    older.update(is_current=False)
    # A publication indexed late (migration order) is current only if no newer one exists.
    fields["is_current"] = not table_model.objects.filter(table_id_live=pub.table_id, number__gt=pub.number).exists()
    row = table_model.objects.create(**fields)
    documents = pub.snapshot.get("projects") or []
    # Migration 0001 indexes with its historical model, which has no record_json yet (0004
    # writes it for those rows).
    with_record = any(f.name == "record_json" for f in project_model._meta.get_fields())
    rows = (project_model(
        table=row, is_current=row.is_current, year=row.year, department_id_live=row.department_id_live,
        department=row.department, position=position, seq=project.seq, name=project.name[:300], document=doc,
        **({"record_json": records.fixed_json(doc, row.money_unit, position, project.seq)} if with_record else {}))
        for position, (doc, project) in enumerate(zip(documents, core.projects), start=1))
    for projects in records.batches(rows):
        project_model.objects.bulk_create(projects)
        if indicator_model is not None:
            # bulk_create sets the ids on PostgreSQL and SQLite (RETURNING).
            indicator_model.objects.bulk_create(indicator_rows(indicator_model, projects))


def on_publication_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        index_publication(instance)

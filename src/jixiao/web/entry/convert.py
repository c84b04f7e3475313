"""Between the Django models and the core :class:`~jixiao.core.model.Table`.

The web layer stores; the core computes. Every page that shows a total, a rate, a finding
or a score builds the core objects here and asks the core. Amounts are stored with 4
decimals; reading them back normalises to at least 2 (``3.8000`` → ``3.80``) so a table
saved and read again equals the original.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from jixiao.core.model import AMOUNT_FIELDS, IndicatorCell, Project, Published, ScoreOverride, Table
from jixiao.core.money import MoneyUnit, at_least_cents
from jixiao.core.taxonomy import DISCLOSURE_2019
from jixiao.formats import table_json

from . import models as m

# A project's fields the model stores as the core holds them, and its amounts (normalised on
# reading); a table's header fields likewise.
PLAIN_FIELDS = ("seq", "unit_name", "name", "gov_investment", "execution_rate_text", "annual_goal",
                "overall_completion", "problems", "rectification")
AMOUNTS = (*AMOUNT_FIELDS, "initial_budget")
HEADER_FIELDS = ("attachment", "title", "department_short", "columns_note", "profile")


def amount(value: Decimal | None) -> Decimal | None:
    """A stored amount as read back (``3.8000`` → ``3.80``; the 绩效目标表's amounts too)."""
    return None if value is None else at_least_cents(value)


def indicators_to_core(doc: dict) -> dict[str, IndicatorCell]:
    """Stored cells (table-JSON cell objects; older rows hold only target/actual) as core cells."""
    return {key: table_json.cell_from_document(cell or {}, path=f"indicators.{key}")
            for key, cell in (doc or {}).items()}


def overrides_to_core(doc: list) -> list[ScoreOverride]:
    return [ScoreOverride(item=o["item"], score=Decimal(str(o["score"])), reason=o.get("reason", ""),
                          by=o.get("by", ""), at=o.get("at", ""), target=o.get("target", "")) for o in (doc or [])]


def published_to_core(p: m.Project) -> Published | None:
    """The scores an imported form printed, as stored with the project."""
    return table_json.published_from_document(p.published, path="published")


def project_to_core(p: m.Project) -> Project:
    return Project(**{f: getattr(p, f) for f in PLAIN_FIELDS}, **{f: amount(getattr(p, f)) for f in AMOUNTS},
                   indicators=indicators_to_core(p.indicators), overrides=overrides_to_core(p.overrides),
                   published=published_to_core(p))


def table_to_core(t: m.DisclosureTable, projects=None) -> Table:
    """The stored table as a core Table (``projects`` lets a caller pass already-fetched rows)."""
    rows = list(projects) if projects is not None else list(t.projects.order_by("seq", "pk"))
    return Table(year=t.year.year, department=t.department.name, projects=[project_to_core(p) for p in rows],
                 money_unit=MoneyUnit(t.money_unit), layout=t.layout_keys, **{f: getattr(t, f) for f in HEADER_FIELDS})


def project_fields(p: Project) -> dict:
    """Model field values for a core project."""
    return {
        **{f: getattr(p, f) for f in (*PLAIN_FIELDS, *AMOUNTS)},
        "indicators": {k: table_json.cell_document(c) for k, c in p.sorted_indicators()},  # taxonomy order
        "overrides": [{"item": o.item, "score": str(o.score), "reason": o.reason, "by": o.by, "at": o.at,
                       **({"target": o.target} if o.target else {})} for o in p.overrides],
        "published": table_json.published_document(p.published),
    }


def layout_value(table: Table) -> list[str]:
    return [] if table.layout == DISCLOSURE_2019 else list(table.layout)


@transaction.atomic
def save_table(table: Table, *, user=None, status: str = m.Status.DRAFT, department: m.Department | None = None,
               existing: m.DisclosureTable | None = None) -> m.DisclosureTable:
    """Store a core table (new, or replacing the projects of ``existing``).

    ``department`` defaults to the department named in the table (created if new).
    """
    year, _ = m.Year.objects.get_or_create(year=table.year)
    if existing is None:
        if department is None:
            department, _ = m.Department.objects.get_or_create(
                name=table.department, defaults={"short_name": table.department_short})
        t = m.DisclosureTable(year=year, department=department, status=status)
    else:
        t = existing
        t.version += 1
        for old in t.projects.all():
            old.delete()  # one by one, so each deletion is in the history
    for f in HEADER_FIELDS:
        setattr(t, f, getattr(table, f))
    t.money_unit = table.money_unit.value
    t.layout = layout_value(table)
    t.save()
    for p in table.projects:
        m.Project.objects.create(table=t, updated_by=user, **project_fields(p))
    return t


def snapshot_document(t: m.DisclosureTable) -> dict:
    """The table JSON document of a stored table (what a publication freezes)."""
    return table_json.to_document(table_to_core(t))


def table_from_document(doc: dict, source: str = "<snapshot>") -> Table:
    # Amounts are strings in table JSON, so the document parses back exactly.
    return table_json.from_document(doc, source=source)

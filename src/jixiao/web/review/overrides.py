"""The finance bureau's score overrides (评分调整) on a project under review.

The core computes the suggested scores (:func:`jixiao.core.scoring.score_project`); an
evaluator's :class:`~jixiao.core.model.ScoreOverride` replaces one of them and the suggestion
stays beside it. Overrides live in ``Project.overrides`` (a JSON list of ``{item, score,
reason, by, at}``, the table-JSON shape), so :mod:`jixiao.web.entry.convert` carries them into
every export and into the publication snapshot, and the project's history records each change.

Saving follows the project form's optimistic locking: the page names the project version it
was built from and the write is accepted only if that is still current, so two reviewers never
silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from jixiao.core import validation
from jixiao.core.scoring import ProjectScore, item_key
from jixiao.core.taxonomy import CATEGORIES, KIND_BY_KEY
from jixiao.web import language
from jixiao.web.entry import table_lock
from jixiao.web.entry.models import Project, Status

CENT = Decimal("0.01")
# The longest reason kept (characters); the MoF form prints it in a footnote.
REASON_MAX = validation.TEXT_LIMITS["override_reason"]


@dataclass
class Item:
    """One score a reviewer may override: 预算执行率, a 二级 cell, one 三级 item of a cell that
    has several, a 一级 category or the total."""

    key: str  # ScoreOverride.item
    level: str  # "execution" / "indicator" / "item" / "category" / "total"
    weight: Decimal
    suggested: Decimal
    score: Decimal
    override: object | None  # the core ScoreOverride, if any
    reasons: list = field(default_factory=list)  # reasons (jixiao.core.reasons), rendered by the page
    formula: object = None  # a rule formula (a reason as well)
    parts: list = field(default_factory=list)  # 三级 items (ItemScore) of a 二级 cell
    target: str = ""
    actual: str = ""

    @property
    def label(self) -> str:
        """Its name in the page's language (:func:`item_name`): 预算执行率, 数量指标, 数量指标 第 2 项…"""
        return item_name(self.key)

    def __post_init__(self):
        # Weights come as 10 or 16.67; shown (and bounded) in cents like every score.
        self.weight = self.weight.quantize(CENT)


_CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}


def item_name(key: str) -> str:
    """The item's name in the page's language (history entries name items, not keys)."""
    if key == "execution":
        return gettext("预算执行率")
    if key == "total":
        return gettext("总分")
    kind, dot, number = key.partition(".")
    taxon = KIND_BY_KEY.get(kind) or _CATEGORY_BY_KEY.get(kind)
    if taxon is None:
        return key
    if dot:
        return gettext("%(indicator)s 第 %(n)s 项") % {"indicator": language.indicator_name(taxon), "n": number}
    return language.indicator_name(taxon)


def items_of(score: ProjectScore) -> list[Item]:
    """Every overridable score of a project, in the order of the MoF form."""
    ex = score.execution
    out = [Item("execution", "execution", ex.weight, ex.suggested, ex.score, ex.override, reasons=list(ex.reasons),
                formula=ex.formula)]
    for cat in score.categories:
        for ind in cat.indicators:
            out.append(Item(ind.kind, "indicator", ind.weight, ind.suggested, ind.score, ind.override,
                            reasons=list(ind.reasons), formula=ind.formula, parts=list(ind.items),
                            target=ind.target_text, actual=ind.actual_text))
            if len(ind.items) > 1:  # a cell of one item is overridden as the cell
                for n, it in enumerate(ind.items, 1):
                    out.append(Item(item_key(ind.kind, n), "item", it.weight,
                                    it.score if it.suggested is None else it.suggested, it.score, it.override,
                                    reasons=list(it.reasons), target=it.target, actual=it.actual))
        out.append(Item(cat.key, "category", cat.weight, cat.suggested, cat.score, cat.override,
                        reasons=list(cat.reasons)))
    total_weight = ex.weight + sum((c.weight for c in score.categories), Decimal(0))
    out.append(Item("total", "total", total_weight, score.suggested, score.total, score.override,
                    reasons=list(score.reasons)))
    return out


class Conflict(Exception):
    """The project changed since the page was loaded (its version moved on)."""

    def __init__(self, project: Project):
        super().__init__("project version changed")
        self.project = project


class NotUnderReview(Exception):
    """The table left 已提交 meanwhile (approved or returned): overrides are closed."""


@table_lock.atomic_retrying
def _change(project: Project, expected_version: int, user, item: str, entry: dict | None = None) -> Project:
    """Check the table is still under review (its row locked, so an approval in flight is
    waited for, not missed; table before project as everywhere), claim the project at
    ``expected_version``, and replace the override of ``item`` with ``entry`` (None: remove it)."""
    if table_lock.locked(project.table_id).status != Status.SUBMITTED:
        raise NotUnderReview()
    claimed = Project.objects.filter(pk=project.pk, version=expected_version).update(version=F("version") + 1)
    if claimed != 1:
        raise Conflict(Project.objects.select_related("updated_by").get(pk=project.pk))
    fresh = Project.objects.get(pk=project.pk)
    fresh.overrides = [o for o in fresh.overrides or [] if o.get("item") != item] + ([entry] if entry else [])
    fresh.updated_by = user
    fresh.save()  # the history entry: who, when, the overrides before and after
    return fresh


def set_override(project: Project, expected_version: int, user, item: str, score: Decimal, reason: str,
                 target: str = "") -> Project:
    """Set (or replace) the override of ``item`` (``target``: a 三级 item's target text);
    raises Conflict or NotUnderReview."""
    entry = {"item": item, "score": str(score), "reason": reason,
             "by": (user.get_full_name() or user.get_username()) if user is not None else "",
             # Local time, ISO 8601 to the minute with its offset: readable on the MoF form and exact.
             "at": timezone.localtime(timezone.now()).isoformat(sep=" ", timespec="minutes")}
    if target:  # a 三级 item: what it read when overridden (ScoreOverride.target)
        entry["target"] = target
    return _change(project, expected_version, user, item, entry)


def remove_override(project: Project, expected_version: int, user, item: str) -> Project:
    """Drop the override of ``item`` (the suggestion applies again); raises Conflict or NotUnderReview."""
    return _change(project, expected_version, user, item)

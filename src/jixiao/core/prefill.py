"""From the targets set with the budget to the self-evaluation, and back: pre-fill and trace.

Why: the 项目支出绩效自评表 after the year must judge the targets the 绩效目标表 set (and the
finance bureau approved) a year earlier. Copying them by hand is where they quietly change —
the usual complaint. :func:`self_evaluation_table` writes each approved 三级 indicator into the
self-evaluation as its 年度指标值 with its 分值, leaving only the completions to fill;
:func:`trace` lines up, per indicator, the target as set, the target the self-evaluation
states, its completion, and whether the target was changed on the way. The web part's
pre-fill and trace page sit on these two functions. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import IndicatorCell, IndicatorItem, Project, Table
from .money import MoneyUnit
from .target_sheet import TargetIndicator, TargetProject, TargetSheet
from .targets import fold_key
from .taxonomy import FULL


def self_evaluation_project(target: TargetProject, seq: int) -> Project:
    """A self-evaluation project pre-filled from its targets: name, 实施单位 as 单位名称, the
    year's funds as 预算 (and 年初预算数), 年度总体目标, and one 三级 item per target indicator
    (name, 年度指标值 ``≥95%``, 分值) under its 二级 cell; every completion left blank."""
    cells: dict[str, IndicatorCell] = {}
    for ind in target.indicators:
        cell = cells.setdefault(ind.kind, IndicatorCell())
        cell.items.append(IndicatorItem(name=ind.name, target=ind.target_text(), weight=ind.weight))
    for cell in cells.values():
        cell.target = "；".join(i.target_text for i in cell.items)
    return Project(seq=seq, unit_name=target.unit, name=target.name, budget=target.total,
                   annual_goal=target.goal, indicators=cells, initial_budget=target.total)


def self_evaluation_table(sheet: TargetSheet) -> Table:
    """The department's self-evaluation for the sheet's year, pre-filled project by project
    (every indicator kind shown: the MoF form's layout)."""
    return Table(year=sheet.year, department=sheet.department,
                 projects=[self_evaluation_project(p, i) for i, p in enumerate(sheet.projects, start=1)],
                 money_unit=MoneyUnit(sheet.money_unit), layout=FULL, profile=sheet.profile)


@dataclass(frozen=True)
class TraceRow:
    """One indicator followed from its target to its completion."""

    kind: str
    name: str
    target: str  # as set with the budget (TargetIndicator.target_text)
    evaluated_target: str | None  # the 年度指标值 the self-evaluation states; None: indicator missing there
    actual: str  # its completion ("" when none)

    @property
    def changed(self) -> bool:
        """The self-evaluation states another target than the one set (spaces and full-width
        forms ignored), or drops the indicator."""
        return self.evaluated_target is None or fold_key(self.evaluated_target) != fold_key(self.target)


def trace(target: TargetProject, evaluated: Project) -> list[TraceRow]:
    """Each indicator of ``target`` matched by 二级 and 三级 name to a 三级 item of the
    self-evaluation ``evaluated`` (a MoF form's items; scores come from scoring the project)."""
    rows = []
    for ind in target.indicators:
        item = _item(evaluated, ind)
        rows.append(TraceRow(ind.kind, ind.name, ind.target_text(), item.target if item else None,
                             item.actual if item else ""))
    return rows


def _item(project: Project, ind: TargetIndicator) -> IndicatorItem | None:
    cell = project.indicators.get(ind.kind)
    if cell is None:
        return None
    name = fold_key(ind.name)
    return next((i for i in cell.items if fold_key(i.name) == name), None)


@dataclass(frozen=True)
class TargetChange:
    """An approved target stated otherwise later (JX611): ``now`` is None when it was dropped."""

    project: int  # index of the project in the approved sheet
    indicator: int  # index of the indicator in that project
    approved: str
    now: str | None


def target_changes(approved: TargetSheet, current: TargetSheet | Table) -> list[TargetChange]:
    """Every approved target that ``current`` states otherwise or drops: a later version of the
    sheet (indicators matched by 二级 and 三级 name in the project of the same name) or the
    self-evaluation table (its 年度指标值, as :func:`trace` matches them). A project missing
    from ``current`` is not reported here (the self-evaluation may list fewer projects)."""
    changes = []
    for pi, target in enumerate(approved.projects):
        name = fold_key(target.name)
        if isinstance(current, TargetSheet):
            match = next((p for p in current.projects if fold_key(p.name) == name), None)
            if match is None:
                continue
            now = {(i.kind, fold_key(i.name)): i.target_text() for i in match.indicators}
            for ii, ind in enumerate(target.indicators):
                text = now.get((ind.kind, fold_key(ind.name)))
                if text is None or fold_key(text) != fold_key(ind.target_text()):
                    changes.append(TargetChange(pi, ii, ind.target_text(), text))
        else:
            evaluated = next((p for p in current.projects if fold_key(p.name) == name), None)
            if evaluated is None:
                continue
            for ii, row in enumerate(trace(target, evaluated)):
                if row.changed:
                    changes.append(TargetChange(pi, ii, row.target, row.evaluated_target))
    return changes


@dataclass(frozen=True)
class ChangedTarget:
    """An approved target the self-evaluation states otherwise (or drops), named rather than
    indexed: the note the MoF 项目支出绩效自评表 prints about it stands away from the sheet
    (jixiao.formats.mof_grid matches ``project`` to the form's project by name)."""

    year: int  # the year of the approved sheet
    project: str
    kind: str  # the 二级 indicator key
    name: str  # the 三级 indicator
    approved: str
    now: str | None  # None: dropped

    def reason(self) -> tuple:
        """The note as a reason of the catalogue (jixiao.core.reasons)."""
        if self.now is None:
            return ("target.dropped_note", self.year, self.name, self.approved)
        return ("target.changed_note", self.year, self.name, self.approved, self.now)


def changed_targets(approved: TargetSheet, current: TargetSheet | Table) -> list[ChangedTarget]:
    """:func:`target_changes` with the project and indicator named, for notes on other documents."""
    out = []
    for c in target_changes(approved, current):
        project = approved.projects[c.project]
        ind = project.indicators[c.indicator]
        out.append(ChangedTarget(approved.year, project.name, ind.kind, ind.name, c.approved, c.now))
    return out


def same_name(a: str, b: str) -> bool:
    """Two project or indicator names the same once spaces and full-width forms are ignored."""
    return fold_key(a) == fold_key(b)

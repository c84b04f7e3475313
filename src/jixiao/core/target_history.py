"""A department's own record of an indicator in earlier years, for judging a new target (JX612).

Why: the usual complaint about targets set with the budget is that they are set to be easy —
below what the department already did. The 绩效目标表 has a field for last year's actual
(上年实际完成值, JX604), but it is the department that fills it in, often not at all, and it
says nothing of the years before. What the department itself stated earlier says more: the
targets the finance bureau approved in earlier years, and the 实际完成值 its self-evaluations
reported. A target that asks for less than either is a target to question.

A :class:`TargetHistory` holds those earlier values, each with its year and source, keyed by
project name and 三级 indicator name (:func:`name_key`: full-width forms folded as
:func:`jixiao.core.targets.fold` does, spaces dropped, a year in a project name ignored —
「2023年农村道路养护」 is the project 「2024年农村道路养护」 of the year before). Only values that
are numbers count: an approved quantitative target (≥, ≤ or = with a number), or a completion
that the matching of :mod:`.matching` reads as an achieved value against its target (evidence
``value``: not a copy of the target, a bare claim or a completion rate). The check that uses it
is JX612 (:mod:`.target_checks`, docs/checks.md). Pure: standard library only, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .matching import match_cell
from .model import IndicatorCell, Table
from .target_sheet import QUANTITATIVE, TargetSheet
from .targets import UNITS, fold, fold_key

# Where an earlier value comes from.
SOURCES: tuple[str, ...] = ("target", "completion")

# A year inside a project name (2023年, 2023年度): the same project is renamed every year.
_YEAR_IN_NAME = re.compile(r"(?:19|20)[0-9]{2}\s*年度?")


def name_key(name: str, project: bool = False) -> str:
    """The key a name is matched by: full-width forms folded, white space dropped; for a
    project name (``project``) also a year written in it (``2024年``, ``2024年度``)."""
    text = name or ""
    if project:
        text = _YEAR_IN_NAME.sub("", fold(text))
    return fold_key(text)


def unit_key(unit: str | None) -> str:
    """A unit as the cell parser normalises it (``名`` → ``人``, ``公斤`` → ``千克``); blank as ``""``."""
    u = fold(unit or "").strip()
    return UNITS.get(u, u)


# Units of one quantity written at another scale: (normalised unit) → (the unit compared in, its
# factor). 120公里 is 120,000米 and 0.5万元 is 5,000元, so a target of ≥100,000米 is compared with an
# earlier 120公里. Only exact factors: 亩 and 平方米 (666⅔), 天 and 工作日, 月 and 天 are not converted.
SCALES: dict[str, tuple[str, Decimal]] = {
    "公里": ("米", Decimal(1000)), "米": ("米", Decimal(1)),
    "吨": ("千克", Decimal(1000)), "千克": ("千克", Decimal(1)),
    "亿元": ("元", Decimal(100_000_000)), "万元": ("元", Decimal(10_000)), "千元": ("元", Decimal(1000)),
    "元": ("元", Decimal(1)),
    "万人": ("人", Decimal(10_000)), "人": ("人", Decimal(1)),
    "小时": ("分钟", Decimal(60)), "分钟": ("分钟", Decimal(1)),
    "%": ("%", Decimal(1)), "‰": ("%", Decimal("0.1")),
}


def in_common_unit(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """``value`` in ``unit`` (normalised, :func:`unit_key`) expressed in the unit its kind is
    compared in (:data:`SCALES`): ``(120, "公里")`` → ``(120000, "米")``; other units unchanged."""
    base, factor = SCALES.get(unit, (unit, Decimal(1)))
    return value * factor, base


@dataclass(frozen=True)
class EarlierValue:
    """One value the department stated for an indicator in an earlier year.

    ``source`` ``target``: the target of that year's approved 绩效目标表 (``nature`` its 指标性质);
    ``completion``: the 实际完成值 that year's self-evaluation reported (``nature`` ``=``).
    ``unit`` is normalised (:func:`unit_key`); ``text`` is the value as written (``≥120公里``,
    ``130公里``)."""

    year: int
    source: str
    nature: str
    value: Decimal
    unit: str
    text: str


@dataclass
class TargetHistory:
    """Earlier values by (project key, indicator key); see the module docstring."""

    values: dict[tuple[str, str], list[EarlierValue]] = field(default_factory=dict)

    def add(self, project: str, indicator: str, value: EarlierValue) -> None:
        key = (name_key(project, project=True), name_key(indicator))
        if key[0] and key[1]:
            self.values.setdefault(key, []).append(value)

    def of(self, project: str, indicator: str) -> list[EarlierValue]:
        """The earlier values of an indicator of a project (any year; the check picks the years)."""
        return self.values.get((name_key(project, project=True), name_key(indicator)), [])

    def __len__(self) -> int:
        return sum(len(v) for v in self.values.values())

    def summary(self) -> list[tuple[int, str, int]]:
        """(year, source, number of values) of everything the history holds, in order."""
        counts = Counter((v.year, v.source) for vs in self.values.values() for v in vs)
        return [(year, source, n) for (year, source), n in sorted(counts.items())]

    def add_targets(self, sheet: TargetSheet) -> None:
        """The quantitative targets of an earlier year's approved sheet (its year is the sheet's)."""
        for p in sheet.projects:
            for ind in p.indicators:
                number = ind.number
                if ind.nature in QUANTITATIVE and number is not None:
                    self.add(p.name, ind.name, EarlierValue(sheet.year, "target", ind.nature, number,
                                                            unit_key(ind.unit), ind.target_text()))

    def add_completions(self, year: int, project: str, cells: Mapping[str, IndicatorCell]) -> None:
        """The achieved values one project of a self-evaluation reported for ``year``.

        A MoF form's 三级 rows are named (``IndicatorItem.name``); a cell of the 附件2-3 table
        holds its items as text, each named by its target's subject (``参加党务干部人数≧100`` →
        参加党务干部人数). Each completion is read against its target by :func:`match_cell`,
        which pairs items and tells an achieved value from a copy, a claim or a rate."""
        for kind, cell in cells.items():
            if cell.not_applicable:
                continue
            if cell.items:
                for item in cell.items:
                    if item.name.strip() and item.actual.strip():
                        for _subject, value in _achieved(year, item.target or item.target_text, item.actual,
                                                         kind):
                            self.add(project, item.name, value)
            elif cell.actual.strip():
                for subject, value in _achieved(year, cell.target, cell.actual, kind):
                    if subject:
                        self.add(project, subject, value)

    def add_table(self, table: Table) -> None:
        """Every project of an earlier year's self-evaluation (:meth:`add_completions`)."""
        for p in table.projects:
            self.add_completions(table.year, p.name, p.indicators)


def _achieved(year: int, target: str, actual: str, kind: str) -> Iterable[tuple[str, EarlierValue]]:
    """(the target item's subject, the achieved value) of each target item of a cell whose
    completion gives a number of its own."""
    for j in match_cell(target, actual, kind).judgements:
        a = j.actual
        if (j.evidence != "value" or j.claimed or a is None or a.value is None or a.op == "range"
                or j.target.kind != "quantity"):
            continue
        unit = a.unit or j.target.unit or ""
        yield j.target.subject, EarlierValue(year, "completion", "=", a.value, unit_key(unit), a.text)


def history_of(sheets: Iterable[TargetSheet] = (), tables: Iterable[Table] = ()) -> TargetHistory:
    """A history from earlier approved sheets and earlier self-evaluation tables."""
    history = TargetHistory()
    for s in sheets:
        history.add_targets(s)
    for t in tables:
        history.add_table(t)
    return history

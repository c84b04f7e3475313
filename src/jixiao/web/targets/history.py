"""The department's own earlier years, gathered from the database for the target checks (JX612).

Why a module of its own: the check (jixiao.core.target_checks, JX612) judges a new target
against what the department already did — the targets the bureau approved for it in earlier
years and the 实际完成值 its earlier self-evaluations reported — and the core knows nothing of
where those are kept. Here they are read for one sheet: its department's approved 绩效目标表 of
the ``history_years`` years before (the newest approval of each, its frozen targets JSON: what
the bureau approved, not a later draft) and its self-evaluation tables of the same years,
whatever their status (an earlier year's table imported as a draft is still the department's
own report).

Two queries whatever the number of years, rounds, tables and projects, so a page that shows the
findings stays cheap; only the projects of the sheet (matched by name as the check matches them)
are read further.
"""

from __future__ import annotations

from jixiao.core import checks
from jixiao.core import target_sheet as core
from jixiao.core.target_history import TargetHistory, name_key
from jixiao.web.entry.convert import indicators_to_core
from jixiao.web.entry.models import Project

from . import convert
from .models import TargetRound, TargetSheet


def sheet_findings(sheet: TargetSheet, sheet_core: core.TargetSheet) -> list[checks.Finding]:
    """The JX6xx findings of ``sheet_core``, JX612 judged against the earlier years of ``sheet``'s
    department: what the sheet page, the import preview and the stored quality figures show."""
    return checks.check_target_sheet(sheet_core, history=department_history(sheet, sheet_core))


def department_history(sheet: TargetSheet, sheet_core: core.TargetSheet) -> TargetHistory:
    """The earlier years of ``sheet``'s department: the check configuration's ``history_years``
    before ``sheet_core``'s year. ``sheet``: the stored sheet, or one not stored yet (an
    import's) — only its department is read."""
    history = TargetHistory()
    years, year = checks.CheckConfig().history_years, sheet_core.year
    if years <= 0:
        return history
    span = dict(year__year__gte=year - years, year__year__lt=year)
    rounds = (TargetRound.objects.exclude(approved=None)
              .filter(sheet__department_id=sheet.department_id, **{f"sheet__{k}": v for k, v in span.items()})
              .order_by("sheet_id", "number").values_list("sheet_id", "approved"))
    newest = dict(rounds)  # ordered by number: each sheet's newest approval is the one kept
    for doc in newest.values():
        history.add_targets(convert.sheet_from_document(doc))
    wanted = {name_key(p.name, project=True) for p in sheet_core.projects}
    projects = (Project.objects.filter(table__department_id=sheet.department_id,
                                       **{f"table__{k}": v for k, v in span.items()})
                .values_list("table__year__year", "name", "indicators"))
    for table_year, name, cells in projects:
        if name_key(name, project=True) in wanted:
            history.add_completions(table_year, name, indicators_to_core(cells))
    return history

"""Findings and suggested scores for the pages, from the core (checks, scoring).

The results are immutable (tuples, a frozen dataclass): a page may hand them to templates
and helpers without any of them changing what another reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from jixiao.core import checks, scoring
from jixiao.core.model import Project, Table


@dataclass(frozen=True)
class ProjectAnalysis:
    findings: tuple = ()
    score: object | None = None


def analyse_project(project: Project, table: Table | None = None) -> ProjectAnalysis:
    return ProjectAnalysis(findings=tuple(checks.check_project(project, table=table)),
                           score=scoring.score_project(project, profile=table.profile if table else ""))


def table_findings(table: Table) -> tuple:
    return tuple(checks.check_table(table))


def table_scores(table: Table) -> tuple:
    return tuple(scoring.score_table(table))


def by_project(findings) -> dict:
    """Findings by the 序号 of the project they concern (None: the table's own)."""
    grouped: dict = {}
    for f in findings:
        grouped.setdefault(f.project_seq, []).append(f)
    return grouped


def version_key(table_row, rows, *extra) -> str:
    """A short key that changes whenever the table or one of its projects is saved (each save
    bumps its ``version`` and ``updated_at``): the table page's rendered projects table is kept
    in Django's cache under it (``extra``: the language and the like)."""
    stamp = (table_row.pk, table_row.version, table_row.updated_at, table_row.money_unit,
             tuple((r.pk, r.version, r.updated_at) for r in rows))
    return hashlib.sha256(repr((stamp, *extra)).encode("utf-8", "surrogatepass")).hexdigest()


def table_analysis(core: Table) -> tuple[tuple, tuple]:
    """``(findings, scores)`` of the table page: the core's checks and suggested scores, computed
    on each page view (nothing kept per process: any server process answers alike)."""
    return table_findings(core), table_scores(core)

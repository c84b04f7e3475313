"""Findings and suggested scores for the pages, from the core (checks, scoring).

The core modules are built by other engineers in parallel; until one exists in this checkout
the pages say so (``available`` is False) instead of inventing results.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from jixiao.core.model import Project, Table


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def checks_module():
    return _module("jixiao.core.checks")


def scoring_module():
    return _module("jixiao.core.scoring")


@dataclass
class ProjectAnalysis:
    findings: list = field(default_factory=list)
    checks_available: bool = False
    score: object | None = None
    scoring_available: bool = False

    def by_column(self) -> dict[str, list]:
        """Findings grouped by the field they concern (``indicators.quantity.target`` → that cell)."""
        grouped: dict[str, list] = {}
        for f in self.findings:
            grouped.setdefault(f.column or "", []).append(f)
        return grouped

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def analyse_project(project: Project, table: Table | None = None) -> ProjectAnalysis:
    result = ProjectAnalysis()
    checks = checks_module()
    if checks is not None:
        result.checks_available = True
        result.findings = list(checks.check_project(project, table=table))
    scoring = scoring_module()
    if scoring is not None:
        result.scoring_available = True
        result.score = scoring.score_project(project)
    return result


def table_findings(table: Table) -> tuple[bool, list]:
    checks = checks_module()
    if checks is None:
        return False, []
    return True, list(checks.check_table(table))


def table_scores(table: Table) -> tuple[bool, list]:
    scoring = scoring_module()
    if scoring is None:
        return False, []
    return True, list(scoring.score_table(table))

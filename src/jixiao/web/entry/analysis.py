"""Findings and suggested scores for the pages, from the core (checks, scoring).

The results are immutable once computed (tuples, a frozen dataclass): the table page's
analysis is kept per process and handed to every request that asks for the same version,
possibly on several threads at once, so no request may change what another one reads."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from jixiao.core import checks, scoring
from jixiao.core.model import Project, Table


@dataclass(frozen=True)
class ProjectAnalysis:
    findings: tuple = ()
    score: object | None = None

    def by_column(self) -> dict[str, tuple]:
        """Findings grouped by the field they concern (``indicators.quantity.target`` → that cell)."""
        grouped: dict[str, list] = {}
        for f in self.findings:
            grouped.setdefault(f.column or "", []).append(f)
        return {column: tuple(found) for column, found in grouped.items()}

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def analyse_project(project: Project, table: Table | None = None) -> ProjectAnalysis:
    return ProjectAnalysis(findings=tuple(checks.check_project(project, table=table)),
                           score=scoring.score_project(project, profile=table.profile if table else ""))


def table_findings(table: Table) -> tuple:
    return tuple(checks.check_table(table))


def table_scores(table: Table) -> tuple:
    return tuple(scoring.score_table(table))


# --- the table page's analysis, kept per version ------------------------------------------
#
# The table page shows every project's findings and suggested score; computing them is a
# tenth (10 projects) to a quarter (100+ projects) of the page's time, and they change only
# when the table or one of its projects is saved. Each save bumps a version and ``updated_at``
# (optimistic locking), so the analysis is kept per process under those stamps: a stale entry
# can never be hit, it only ages out. The objects are kept as they are (no pickling: decoding
# them cost as much as computing them), so the cache is bounded by the projects it holds.
ANALYSIS_CACHE_PROJECTS = 20_000

_analysis_cache: OrderedDict = OrderedDict()
_analysis_lock = threading.Lock()
_analysis_size = 0


def _stamp(table_row, rows) -> tuple:
    return (table_row.pk, table_row.version, table_row.updated_at, table_row.money_unit,
            tuple((r.pk, r.version, r.updated_at) for r in rows))


def version_key(table_row, rows, *extra) -> str:
    """A short key that changes whenever the table or one of its projects is saved (for the
    table page's cached projects table; ``extra``: the language and the like)."""
    return hashlib.sha256(repr((_stamp(table_row, rows), *extra)).encode("utf-8", "surrogatepass")).hexdigest()


def table_analysis(table_row, rows, core: Table) -> tuple[tuple, tuple]:
    """``(findings, scores)`` of ``core`` (built from ``table_row`` and
    its project ``rows``), computed once per version of the table and its projects."""
    global _analysis_size
    key = _stamp(table_row, rows)
    with _analysis_lock:
        hit = _analysis_cache.get(key)
        if hit is not None:
            _analysis_cache.move_to_end(key)
            return hit
    value = (table_findings(core), table_scores(core))
    weight = max(1, len(rows))
    if weight > ANALYSIS_CACHE_PROJECTS:
        return value
    with _analysis_lock:
        if key not in _analysis_cache:
            _analysis_cache[key] = value
            _analysis_size += weight
            while _analysis_size > ANALYSIS_CACHE_PROJECTS:
                (_t, _v, _u, _m, old_rows), _old = _analysis_cache.popitem(last=False)
                _analysis_size -= max(1, len(old_rows))
    return value

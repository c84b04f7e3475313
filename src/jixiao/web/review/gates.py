"""Submission gates: what keeps a table from reaching the finance bureau, and what needs a word
from the department first.

A table goes to review only when it has projects and none of its findings (jixiao.core.checks)
is blocking: by default every finding of severity error blocks; ``JIXIAO_SUBMIT_BLOCKING``
(docs/web.md) names severities and/or check codes instead. Every other finding (a warning, or
an error the setting lets through) stays open and needs the department's written explanation, entered per warning on the submit page and kept
with the review round, where the reviewer reads it beside the warning (review and approve
pages). The same assessment runs on the submit page and inside the submit transaction (on the
locked row), so a table changed in between is judged as it is committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from jixiao.core.checks import Finding
from jixiao.web import workflow
from jixiao.web.entry import analysis, convert
from jixiao.web.entry.forms import finding_slot

EXPLANATION_MAX = 2000


@dataclass(frozen=True)
class Open:
    """A finding with the key its explanation is stored under (stable while the finding stays)."""

    finding: Finding
    key: str
    project_pk: int | None = None

    @property
    def field_name(self) -> str:
        return "explain-" + hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:12]

    @property
    def anchor(self) -> str:
        """The id of the project form's field the finding is shown beside (``id_budget`` …)."""
        return f"id_{finding_slot(self.finding.column)}" if self.finding.column else ""


@dataclass(frozen=True)
class Gate:
    empty: bool
    blocking: tuple[Open, ...]
    warnings: tuple[Open, ...]  # the other errors and warnings: each needs an explanation

    @property
    def allowed(self) -> bool:
        return not self.empty and not self.blocking

    def missing(self, explanations: dict[str, str]) -> list[Open]:
        return [w for w in self.warnings if not (explanations.get(w.key) or "").strip()]

    def record(self, explanations: dict[str, str]) -> list[dict]:
        """What a review round keeps: each open warning as found, with its explanation."""
        return [{**w.finding.to_dict(), "key": w.key, "explanation": explanations.get(w.key, "").strip()}
                for w in self.warnings]


def assess(table_row, blocking: tuple[str, ...] | None = None) -> Gate:
    """The gate of ``table_row`` under ``blocking`` (severities and codes; None: the setting)."""
    rows = list(table_row.projects.order_by("seq", "pk"))
    core = convert.table_to_core(table_row, rows)
    findings = analysis.table_findings(core)
    pk_by_seq: dict[int, int] = {}
    for row, project in zip(rows, core.projects):
        pk_by_seq.setdefault(project.seq, row.pk)
    tokens = settings.JIXIAO_SUBMIT_BLOCKING if blocking is None else blocking
    seen: dict[str, int] = {}
    blocking, warnings = [], []
    for f in findings:
        if f.severity == "info":
            continue
        base = f"{f.code}:{f.project_seq if f.project_seq is not None else '-'}:{f.column}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}:{seen[base]}"
        item = Open(f, key, pk_by_seq.get(f.project_seq))
        if f.severity in tokens or f.code in tokens:
            blocking.append(item)
        elif rows or f.code != "JX404":  # an empty table's "no projects" is its own refusal
            warnings.append(item)
    return Gate(empty=not rows, blocking=tuple(blocking), warnings=tuple(warnings))


class Refused(workflow.Refused):
    """Submission refused: blocking findings, no projects, or warnings left unexplained."""

    def __init__(self, gate: Gate, missing: list[Open] | None = None):
        reasons = ["no projects"] if gate.empty else []
        reasons += [f"{o.key} blocks" for o in gate.blocking] + [f"{o.key} unexplained" for o in missing or []]
        super().__init__("; ".join(reasons))
        self.gate = gate

"""The project-level reasons a reviewer reads first: what was not met, what cannot be
judged, restated targets, bare percentages, targets set too low (jixiao.core.reasons codes
``summary.*``)."""

from __future__ import annotations

from ..reasons import Reason


def summary_reasons(facts: list[tuple[str, tuple]]) -> list[Reason]:
    """Project-level reasons a reviewer reads first: what was not met or cannot be judged.

    ``facts`` are (二级 kind, _facts of the cell) for the cells that have any, in form order.
    The indicators are listed as (kind, target text), at most five."""
    out: list[Reason] = []
    not_met: list[tuple[str, str]] = []
    unknown: list[tuple[str, str]] = []
    over: list[tuple[str, str]] = []
    restated = bare = claimed = 0
    for kind, cell in facts:
        bare += cell[0]
        restated += cell[1]
        claimed += cell[2]
        n_not_met, n_unknown = cell[3], cell[4]
        # Most cells add only a flag or one text: test before building anything.
        if n_not_met:
            not_met.extend((kind, t) for t in cell[5:5 + n_not_met])
        if n_unknown:
            unknown.extend((kind, t) for t in cell[5 + n_not_met:5 + n_not_met + n_unknown])
        if len(cell) > 5 + n_not_met + n_unknown:
            over.extend((kind, t) for t in cell[5 + n_not_met + n_unknown:])
    if not_met:
        out.append(("summary.not_met", len(not_met), tuple(not_met[:5]), len(not_met) > 5))
    if unknown:
        out.append(("summary.unknown", len(unknown), tuple(unknown[:5]), len(unknown) > 5))
    if restated:
        out.append(("summary.restated", restated))
    if claimed:
        out.append(("summary.claimed", claimed))
    if bare:
        out.append(("summary.bare", bare))
    if over:
        out.append(("summary.over", len(over), tuple(over[:5])))
    return out


# The codes of the summary's reasons (jixiao score's CSV keeps them on the project's row).
CODES = frozenset({"summary.not_met", "summary.unknown", "summary.restated", "summary.claimed", "summary.bare"})

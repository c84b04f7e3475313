"""The project-level sentences a reviewer reads first: what was not met, what cannot be
judged, restated targets, bare percentages, targets set too low."""

from __future__ import annotations


def summary_reasons(facts: list[tuple[str, tuple]]) -> list[str]:
    """Project-level reasons a reviewer reads first: what was not met or cannot be judged.

    ``facts`` are (二级 name, _facts of the cell) for the cells that have any, in form order."""
    out: list[str] = []
    not_met: list[str] = []
    unknown: list[str] = []
    over: list[str] = []
    restated = bare = claimed = 0
    for name, cell in facts:
        bare += cell[0]
        restated += cell[1]
        claimed += cell[2]
        n_not_met, n_unknown = cell[3], cell[4]
        # Most cells add only a flag or one text: test before building anything.
        if n_not_met:
            not_met.extend(f"{name}“{t}”" for t in cell[5:5 + n_not_met])
        if n_unknown:
            unknown.extend(f"{name}“{t}”" for t in cell[5 + n_not_met:5 + n_not_met + n_unknown])
        if len(cell) > 5 + n_not_met + n_unknown:
            over.extend(f"{name}“{t}”" for t in cell[5 + n_not_met + n_unknown:])
    if not_met:
        out.append(f"未完全达成的指标{len(not_met)}个：" + "；".join(not_met[:5]) + ("等。" if len(not_met) > 5 else "。"))
    if unknown:
        out.append(f"无法判断是否完成的指标{len(unknown)}个：" + "；".join(unknown[:5])
                   + ("等" if len(unknown) > 5 else "") + "，待评价人核实。")
    if restated:
        out.append(f"有{restated}个指标的完成情况复述了目标，不是实际完成值。")
    if claimed:
        out.append(f"有{claimed}个指标的完成情况只复述或声称达到目标，没有自己的完成数值（按惯例计为达成，"
                   "严格口径不计，见证据差）。")
    if bare:
        out.append(f"有{bare}个二级指标的完成情况只填写了百分比（如“100.00%”），没有写明实际完成值。")
    if over:
        out.append(f"完成比例远超目标（目标设定偏低）的指标{len(over)}个：" + "；".join(over[:5]) + "。")
    return out

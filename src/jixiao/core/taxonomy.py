"""The indicator taxonomy (三级指标体系) and the column layouts that use it.

一级指标 (category) → 二级指标 (indicator kind); a table cell pairs a 年度指标内容
(target text) with its 完成情况 (actual text). The taxonomy is complete; a *layout*
picks which 二级 columns a published table shows. The seed's 2019 Shenzhen layout has
no 成本 or 可持续影响 column, the MoF form has all of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """一级指标."""

    key: str
    name: str  # Chinese, as printed: 产出指标
    name_en: str
    short: str  # as in the disclosure header: 产出目标


@dataclass(frozen=True)
class Kind:
    """二级指标; ``key`` is the table-JSON key."""

    key: str
    name: str  # Chinese column name in the disclosure table: 数量指标
    name_en: str
    category: Category
    measurable: bool  # a target of this kind should carry a number or a deadline


OUTPUT = Category("output", "产出指标", "Output", "产出目标")
OUTCOME = Category("outcome", "效益指标", "Outcome", "效益目标")
SATISFACTION = Category("satisfaction", "满意度指标", "Satisfaction", "满意度指标")
CATEGORIES: tuple[Category, ...] = (OUTPUT, OUTCOME, SATISFACTION)

KINDS: tuple[Kind, ...] = (
    Kind("quantity", "数量指标", "Quantity", OUTPUT, True),
    Kind("quality", "质量指标", "Quality", OUTPUT, True),
    Kind("timeliness", "时效指标", "Timeliness", OUTPUT, True),
    Kind("cost", "成本指标", "Cost", OUTPUT, True),
    Kind("economic", "经济效益指标", "Economic benefit", OUTCOME, False),
    Kind("social", "社会效益指标", "Social benefit", OUTCOME, False),
    Kind("ecological", "生态效益指标", "Ecological benefit", OUTCOME, False),
    Kind("sustainability", "可持续影响指标", "Sustainable impact", OUTCOME, False),
    Kind("satisfaction", "服务对象满意度指标", "Service recipient satisfaction", SATISFACTION, False),
)
KIND_BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
KIND_ORDER: dict[str, int] = {k.key: i for i, k in enumerate(KINDS)}

# The 附件2-3 disclosure layout of the seed (2019, Shenzhen districts): seven indicator columns.
DISCLOSURE_2019: tuple[str, ...] = (
    "quantity", "quality", "timeliness", "economic", "social", "ecological", "satisfaction",
)
# Every kind, in taxonomy order: what the MoF 项目支出绩效自评表 can show.
FULL: tuple[str, ...] = tuple(k.key for k in KINDS)

LAYOUTS: dict[str, tuple[str, ...]] = {"disclosure-2019": DISCLOSURE_2019, "full": FULL}


def kind(key: str) -> Kind:
    try:
        return KIND_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown indicator kind {key!r}; known: {', '.join(KIND_BY_KEY)}") from None


def kinds_of(category: Category, keys: tuple[str, ...] = FULL) -> tuple[Kind, ...]:
    return tuple(KIND_BY_KEY[k] for k in keys if KIND_BY_KEY[k].category == category)

"""Realistic synthetic self-evaluation tables, reproducible from a seed.

Pure: builds :class:`~jixiao.core.model.Table` objects and does no I/O. Names of
departments, units and projects are drawn from the shapes real district tables use;
indicator texts cover every style DOMAIN.md lists (operators as symbols and words,
units, ranges, deadlines, qualitative phrases, bare ``100.00%`` completions, compound
cells separated by ``；``). Sums and rates are consistent, except for a chosen share of
rows that carry one deliberate inconsistency each, of a kind a check catches
(:data:`INCONSISTENCIES` maps each kind to its check code).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal

from .core import money
from .core.model import IndicatorCell, Project, Table
from .core.money import MoneyUnit
from .core.taxonomy import DISCLOSURE_2019

CENT = Decimal("0.01")

# Kind of deliberate inconsistency → the check code that must catch it.
INCONSISTENCIES: dict[str, str] = {
    "sum": "JX101",  # 合计 ≠ sum of sources
    "rate": "JX102",  # printed rate ≠ recomputed
    "rate_text": "JX103",  # printed rate not a percentage
    "over_budget": "JX104",  # spent more than the budget
    "negative": "JX105",  # a negative source amount
    "missing": "JX106",  # budget blank
    "no_sources": "JX107",  # spending without its breakdown by source
    "zero_budget": "JX108",  # spending against a zero budget
    "placeholder": "JX201",  # an indicator cell says 无 or /
    "vague": "JX202",  # a quantity target without a number
    "all_complete": "JX203",  # everything "100%" while the rate is low
    "restated": "JX204",  # completion copies the target
    "outside_layout": "JX205",  # a 成本 cell in a table whose layout has no 成本 column
    "low_no_problem": "JX301",  # low rate, no problem stated
    "no_rectification": "JX302",  # problem stated, no rectification
    "blank_goal": "JX303",  # 年初绩效目标 left as 无
    "blank_name": "JX304",  # project name lost
    "duplicate": "JX401",  # same project name as an earlier row
    "numbering": "JX402",  # 序号 skips
}

# ---------------------------------------------------------------------------
# Vocabulary

PLACES = [
    ("深圳市", ["龙岗区", "福田区", "罗湖区", "南山区", "宝安区", "盐田区", "龙华区", "坪山区", "光明区"]),
    ("广州市", ["天河区", "越秀区", "海珠区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "增城区"]),
    ("佛山市", ["禅城区", "南海区", "顺德区", "三水区", "高明区"]),
    ("东莞市", ["莞城街道", "南城街道", "东城街道"]),
    ("珠海市", ["香洲区", "斗门区", "金湾区"]),
    ("惠州市", ["惠城区", "惠阳区", "博罗县", "惠东县", "龙门县"]),
    ("江门市", ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]),
    ("湛江市", ["赤坎区", "霞山区", "坡头区", "麻章区", "遂溪县", "徐闻县", "廉江市", "雷州市", "吴川市"]),
    ("汕头市", ["金平区", "龙湖区", "濠江区", "潮阳区", "潮南区", "澄海区", "南澳县"]),
    ("韶关市", ["武江区", "浈江区", "曲江区", "始兴县", "仁化县", "翁源县", "乳源瑶族自治县", "新丰县"]),
]
# Qualifiers that tell apart projects on the same topic (a second phase, a follow-on year).
QUALIFIERS = ["（二期）", "（三期）", "（续建）", "提升工程", "运行维护", "专项行动", "试点", "配套"]

# (department suffix, short name, extra units, specific project topics)
DEPARTMENTS: list[tuple[str, str, list[str], list[str]]] = [
    ("工商业联合会", "工商联", ["区总商会"], ["党建事务", "党员教育", "工商联事务", "商会组织建设", "非公经济人士培训",
                                        "民营企业服务月活动", "光彩事业公益活动"]),
    ("教育局", "教育局", ["区教师发展中心", "区第一实验学校", "区外国语学校", "区职业技术学校"],
     ["中小学校舍维修改造", "教师继续教育培训", "学前教育生均补助", "校园安全保卫服务", "智慧校园建设",
      "学生营养改善计划", "课后延时服务补助", "教育质量监测"]),
    ("卫生健康局", "卫健局", ["区疾病预防控制中心", "区妇幼保健院", "区慢性病防治院"],
     ["基本公共卫生服务", "家庭医生签约服务", "免费孕前优生健康检查", "重大传染病防控", "社区健康服务中心建设",
      "严重精神障碍患者管理", "老年人健康体检"]),
    ("民政局", "民政局", ["区社会福利中心", "区救助管理站"],
     ["城乡低保金发放", "特困人员供养", "养老服务补贴", "社区居家养老服务", "殡葬管理服务", "社会组织培育",
      "临时救助资金"]),
    ("城市管理和综合执法局", "城管局", ["区环境卫生管理处", "区园林绿化管理所"],
     ["市容环境卫生保洁", "公园绿地养护", "生活垃圾分类推广", "市政道路照明维护", "违法建设查处", "公厕改造提升"]),
    ("文化广电旅游体育局", "文广旅体局", ["区图书馆", "区文化馆", "区体育中心"],
     ["公共文化服务体系建设", "全民健身活动", "非物质文化遗产保护", "图书馆数字资源采购", "群众文艺演出",
      "文物保护修缮"]),
    ("司法局", "司法局", ["区公共法律服务中心"],
     ["法律援助", "人民调解员补贴", "社区矫正管理", "普法宣传教育", "公共法律服务平台运维"]),
    ("人力资源局", "人力资源局", ["区公共就业服务中心", "区劳动人事争议仲裁院"],
     ["职业技能培训补贴", "就业创业补贴", "劳动争议仲裁", "高层次人才引进", "人才安居"]),
    ("住房和建设局", "住建局", ["区建设工程质量安全监督站"],
     ["建筑工程质量安全监督", "老旧小区改造", "保障性住房管理", "燃气安全检查", "物业管理监督"]),
    ("水务局", "水务局", ["区水政监察大队", "区河道管理所"],
     ["河道日常维护", "水污染治理设施运营", "防汛应急抢险", "小型水库安全监测", "节水型社会建设"]),
    ("应急管理局", "应急管理局", ["区应急救援队"],
     ["安全生产执法检查", "应急物资储备", "森林防火", "安全生产宣传月", "应急演练"]),
    ("科技创新局", "科创局", ["区科技开发交流中心"],
     ["科技企业孵化器扶持", "高新技术企业培育", "知识产权资助", "科技创新券", "产学研合作"]),
    ("妇女联合会", "妇联", [], ["妇女儿童权益保障", "家庭教育指导服务", "巾帼创业就业培训", "“两癌”免费筛查"]),
    ("残疾人联合会", "残联", ["区残疾人综合服务中心"],
     ["残疾人康复服务", "残疾人就业补贴", "无障碍设施改造", "残疾儿童康复救助"]),
    ("档案馆", "档案馆", [], ["档案数字化加工", "档案库房设备维护", "馆藏档案修复"]),
    ("退役军人事务局", "退役军人局", ["区退役军人服务中心"],
     ["优抚对象抚恤补助", "退役军人就业培训", "烈士纪念设施维护", "双拥共建活动"]),
]
GENERIC_TOPICS = ["办公设备购置", "其他一般管理事务", "信息化系统运维", "物业管理服务", "法律顾问服务",
                  "党建工作经费", "档案整理", "政府购买服务", "宣传工作经费", "公务用车运行维护",
                  "网络安全等级保护测评", "财务审计服务", "办公场地租赁", "业务培训"]
NAME_SUFFIXES = ["", "", "", "项目", "经费", "专项经费", "工作经费", "专项资金"]

# What is counted, with the measure words real tables use for it.
SUBJECTS: list[tuple[str, tuple[str, ...]]] = [
    ("开展培训", ("次", "期", "场次")), ("举办活动", ("场", "场次", "次")), ("服务企业", ("家", "个")),
    ("走访群众", ("户", "人次")), ("发放宣传资料", ("份", "册")), ("检查点位", ("个", "处")),
    ("受理案件", ("件", "宗")), ("维修设施", ("处", "项")), ("采购设备", ("台", "批", "套")),
    ("建设站点", ("个", "座")), ("签约服务", ("人", "户")), ("筛查对象", ("人", "人次")),
    ("救助对象", ("人", "户")), ("培育组织", ("个", "家")), ("整理档案", ("卷", "件")),
    ("发布信息", ("篇", "条")), ("参训人员", ("人", "人次")), ("新增绿化面积", ("亩",)),
    ("筛查病例", ("例",)), ("引进品种", ("种",)), ("改造道路", ("公里",)), ("发放补贴", ("元", "万元")),
]
# Subjects where less is better (a "≤" target).
LESS_SUBJECTS: list[tuple[str, tuple[str, ...]]] = [
    ("群众投诉", ("件", "宗")), ("安全事故", ("次", "起")), ("办结时限", ("天", "个工作日")),
    ("人均培训成本", ("元",)), ("平均等待时间", ("天",)), ("建设周期", ("个月",)),
]
WHO = ["服务对象", "群众", "会员企业", "工作人员", "参训学员", "学生家长", "居民", "受助对象"]
QUALITY_SUBJECTS = ["验收合格率", "培训合格率", "资金发放准确率", "设备完好率", "群众知晓率", "档案整理合格率",
                    "案件办结率", "检查覆盖率"]
QUALITATIVE_QUALITY = ["服务质量达到合同约定标准", "设备运行稳定，保障各科室正常开展工作", "符合国家相关技术规范",
                       "资金使用规范，无违规支出", "验收合格", "工程质量合格"]
TASKS = ["项目采购", "年度培训", "资金拨付", "设备安装调试", "验收工作", "宣传活动", "系统上线", "服务合同签订"]
BENEFITS_ECON = ["降低运行成本", "带动相关产业发展", "节约财政资金", "促进民营经济高质量发展", "提高资金使用效益"]
BENEFITS_SOCIAL = ["提升群众获得感和幸福感", "保障社会和谐稳定", "提高公共服务水平", "扩大社会影响力",
                   "营造良好社会氛围"]
BENEFITS_ECO = ["节约纸张，减少能源消耗", "改善人居环境", "推动绿色低碳发展", "减少污染物排放"]
GOALS = ["保障{topic}顺利开展，提高工作效率和服务水平。", "按计划完成{topic}各项任务，发挥财政资金效益。",
         "通过实施{topic}，切实改善{who}的服务体验，推动工作提质增效。"]
COMPLETIONS = ["已按计划完成{topic}各项工作，达到预期目标。", "全年完成{topic}任务，资金使用规范，效果良好。",
               "{topic}顺利实施，{who}反映良好。"]
PROBLEMS = ["部分采购项目流标，资金未能按计划支出", "项目实施进度滞后，部分款项未支付", "实际服务人数比预计减少",
            "受疫情影响，部分活动未能如期开展", "合同尾款待验收后支付"]
RECTIFICATIONS = ["加强预算执行监控，加快支出进度", "科学编制预算，合理测算项目资金", "督促承接单位加快实施进度",
                  "完善采购计划，提前做好前期准备"]

# ---------------------------------------------------------------------------
# Indicator texts, one function per kind. Each returns (target, actual); ``low`` means
# the project's execution rate is below 90%, in which case completions stay numeric
# (never a table of pure 100% claims, which JX203 would rightly question).


def _n(rng: random.Random) -> int:
    return rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 50, 100, 120, 200, 500, 1000])


# Operators for "at least", as real tables write them (symbols, full-width forms, words).
AT_LEAST = ["≥", "≧", ">=", "不少于", "不低于", "不小于", "达到"]
MORE_THAN = ["＞", ">"]
EQUALS = ["=", "＝", "﹦", "═"]
AT_MOST = ["≤", "≦", "<=", "不超过", "不高于"]
LESS_THAN = ["＜", "<"]


def _one_quantity(rng: random.Random) -> tuple[str, str]:
    """One 三级 quantity indicator: (target, actual), the actual meeting the target."""
    if rng.random() < 0.2:  # less is better: complaints, accidents, days, unit cost
        subj, units = rng.choice(LESS_SUBJECTS)
        unit, limit = rng.choice(units), rng.choice([3, 5, 7, 10, 15, 20, 30, 60, 90, 200])
        got = rng.randint(0, limit - 1)
        style = rng.randrange(5)
        if style == 0:
            return f"{subj}{rng.choice(AT_MOST)}{limit}{unit}", f"{subj}{got}{unit}"
        if style == 1:
            return f"{subj}{rng.choice(LESS_THAN)}{limit}{unit}", f"实际{subj}{got}{unit}"
        if style == 2:
            return f"{subj}{limit}{unit}{rng.choice(['以内', '以下'])}", f"{subj}{got}{unit}"
        if style == 3:
            return f"{subj}偏差率±{rng.choice([5, 10])}%以内", f"{subj}偏差率{rng.randint(0, 49) / 10}%"
        return f"{subj}不超过{limit}{unit}", f"{subj}为{got}{unit}"
    subj, units = rng.choice(SUBJECTS)
    unit, n = rng.choice(units), _n(rng)
    got = n + rng.randint(0, max(1, n // 3))
    style = rng.randrange(9)
    if style == 0:
        return f"{subj}{rng.choice(AT_LEAST)}{n}{unit}", f"{subj}{got}{unit}"
    if style == 1:
        return f"{subj}次数≧{n}", f"{subj}{got}{unit}"
    if style == 2:
        return f"{subj}不少于{n}{unit}", f"完成{subj}{got}{unit}"
    if style == 3:
        return f"{subj}{n}{unit}以上", f"{subj}共{got}{unit}"
    if style == 4:
        return f"{subj}{n}—{n + rng.randint(1, 3)}{unit}", f"{subj}{n + 1}{unit}"
    if style == 5:
        return f"{subj}{rng.choice(MORE_THAN)}{n}{unit}", f"实际{subj}{got + 1}{unit}"
    if style == 6:
        return f"{subj}{rng.choice(EQUALS)}{n}{unit}", f"{subj}{n}{unit}"
    if style == 7 and n >= 100:  # 「2000多人次」「2000余人」
        return f"{subj}{rng.choice(AT_LEAST)}{n}{unit}", f"{subj}{n}{rng.choice(['多', '余'])}{unit}"
    return f"{subj}{n}{unit}", f"全年{subj}{got}{unit}"


def _quantity(rng: random.Random, low: bool) -> tuple[str, str]:
    parts = [_one_quantity(rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    target = "；".join(t for t, _ in parts)
    actual = "；".join(a for _, a in parts)
    if len(parts) > 1 and rng.random() < 0.5:
        target, actual = target + "。", actual + "。"
    if not low and rng.random() < 0.3:
        actual = "100.00%"
    return target, actual


def _quality(rng: random.Random, low: bool) -> tuple[str, str]:
    style = rng.randrange(5)
    if style == 0:
        subj, p = rng.choice(QUALITY_SUBJECTS), rng.choice([80, 85, 90, 95, 98, 100])
        return f"{subj}≥{p}%", f"{subj}{min(100, p + rng.randint(0, 5))}%"
    if style == 1:
        subj, p = rng.choice(QUALITY_SUBJECTS), rng.choice([90, 95, 98])
        return f"{subj}不低于{p}%", f"{subj}达到{min(100, p + rng.randint(0, 5))}%"
    if style == 2:
        return f"差错率≤{rng.choice([1, 2, 3, 5])}%", "差错率0%"
    if style == 3:
        return f"{rng.choice(QUALITY_SUBJECTS)}100%", "100.00%" if not low else "验收全部合格"
    return rng.choice(QUALITATIVE_QUALITY), "100.00%" if not low else "达到预期标准"


def _timeliness(rng: random.Random, low: bool, year: int) -> tuple[str, str]:
    task, m = rng.choice(TASKS), rng.randint(3, 12)
    done_m, d = max(1, m - rng.randint(0, 2)), rng.randint(1, 28)
    style = rng.randrange(5)
    if style == 0:
        return f"{m}月前完成{task}", f"{done_m}月{d}日完成{task}"
    if style == 1:
        return f"{m}月底前完成{task}", f"{done_m}月底完成{task}"
    if style == 2:
        return f"{year}年{m}月{d}日前完成{task}", f"{year}年{done_m}月{d}日完成{task}"
    if style == 3:
        return f"{task}时间≤{rng.choice([15, 30, 60, 90])}天", "100.00%" if not low else "按期完成"
    return f"及时完成{task}", "100.00%" if not low else "按时完成"


def _cost(rng: random.Random, low: bool, budget: Decimal) -> tuple[str, str]:
    share = (budget * Decimal(rng.randint(20, 90)) / 100).quantize(CENT)
    return f"{rng.choice(TASKS)}成本≤{share}万元", f"实际支出{(share * Decimal('0.95')).quantize(CENT)}万元"


def _benefit(rng: random.Random, low: bool, pool: list[str]) -> tuple[str, str]:
    style = rng.randrange(4)
    if style == 0:
        n = _n(rng) * 10
        return f"服务群众不少于{n}人次", f"服务群众{n + rng.randint(0, n)}人次"
    if style == 1:
        return rng.choice(pool), "100.00%" if not low else "取得一定成效"
    target = rng.choice(pool)
    return target, f"有效{target}，达成预期指标" if style == 2 else "效果明显"


def _satisfaction(rng: random.Random, low: bool) -> tuple[str, str]:
    who, p = rng.choice(WHO), rng.choice([80, 85, 90, 95])
    got = min(100, p + rng.randint(1, 9))
    style = rng.randrange(5)
    if style == 0:
        return f"{who}满意度≥{p}%", f"{who}满意度{got}%"
    if style == 1:
        return f"{who}满意度不低于{p}%", f"{who}满意度达到{got - 1}%以上"
    if style == 2:
        return f"{who}满意度＞{p}%", f"满意度{got}.{rng.randint(0, 9)}%"
    if style == 3:
        return f"{who}满意", f"{who}满意度100%" if not low else f"{who}满意度{got}%"
    return f"{who}满意度{p}%以上", f"{got}.00%"


def _indicators(rng: random.Random, layout: tuple[str, ...], low: bool, year: int,
                budget: Decimal) -> dict[str, IndicatorCell]:
    makers: dict[str, Callable[[], tuple[str, str]]] = {
        "quantity": lambda: _quantity(rng, low),
        "quality": lambda: _quality(rng, low),
        "timeliness": lambda: _timeliness(rng, low, year),
        "cost": lambda: _cost(rng, low, budget),
        "economic": lambda: _benefit(rng, low, BENEFITS_ECON),
        "social": lambda: _benefit(rng, low, BENEFITS_SOCIAL),
        "ecological": lambda: _benefit(rng, low, BENEFITS_ECO),
        "sustainability": lambda: _benefit(rng, low, BENEFITS_SOCIAL),
        "satisfaction": lambda: _satisfaction(rng, low),
    }
    return {key: IndicatorCell(*makers[key]()) for key in layout}


# ---------------------------------------------------------------------------
# Amounts


def _budget(rng: random.Random) -> Decimal:
    # Log-uniform from 1 万元 to 5 000 万元: most projects are small, a few are large.
    value = Decimal(str(round(10 ** rng.uniform(0, 3.7), 2)))
    return value.quantize(CENT)


def _rate_fraction(rng: random.Random) -> Decimal:
    r = rng.random()
    if r < 0.75:
        pct = rng.uniform(95, 100)
    elif r < 0.92:
        pct = rng.uniform(90, 95)
    else:
        pct = rng.uniform(55, 89.5)
    return Decimal(str(round(pct, 3))) / 100


def _split(rng: random.Random, actual: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """一般公共预算, 政府性基金, 非财政拨款 adding up exactly to ``actual``."""
    r = rng.random()
    zero = Decimal("0.00")
    if r < 0.85 or actual < 1:
        return actual, zero, zero
    part = (actual * Decimal(rng.randint(10, 60)) / 100).quantize(CENT)
    if r < 0.95:
        return actual - part, part, zero
    return actual - part, zero, part


# ---------------------------------------------------------------------------
# Tables


class _Names:
    """Unique project names within one table: each topic once, then with a qualifier
    (「…（二期）」), then with the year, then numbered."""

    def __init__(self, rng: random.Random, topics: list[str], year: int):
        self.rng, self.topics, self.year = rng, topics, year
        self.used: set[str] = set()
        self.used_topics: set[str] = set()

    def _suffix(self, name: str) -> str:
        return "" if name.endswith(("经费", "资金", "费", "补贴", "补助")) else self.rng.choice(NAME_SUFFIXES)

    def next(self) -> str:
        rng = self.rng
        name = ""
        for attempt in range(6):
            topic = rng.choice(self.topics)
            if topic not in self.used_topics:
                self.used_topics.add(topic)
                name = topic + self._suffix(topic)
            else:
                name = topic + rng.choice(QUALIFIERS)
                name += self._suffix(name)
                if attempt >= 3:
                    name = f"{self.year}年{name}"
            if name not in self.used:
                self.used.add(name)
                return name
        n = 2
        while f"{name}（{n}）" in self.used:
            n += 1
        name = f"{name}（{n}）"
        self.used.add(name)
        return name


def _department(rng: random.Random) -> tuple[str, str, list[str], list[str]]:
    city, districts = rng.choice(PLACES)
    district = rng.choice(districts)
    suffix, short, units, topics = rng.choice(DEPARTMENTS)
    prefix = district[:-1] if district.endswith(("区", "县")) else district
    short_name = f"区{short}" if district.endswith("区") else (f"县{short}" if district.endswith("县") else short)
    unit_names = [short_name] + [u if not u.startswith("区") else prefix + u[1:] for u in units]
    return f"{city}{district}{suffix}", short_name, unit_names, topics + GENERIC_TOPICS


def _project(rng: random.Random, seq: int, unit: str, name: str, year: int, layout: tuple[str, ...],
             kind: str | None) -> Project:
    budget = _budget(rng)
    low_needed = kind in ("all_complete", "low_no_problem")
    fraction = Decimal(str(round(rng.uniform(0.55, 0.85), 3))) if low_needed else _rate_fraction(rng)
    actual = (budget * fraction).quantize(CENT)
    general, fund, other = _split(rng, actual)
    p = Project(seq=seq, unit_name=unit, name=name, gov_investment=rng.random() < 0.08, budget=budget,
                actual_total=actual, actual_general_budget=general, actual_gov_fund=fund,
                actual_non_fiscal=other)
    rate = p.execution_rate
    low = rate is not None and rate < 90
    topic = name
    who = rng.choice(WHO)
    p.annual_goal = rng.choice(GOALS).format(topic=topic, who=who)
    p.overall_completion = rng.choice(COMPLETIONS).format(topic=topic, who=who)
    p.indicators = _indicators(rng, layout, low, year, budget)
    if low or rng.random() < 0.05:
        p.problems, p.rectification = rng.choice(PROBLEMS), rng.choice(RECTIFICATIONS)
    else:
        p.problems, p.rectification = "无", "无"
    p.execution_rate_text = money.format_rate(rate)
    if kind:
        _spoil(rng, p, kind)
    return p


def _spoil(rng: random.Random, p: Project, kind: str) -> None:
    """Introduce exactly one inconsistency of ``kind`` (see INCONSISTENCIES)."""
    assert p.budget is not None and p.actual_total is not None
    if kind == "sum":
        p.actual_total += Decimal(rng.choice(["0.01", "0.10", "1.00", "10.00"]))
        p.execution_rate_text = money.format_rate(p.execution_rate)
    elif kind == "rate":
        rate = p.execution_rate or Decimal(0)
        p.execution_rate_text = money.format_rate(rate - Decimal(rng.choice(["0.01", "0.10", "1.00", "5.00"])))
    elif kind == "rate_text":
        p.execution_rate_text = str(p.execution_rate)  # the % sign forgotten
    elif kind == "over_budget":
        extra = max(CENT, (p.budget * Decimal(rng.randint(1, 20)) / 100).quantize(CENT))
        p.actual_total += extra
        p.actual_general_budget = (p.actual_general_budget or Decimal(0)) + extra
        p.execution_rate_text = money.format_rate(p.execution_rate)
    elif kind == "negative":
        amount = max(CENT, (p.actual_total / 10).quantize(CENT))
        p.actual_gov_fund = -amount
        p.actual_general_budget = (p.actual_general_budget or Decimal(0)) + amount
    elif kind == "missing":
        p.budget = None
        p.execution_rate_text = ""
    elif kind == "zero_budget":
        p.budget = Decimal("0.00")
        p.execution_rate_text = ""
    elif kind == "placeholder":
        key = rng.choice(list(p.indicators))
        cell = p.indicators[key]
        value = rng.choice(["无", "/", "—", ""])
        if rng.random() < 0.5:
            cell.actual = value
        else:
            cell.target = value
    elif kind == "vague":
        p.indicators["quantity"] = IndicatorCell(rng.choice(["完成年度工作任务", "按计划开展相关工作", "整理成本"]),
                                                 "已完成")
    elif kind == "all_complete":
        for key, cell in p.indicators.items():
            cell.actual = "100.00%" if key != "satisfaction" else f"{rng.choice(WHO)}满意度100%"
    elif kind == "restated":
        key = rng.choice([k for k in p.indicators if k != "quantity"] or list(p.indicators))
        cell = p.indicators[key]
        if key == "satisfaction" and rng.random() < 0.5:
            cell.actual = f"{rng.choice(WHO)}满意度≥{rng.choice([90, 95])}%"  # a target, not a result
        else:
            cell.actual = cell.target
    elif kind == "low_no_problem":
        p.problems, p.rectification = "无", "无"
    elif kind == "no_rectification":
        p.problems, p.rectification = rng.choice(PROBLEMS), rng.choice(["无", ""])
    elif kind == "no_sources":
        p.actual_general_budget = p.actual_gov_fund = p.actual_non_fiscal = None
    elif kind == "outside_layout":
        p.indicators["cost"] = IndicatorCell(f"采购成本≤{p.budget}万元", f"实际支出{p.actual_total}万元")
    elif kind == "blank_goal":
        p.annual_goal = rng.choice(["无", "", "/"])
    elif kind == "blank_name":
        p.name = ""
    elif kind == "numbering":
        p.seq += rng.randint(1, 3)
    elif kind == "duplicate":
        pass  # handled by the table builder, which knows the earlier names
    else:  # pragma: no cover - guarded by INCONSISTENCIES
        raise ValueError(kind)


def _check_share(share: float) -> None:
    if not 0 <= share <= 1:
        raise ValueError(f"inconsistent_share must be between 0 and 1, got {share}")


def generate_table(projects: int = 8, seed: int = 0, inconsistent_share: float = 0.0, year: int = 2019,
                   department: str | None = None, *, layout: tuple[str, ...] = DISCLOSURE_2019,
                   progress: Callable[[int], None] | None = None) -> Table:
    """One department's table of ``projects`` rows; the same arguments give the same table.

    ``inconsistent_share`` is the probability that a row carries one deliberate
    inconsistency (its kind drawn evenly from :data:`INCONSISTENCIES`). ``progress``, if
    given, is called with the number of rows made since the last call.
    """
    if projects < 0:
        raise ValueError("projects must be ≥ 0")
    _check_share(inconsistent_share)
    return _table(random.Random(f"jixiao:{seed}"), projects, inconsistent_share, year, department, layout, progress)


def _table(rng: random.Random, projects: int, share: float, year: int, department: str | None,
           layout: tuple[str, ...], progress: Callable[[int], None] | None) -> Table:
    dept, short, units, topics = _department(rng)
    if department:  # a caller's department: no short name is known; the title falls back to the full name
        dept, short = department, ""
    names = _Names(rng, topics, year)
    kinds = list(INCONSISTENCIES)
    rows: list[Project] = []
    for seq in range(1, projects + 1):
        kind = rng.choice(kinds) if share and rng.random() < share else None
        if (kind == "duplicate" and not rows) or (kind == "outside_layout" and "cost" in layout):
            kind = "sum"  # nothing to duplicate yet / no column outside the layout
        name = rows[rng.randrange(len(rows))].name if kind == "duplicate" else names.next()
        unit = units[0] if rng.random() < 0.6 else rng.choice(units)
        rows.append(_project(rng, seq, unit, name, year, layout, kind))
        if progress is not None and seq % 1000 == 0:
            progress(1000)
    if progress is not None and projects % 1000:
        progress(projects % 1000)
    return Table(year=year, department=dept, projects=rows, money_unit=MoneyUnit.WAN_YUAN, attachment="附件2-3",
                 title=f"{year}年度{short}部门预算项目绩效自评情况公开表" if short else "", department_short=short,
                 layout=layout)


def department_sizes(rng: random.Random, projects: int) -> Iterator[int]:
    """Project counts per department summing to ``projects``: most departments run a handful of
    projects, a few (education, health) run dozens."""
    left = projects
    while left > 0:
        size = min(left, int(rng.paretovariate(1.6) * 4) + rng.randint(0, 6))
        yield max(1, size)
        left -= max(1, size)


def generate_province(projects: int = 200_000, seed: int = 0, inconsistent_share: float = 0.05,
                      year: int = 2019) -> Iterator[Table]:
    """A province-year: many departments' tables, ``projects`` rows in all, reproducible from ``seed``.

    Each table has its own random stream derived from (seed, index): tables can be made
    independently, and every table but the (truncated) last is the same whatever ``projects`` is.
    """
    _check_share(inconsistent_share)
    sizes = random.Random(f"jixiao-province-sizes:{seed}")
    for i, size in enumerate(department_sizes(sizes, projects)):
        yield _table(random.Random(f"jixiao-province:{seed}:{i}"), size, inconsistent_share, year, None,
                     DISCLOSURE_2019, None)

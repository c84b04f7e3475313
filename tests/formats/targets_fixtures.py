"""A 绩效目标表 used by the targets format and command tests: two projects, every field used."""

from decimal import Decimal

from jixiao.core.target_sheet import TargetIndicator, TargetProject, TargetSheet, indicator_from_text


def sample_sheet() -> TargetSheet:
    f = indicator_from_text
    d = Decimal
    wupao = TargetProject(
        "雾炮车降尘抑尘服务", "湘潭市城市管理和综合执法局", "湘潭市环境卫生管理处", d("250"), d("250"), d("0"),
        "通过采购雾炮车降尘抑尘服务，全市空气质量达到优良", [
            f("quantity", "配备车辆数", "10辆", weight=d("20"), basis="plan", last_actual="8辆"),
            f("quantity", "雾炮车风炮射程", "≥80M", weight=d("10"), basis="industry"),
            f("quality", "服务周期内空气质量", "优良", weight=d("10"), basis="plan"),
            f("timeliness", "服务完成时间", "2023年12月31日前", weight=d("5"), basis="plan"),
            f("cost", "控制在预算成本内", "250万", weight=d("5"), basis="history", last_actual="245万元"),
            f("social", "市民对空气质量改善的满意程度", "≥85%", weight=d("30"), basis="plan"),
            f("satisfaction", "市民满意度", "≥90%", weight=d("10"), basis="plan"),
        ])
    training = TargetProject(
        "党务干部培训", "某区委组织部", "某区委党校", d("38.5"), d("30"), d("8.5"), "全年培训党务干部不少于100人次", [
            TargetIndicator("quantity", "参训人数", ">=", "100", "人次", d("30"), "plan", "96人次"),
            TargetIndicator("quality", "培训合格率", ">=", "95", "%", d("20"), "industry", "97%"),
            TargetIndicator("cost", "人均培训成本", "<=", "0.385", "万元", None, "other", ""),
            TargetIndicator("social", "党务工作能力", "qualitative", "明显提升", "", None, None, ""),
            TargetIndicator("satisfaction", "参训人员满意度", ">=", "90", "%", None, "plan", ""),
            TargetIndicator("sustainability", "培训成果长效机制", None, "5—6项制度", "", None, None, ""),
        ])
    return TargetSheet(2023, "湘潭市环境卫生管理处", "万元", "2023年度部门项目支出绩效目标表", "central",
                       [wupao, training])

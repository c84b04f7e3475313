"""The 绩效目标表s the targets format, command and web tests read: jixiao's own (two projects,
every field used; the long one over three PDF pages) and regional forms laid out by hand with
openpyxl (湘潭 2023, 宁乡 2021, 鄂州 2022, tests/fidelity/targets)."""

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


def long_sheet() -> TargetSheet:
    """The sample with a goal of four lines and 70 more 数量 indicators with wrapped names: three
    pages of jixiao's PDF, the 二级 label cut by the page breaks."""
    sheet = sample_sheet()
    p = sheet.projects[0]
    p.goal = "通过采购雾炮车降尘抑尘服务，" * 12 + "air quality index below 50 on 300 days"
    p.indicators += [TargetIndicator("quantity", f"第{i}项巡查次数（含夜间巡查和节假日巡查）", ">=", str(10 + i), "次",
                                     Decimal(1), "plan", f"{i}次") for i in range(70)]
    return sheet


def hand_laid(title: str | None = None):
    """A new workbook laid out by hand, and its ``put(ref, value, merge=None)``: write ``value``
    at ``ref`` of the first sheet, merged through ``merge`` when given."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.title = title

    def put(ref, value, merge=None):
        ws[ref] = value
        if merge:
            ws.merge_cells(f"{ref}:{merge}")

    return wb, put


def xiangtan_2023(path):
    """The 湘潭 2023 项目支出绩效目标申报表 (xtcg.xiangtan.gov.cn, tests/fidelity/targets) laid out
    by hand as published: 指标值及单位 in one cell, 绩效标准 as the basis, a 本年度绩效指标 label
    spanning the indicator block, empty 经济/生态/可持续 rows, the 审核意见 and signature rows."""
    wb, put = hand_laid("雾炮车")

    put("A1", "2023年项目支出绩效目标申报表", "F1")
    put("A2", "填报单位:(盖章)")
    put("E2", "单位:万元", "F2")
    put("A3", "项目支出名称")
    put("B3", "雾炮车降尘抑尘服务", "C3")
    put("D3", "预算部门")
    put("E3", "湘潭市环境卫生管理处", "F3")
    put("A4", "年度本级 预算金额")
    put("B4", "250万", "C4")
    put("D4", "该项目支出上级资金")
    put("E4", 0, "F4")
    put("A5", "项目支出实施期")
    put("B5", "2023.07-2024.01", "F5")
    put("A6", "实施期绩效目标")
    put("B6", "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", "F6")
    put("A7", "本年度绩效目标")
    put("B7", "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", "F7")
    put("A8", "本年度 绩效指标", "A18")
    for col, text in zip("BCDEF", ("一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准")):
        put(f"{col}8", text)
    put("B9", "产出指标", "B13")
    put("C9", "数量指标", "C10")
    rows = [
        (9, None, "雾炮车降尘抑尘服务配备车辆数", "10辆"), (10, None, "雾炮车风炮射程", "≥80M"),
        (11, "质量指标", "服务周期内空气质量", "优良"), (12, "时效指标", "服务周期", "2023.07-2024.01"),
        (13, "成本指标", "控制在预算成本内", "250万"), (14, "经济效益指标", None, None),
        (15, "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%"), (16, "生态效益指标", None, None),
        (17, "可持续影响指标", None, None), (18, "社会公众或服务对象满意度指标", "市民满意度", "≥90%"),
    ]
    put("B14", "效益指标", "B17")
    put("B18", "满意度指标")
    for r, level2, name, value in rows:
        if level2:
            put(f"C{r}", level2)
        if name:
            put(f"D{r}", name)
            put(f"E{r}", value)
            put(f"F{r}", "计划标准")
    put("A19", "财政部门审核意见")
    put("B19", None, "F19")
    put("A20", "填表人: 宋云花 联系电话:16607326331 填报日期: 单位负责人签字:", "F20")
    wb.save(path)


def ningxiang_2021(path):
    """The 宁乡市坝塘镇 项目绩效目标表(2021年度) (tests/fidelity/targets) laid out by hand: funds as
    总额 · 财政拨款 · 自有资金 · 其他 with 4 decimals, 长期目标 and 年度目标, a 长期 and a 年度 indicator
    block (一级 · 二级 · 指标内容 · 指标值 · 备注). The excerpt runs the cells together
    (「数量指标88100」): read here as 指标内容 blank, 指标值 88, 备注 100."""
    wb, put = hand_laid()

    put("A1", "项目绩效目标表(2021年度)", "E1")
    put("A2", "填报单位(盖章):宁乡市坝塘镇人民政府", "E2")
    for r, (a, b, c, d) in enumerate([("项目名称", "镇域内基础设施建设", "项目属性", "新增项目□延续项目√"),
                                      ("主管部门", "坝塘镇", "主管部门编码", None),
                                      ("项目单位", "坝塘镇", "项目负责人", "蒋建华")], start=3):
        put(f"A{r}", a)
        put(f"B{r}", b)
        put(f"C{r}", c)
        put(f"D{r}", d, f"E{r}")
    put("A6", "项目起止时间")
    put("B6", "2021", "E6")
    put("A7", "年度资金总额及构成", "A10")
    for r, (label, value) in enumerate([("总额", "10606.7522万元"),
                                        ("财政拨款", "6923.3552万元(其中:上级财政资金:6923.3552万元;本级财政:0万元)"),
                                        ("自有资金", "0万元"), ("其他", "3683.3970万元")], start=7):
        put(f"B{r}", label)
        put(f"C{r}", value, f"E{r}")
    put("A11", "项目概况")
    put("B11", "镇域内水利、道路、机关、学校及乡村振兴等基础设施建设", "E11")
    put("A12", "项目绩效目标", "A13")
    put("B12", "长期目标")
    put("C12", "改善镇域内基础设施,振兴乡村经济", "E12")
    put("B13", "年度目标")
    put("C13", "全面完成集镇立面改造、机关、学校、乡村振兴等项目,搞好提质改造", "E13")
    rows = [("产出指标", "数量指标", "88"), (None, "质量指标", "88"), (None, "时效指标", "88"), (None, "成本指标", "88"),
            ("效益指标", "经济效益指标", "88"), (None, "社会效益指标", "68"), (None, "生态效益指标", "20"),
            (None, "可持续影响指标", "20"), (None, "社会公众或服务对象满意度指标", "88")]
    r = 14
    for block in ("长期绩效指标", "年度绩效指标"):
        put(f"A{r}", block, f"E{r}")
        for col, text in zip("ABCDE", ("一级指标", "二级指标", "指标内容", "指标值", "备注")):
            put(f"{col}{r + 1}", text)
        for i, (level1, level2, value) in enumerate(rows):
            rr = r + 2 + i
            if level1:
                put(f"A{rr}", level1, f"A{rr + 3}")  # 产出 and 效益 span four rows each
            put(f"B{rr}", level2)
            put(f"D{rr}", value)
            put(f"E{rr}", "100")
        r += 2 + len(rows)
    wb.save(path)


def ezhou_2022(path) -> None:
    """The 鄂州市2022年市直部门预算项目支出绩效目标表 of 鄂州市机关事务服务中心 (tests/fidelity/targets,
    the excerpt of its DOCX) laid out by hand with openpyxl, cell by cell as the excerpt runs:
    项目名称 · 项目类别 · 项目性质 · 立项依据, the 项目预算成本构成 block (成本构成 · 金额 · 测算(公式)依据 ·
    2020年 and 2021年实际执行数, a 合计 row), 绩效目标, then the indicators under 一级指标 · 二级指标 ·
    三级指标 · 绩效标准 (what the indicator reflects, not a standard) · 当年预期实现值 · 保障绩效目标实现措施,
    and the 主管部门审核意见 row. Texts as the excerpt prints them (滨湖大胆办公大楼, 292%, 重.要); the
    excerpt stops at 「水电气消耗下降率…>」: that value (>3%) and the 效益 and 满意度 rows after it are
    written for the test in the form's manner. No 部门 line, no 主管部门 field and no money unit: the
    form prints none."""
    wb, put = hand_laid("滨湖大楼")

    put("A1", "鄂州市2022年市直部门预算项目支出绩效目标表", "G1")
    put("A2", "项目名称")
    put("B2", "滨湖大胆办公大楼运行保障", "G2")
    put("A3", "项目类别")
    put("B3", "本级支出项目", "C3")
    put("D3", "项目性质")
    put("E3", "持续性项目", "G3")
    put("A4", "立项依据")
    put("B4", "市机关事务服务中心三定方案", "G4")
    put("A5", "项目预算成本构成", "A9")
    for col, text in zip("BCDEF", ("成本构成", "金额", "测算(公式)依据", "2020年实际执行数", "2021年实际执行数")):
        put(f"{col}5", text)
    costs = [("保安服务费", 191, "依据招标文件", 191, 191), ("保洁服务费", 99, "依据招标文件", 99, 99),
             ("水电气、维修维护费", 524, "根据三定方案,各项费用据实结算", 372.88, 504.55),
             ("合计", 814, None, 662.98, 794.55)]
    for r, row in enumerate(costs, start=6):
        for col, value in zip("BCDEF", row):
            if value is not None:
                put(f"{col}{r}", value)
    put("A10", "绩效目标")
    put("B10", "以办公大楼服务对象满意为目标,着力打造文明型机关、卫生Z口机关。", "G10")
    put("A11", "绩效指标", "A20")
    for col, text in zip("BCDEFG", ("一级指标", "二级指标", "三级指标", "绩效标准", "当年预期实现值",
                                    "保障绩效目标实现措施")):
        put(f"{col}11", text)
    rows = [
        ("办公大楼日常维修维护次数", "反映办公大楼全年维修维护情况", "2280次"),
        ("大楼安检巡察次数", "反映大楼保卫巡检情况", "200次"),
        ("办公大楼日常维修维护验收合格率", "反映办公大楼全年维修维护质量情况", ">92%"),
        ("经常性大型设备更新验收合格率", "反映办公大楼大型设备更新验收情况", "292%"),
        ("重.要设备维修维保验收合格率", "反映设备设施维保质量情况", "95%"),
        ("成本控制率", "不超预算", None),
        ("水电气消耗下降率", "反映水电气消耗比上年下降情况", ">3%"),
        ("机关办公秩序", "反映办公大楼运行保障对机关办公的影响", "有效保障"),
        ("干部职工满意度", "反映服务对象对大楼运行保障的满意程度", "≥90%"),
    ]
    for r, (name, standard, value) in enumerate(rows, start=12):
        put(f"D{r}", name)
        put(f"E{r}", standard)
        if value is not None:
            put(f"F{r}", value)
    put("B12", "产出指标", "B18")
    put("C12", "数量指标", "C13")
    put("C14", "质量指标", "C16")
    put("C17", "成本指标", "C18")
    put("B19", "效益指标")
    put("C19", "社会效益指标")
    put("B20", "满意度指标")
    put("C20", "服务对象满意度指标")
    put("G12", None, "G20")
    put("A21", "主管部门审核意见")
    put("B21", "单位公章:年月 日", "G21")
    wb.save(path)


def libreoffice_pdf(xlsx, outdir):
    """Print a workbook with LibreOffice headless, as an office would (a private profile, so it
    can run beside another soffice; tests/fidelity/make_forms.py does the same): the PDF's path."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(xlsx)], check=True, capture_output=True, timeout=180)
    return outdir / (xlsx.stem + ".pdf")

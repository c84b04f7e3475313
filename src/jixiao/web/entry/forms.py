"""Forms. Amounts are read with the core's money parser (Decimal, never float); every text
field has a length limit, so bad input is a field error and never a server error."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.core import money
from jixiao.core.model import AMOUNT_FIELDS, IndicatorCell, Project
from jixiao.core.taxonomy import KIND_BY_KEY

from ..widgets import PlainSelect

# Limits on what one cell may hold (characters). Real cells are a few hundred characters.
NAME_MAX = 300
UNIT_MAX = 200
TEXT_MAX = 5000
CELL_MAX = 4000
RATE_MAX = 30
AMOUNT_MAX = Decimal("1e15")

AMOUNT_LABELS = {
    "budget": _("项目年度预算金额"),
    "actual_total": _("实际支出金额合计"),
    "actual_general_budget": _("一般公共预算"),
    "actual_gov_fund": _("政府性基金预算"),
    "actual_non_fiscal": _("非财政拨款资金"),
}
TEXT_LABELS = {
    "annual_goal": _("年初绩效目标"),
    "overall_completion": _("绩效目标整体完成情况"),
    "problems": _("项目执行中存在的问题"),
    "rectification": _("整改情况"),
}


class AmountField(forms.CharField):
    """A money amount: digits with optional thousands separators and decimals, not negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "class": "amount", "autocomplete": "off"})

    def clean(self, value):
        text = super().clean(value)
        try:
            amount = money.parse_amount(text)
        except ValueError:
            raise forms.ValidationError(_("请输入数字金额（例如 12.34）。"), code="not_a_number") from None
        if amount is None:
            return None
        if amount < 0:
            raise forms.ValidationError(_("金额不能为负数。"), code="negative")
        if amount >= AMOUNT_MAX:
            raise forms.ValidationError(_("金额过大。"), code="too_large")
        if amount.as_tuple().exponent < -4:
            raise forms.ValidationError(_("金额最多保留 4 位小数。"), code="too_precise")
        return amount


def _text(label, max_length, rows=None, required=False):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, required=required, strip=False, widget=widget)


class _Form(forms.Form):
    label_suffix = ""  # Chinese labels take no trailing colon


class ProjectForm(_Form):
    """Every 附件2-3 field of one project, plus one target/actual pair per indicator column."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    seq = forms.IntegerField(label=_("序号"), min_value=1, max_value=100000)
    unit_name = _text(_("单位名称"), UNIT_MAX)
    name = _text(_("项目名称"), NAME_MAX, required=True)
    gov_investment = forms.TypedChoiceField(
        label=_("是否政府投资项目"), required=False, empty_value=None,
        choices=[("", _("未填")), ("yes", _("是")), ("no", _("否"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v))
    budget = AmountField(label=AMOUNT_LABELS["budget"])
    actual_total = AmountField(label=AMOUNT_LABELS["actual_total"])
    actual_general_budget = AmountField(label=AMOUNT_LABELS["actual_general_budget"])
    actual_gov_fund = AmountField(label=AMOUNT_LABELS["actual_gov_fund"])
    actual_non_fiscal = AmountField(label=AMOUNT_LABELS["actual_non_fiscal"])
    execution_rate_text = _text(_("预算支出执行率（表上填写）"), RATE_MAX)
    annual_goal = _text(TEXT_LABELS["annual_goal"], TEXT_MAX, rows=3)
    overall_completion = _text(TEXT_LABELS["overall_completion"], TEXT_MAX, rows=3)
    problems = _text(TEXT_LABELS["problems"], TEXT_MAX, rows=2)
    rectification = _text(TEXT_LABELS["rectification"], TEXT_MAX, rows=2)

    def __init__(self, *args, layout: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        for key in layout:
            kind = KIND_BY_KEY[key]
            self.fields[f"ind_{key}_target"] = _text(_("年度指标内容"), CELL_MAX, rows=2)
            self.fields[f"ind_{key}_actual"] = _text(_("完成情况"), CELL_MAX, rows=2)
            self.fields[f"ind_{key}_target"].kind = kind
        self.fields["name"].widget.attrs["class"] = "wide"

    @staticmethod
    def initial_from(project) -> dict:
        """Initial values from a stored project (model instance)."""
        data = {f: getattr(project, f) for f in ("seq", "unit_name", "name", "execution_rate_text", "annual_goal",
                                                 "overall_completion", "problems", "rectification", "version")}
        data["gov_investment"] = {True: "yes", False: "no"}.get(project.gov_investment, "")
        for f in AMOUNT_FIELDS:
            data[f] = money.format_amount(getattr(project, f)) if getattr(project, f) is not None else ""
        for key, cell in (project.indicators or {}).items():
            data[f"ind_{key}_target"] = cell.get("target", "")
            data[f"ind_{key}_actual"] = cell.get("actual", "")
        return data

    def indicator_rows(self):
        """(kind, target bound field, actual bound field) per column, for the template."""
        return [(KIND_BY_KEY[k], self[f"ind_{k}_target"], self[f"ind_{k}_actual"]) for k in self.layout]

    def to_core(self, keep_indicators: dict | None = None, overrides=None) -> Project:
        """The cleaned data as a core Project. Cells of kinds outside the layout are kept."""
        d = self.cleaned_data
        cells = {k: IndicatorCell(**v) for k, v in (keep_indicators or {}).items() if k not in self.layout}
        for key in self.layout:
            target, actual = d.get(f"ind_{key}_target", ""), d.get(f"ind_{key}_actual", "")
            if target or actual:
                cells[key] = IndicatorCell(target=target, actual=actual)
        return Project(
            seq=d["seq"], unit_name=d["unit_name"], name=d["name"], gov_investment=d.get("gov_investment"),
            execution_rate_text=d["execution_rate_text"].strip(), annual_goal=d["annual_goal"],
            overall_completion=d["overall_completion"], indicators=cells, problems=d["problems"],
            rectification=d["rectification"], overrides=list(overrides or []),
            **{f: d.get(f) for f in AMOUNT_FIELDS},
        )


class NewTableForm(_Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, empty_label=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class CommentForm(_Form):
    text = forms.CharField(label=_("审核意见"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    project = forms.ModelChoiceField(label=_("针对项目"), queryset=None, required=False, empty_label=_("整张表"),
                                     widget=PlainSelect)

    def __init__(self, *args, projects, project_rows=None, **kwargs):
        """``project_rows``: the table's projects in form order, when the caller has read them
        already (the table page has): the list is drawn from them instead of a second query.
        What is posted is still checked against ``projects``."""
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        field.queryset = projects
        if project_rows is not None:
            field.widget.choices = [("", field.empty_label), *((p.pk, field.label_from_instance(p)) for p in project_rows)]


class ReturnForm(_Form):
    text = forms.CharField(label=_("退回理由"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(_Form):
    note = forms.CharField(label=_("发布说明"), max_length=TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(_Form):
    file = forms.FileField(label=_("文件（XLSX、PDF 或表 JSON）"))
    department = forms.ModelChoiceField(label=_("保存到部门"), queryset=None, empty_label=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class TableHeaderForm(_Form):
    """The table's header lines (附件编号, 标题, 部门简称) and its money unit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    attachment = forms.CharField(label=_("附件编号"), max_length=50, required=False)
    title = forms.CharField(label=_("标题（留空则按年度和部门简称生成）"), max_length=300, required=False)
    department_short = forms.CharField(label=_("部门简称"), max_length=100, required=False)
    money_unit = forms.ChoiceField(label=_("金额单位"), choices=[("万元", "万元"), ("元", "元")])

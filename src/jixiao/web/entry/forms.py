"""Forms. Amounts are read with the core's money parser (Decimal, never float); every text
field has a length limit, so bad input is a field error and never a server error."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jixiao.core import checks, money, validation
from jixiao.core.model import IndicatorCell, IndicatorItem, Project
from jixiao.core.taxonomy import KIND_BY_KEY

from .. import language
from ..form_messages import OwnMessages
from ..widgets import PlainSelect
from . import convert

# Limits on what one field may hold: the bounds every way in shares (jixiao.core.validation,
# docs/table-json.md "Limits"), so the form, the imports and the database agree.
NAME_MAX = validation.TEXT_LIMITS["name"]
UNIT_MAX = validation.TEXT_LIMITS["unit_name"]
TEXT_MAX = validation.TEXT_LIMITS["annual_goal"]
CELL_MAX = validation.TEXT_LIMITS["indicator"]
AMOUNT_MAX = validation.AMOUNT_MAX
COMMENT_MAX = 5000  # a review comment, a return reason or a publication note
POINTS_MAX = Decimal(100)  # a 分值/得分 of one indicator never exceeds a form's total of 100
ITEMS_MAX = 60  # 三级 rows per 二级 cell (real forms have 1–6)
ITEM_COLUMNS = 6  # 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施


class _NumberField(forms.CharField):
    """An optional number typed as text (read with the core's money parser in ``clean``)."""

    css_class, default_length = "", 0

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", self.default_length)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "class": self.css_class, "autocomplete": "off"})


class AmountField(_NumberField):
    """A money amount: digits with optional thousands separators and decimals, not negative."""

    css_class, default_length = "amount", 40

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
        if amount.as_tuple().exponent < -validation.AMOUNT_PLACES:
            raise forms.ValidationError(_("金额最多保留 4 位小数。"), code="too_precise")
        if validation.significant_digits(amount) > validation.AMOUNT_DIGITS:
            raise forms.ValidationError(_("金额最多 15 位有效数字。"), code="too_many_digits")
        return amount


def _points(text: str) -> Decimal | None:
    """A 分值/得分 from 0 to 100 with at most 2 decimals, or None when blank; ValueError otherwise."""
    value = money.parse_amount(text)
    if value is not None and (not 0 <= value <= POINTS_MAX or value.as_tuple().exponent < -2):
        raise ValueError(text)
    return value


class PointsField(_NumberField):
    """An optional 分值: a number from 0 to 100 (Decimal)."""

    css_class, default_length = "points", 10

    def clean(self, value):
        text = super().clean(value)
        try:
            return _points(text)
        except ValueError:
            raise forms.ValidationError(_("分值应为 0 到 100 之间的数（最多两位小数）。"), code="bad_points") from None


def items_text(items: list[IndicatorItem]) -> str:
    """三级 rows as the form shows them: one per line, columns separated by ``|``."""
    lines = []
    for i in items:
        cols = [i.name, i.target, i.actual, "" if i.weight is None else str(i.weight),
                "" if i.published_score is None else str(i.published_score), i.note]
        while cols and not cols[-1]:
            cols.pop()
        lines.append(" | ".join(cols))
    return "\n".join(lines)


class ItemsField(forms.CharField):
    """A cell's 三级 rows, one per line: ``三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因``
    (trailing columns may be left out). Cleans to a list of IndicatorItem."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", CELL_MAX)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("validators", [printable_text("indicator")])
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "class": "items"}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        items = []
        lines = [line for line in (text or "").splitlines() if line.strip()]
        if len(lines) > ITEMS_MAX:
            raise forms.ValidationError(_("三级指标最多 %(n)s 行。") % {"n": ITEMS_MAX}, code="too_many_items")
        for number, line in enumerate(lines, 1):
            cols = [c.strip() for c in line.replace("｜", "|").split("|")]
            if len(cols) > ITEM_COLUMNS:
                raise forms.ValidationError(_("第 %(n)s 行多于 6 栏（栏目以 | 分隔）。") % {"n": number}, code="item_columns")
            cols += [""] * (ITEM_COLUMNS - len(cols))
            name, target, actual, weight, score, note = cols
            if not name and not target:
                raise forms.ValidationError(_("第 %(n)s 行缺少三级指标名称或指标值。") % {"n": number}, code="item_name")
            try:
                weight_value, score_value = _points(weight), _points(score)
            except ValueError:
                raise forms.ValidationError(_("第 %(n)s 行的分值或得分应为 0 到 100 之间的数。") % {"n": number},
                                            code="item_points") from None
            items.append(IndicatorItem(name=name, target=target, actual=actual, weight=weight_value,
                                       published_score=score_value, note=note))
        return items


def printable_text(field_name: str):
    """A validator refusing what no page, file or database column can hold: control characters
    other than tab and line breaks, and lone surrogates (jixiao.core.validation.text_problem)."""
    def check(value):
        problem = validation.text_problem(value, field_name=field_name, limit=len(value or ""))
        if problem is not None:
            raise forms.ValidationError(problem.message(get_language() or "zh"), code=problem.code)
    return check


def _text(label, field_name, rows=None, required=False, strip=False):
    """A text field with the bounds of ``field_name`` (jixiao.core.validation.TEXT_LIMITS)."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=validation.TEXT_LIMITS[field_name], required=required,
                           strip=strip, widget=widget, validators=[printable_text(field_name)])


def finding_slot(column: str) -> str:
    """The ProjectForm field a finding's column belongs beside (the review's gate links to it too)."""
    if column.startswith("indicators."):
        _, kind, *rest = column.split(".")
        part = rest[0] if rest and rest[0] in ("target", "actual") else "target"
        return f"ind_{kind}_{part}"
    if column in ("execution_rate", "execution_rate_text"):
        return "execution_rate_text"
    return column


class _Form(OwnMessages, forms.Form):
    label_suffix = ""  # Chinese labels take no trailing colon


class ProjectForm(_Form):
    """Every 附件2-3 field of one project, plus one target/actual pair per indicator column."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # The values the form started from, signed (jixiao.web.entry.merging): a save writes only
    # the fields changed since then, and merges with what others saved meanwhile.
    base = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    seq = forms.IntegerField(label=_("序号"), min_value=validation.SEQ_MIN, max_value=validation.SEQ_MAX)
    unit_name = _text(_("单位名称"), "unit_name")
    name = _text(_("项目名称"), "name", required=True)
    gov_investment = forms.TypedChoiceField(
        label=_("是否政府投资项目"), required=False, empty_value=None,
        choices=[("", _("未填")), ("yes", _("是")), ("no", _("否"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v))
    budget = AmountField(label=_("项目年度预算金额"))
    actual_total = AmountField(label=_("实际支出金额合计"))
    actual_general_budget = AmountField(label=_("一般公共预算"))
    actual_gov_fund = AmountField(label=_("政府性基金预算"))
    actual_non_fiscal = AmountField(label=_("非财政拨款资金"))
    initial_budget = AmountField(label=_("年初预算数（自评表，选填）"))
    execution_rate_text = _text(_("预算支出执行率（表上填写）"), "execution_rate")
    annual_goal = _text(_("年初绩效目标"), "annual_goal", rows=3)
    overall_completion = _text(_("绩效目标整体完成情况"), "overall_completion", rows=3)
    problems = _text(_("项目执行中存在的问题"), "problems", rows=2)
    rectification = _text(_("整改情况"), "rectification", rows=2)

    def __init__(self, *args, layout: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        for key in layout:
            self.fields.update({
                f"ind_{key}_target": _text(_("年度指标内容"), "indicator", rows=2),
                f"ind_{key}_actual": _text(_("完成情况"), "indicator", rows=2),
                f"ind_{key}_weight": PointsField(label=_("分值")),
                f"ind_{key}_na": forms.BooleanField(label=_("不适用"), required=False),
                f"ind_{key}_na_reason": _text(_("不适用理由"), "indicator"),
                f"ind_{key}_items": ItemsField(label=_(
                    "三级指标，每行一项：名称 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因（有此栏时，年度指标内容和完成情况由各行生成）")),
            })
        self.fields["name"].widget.attrs["class"] = "wide"

    @staticmethod
    def initial_from(project) -> dict:
        """Initial values from a stored project (model instance).

        Every indicator column has its values, a column with no stored cell empty ones: a
        three-way merge then sees filling an empty column as a change of the editor's own,
        not as a field the stored project lacks."""
        data = {f: getattr(project, f) for f in (*convert.PLAIN_FIELDS, "version")}
        data["gov_investment"] = {True: "yes", False: "no"}.get(project.gov_investment, "")
        amounts = {f: getattr(project, f) for f in convert.AMOUNTS}
        data.update({f: "" if v is None else money.format_amount(v) for f, v in amounts.items()})
        cells = convert.indicators_to_core(project.indicators)
        for key in {**dict.fromkeys(KIND_BY_KEY), **cells}:
            cell = cells.get(key) or IndicatorCell()
            data.update({f"ind_{key}_target": cell.target, f"ind_{key}_actual": cell.actual,
                         f"ind_{key}_weight": "" if cell.weight is None else str(cell.weight),
                         f"ind_{key}_items": items_text(cell.items), f"ind_{key}_na": cell.not_applicable,
                         f"ind_{key}_na_reason": cell.na_reason})
        return data

    def clean(self):
        """A cell marked 不适用 needs its reason; marked from a target that says why
        (「无（本项目不涉及生态效益）」, the 「标记为不适用」 button), the reason is taken from it."""
        d = super().clean()
        for key in self.layout:
            if not d.get(f"ind_{key}_na"):
                continue
            reason = (d.get(f"ind_{key}_na_reason") or "").strip()
            target = d.get(f"ind_{key}_target") or ""
            if not reason and checks.reads_not_applicable(target):
                reason = checks.not_applicable_reason(target)
            if reason:
                d[f"ind_{key}_na_reason"] = reason
            else:
                self.add_error(f"ind_{key}_na_reason", _("标记为不适用时请说明理由，如“本项目不涉及生态效益”。"))
        return d

    def indicator_rows(self):
        """(kind, target, actual, 分值, 三级 rows, 不适用, its reason) bound fields per column, for the template."""
        return [(KIND_BY_KEY[k], self[f"ind_{k}_target"], self[f"ind_{k}_actual"], self[f"ind_{k}_weight"],
                 self[f"ind_{k}_items"], self[f"ind_{k}_na"], self[f"ind_{k}_na_reason"]) for k in self.layout]

    def to_core(self, keep_indicators: dict | None = None, overrides=None, published=None) -> Project:
        """The cleaned data as a core Project. Cells of kinds outside the layout are kept, and so
        are the ``published`` scores of an imported form (the form does not edit them)."""
        d = self.cleaned_data
        cells = {k: c for k, c in convert.indicators_to_core(keep_indicators).items() if k not in self.layout}
        for key in self.layout:
            target, actual = d.get(f"ind_{key}_target", ""), d.get(f"ind_{key}_actual", "")
            weight, items = d.get(f"ind_{key}_weight"), d.get(f"ind_{key}_items") or []
            if d.get(f"ind_{key}_na"):  # not applicable: its texts are ignored (docs/web.md)
                cells[key] = IndicatorCell(weight=weight, not_applicable=True,
                                           na_reason=(d.get(f"ind_{key}_na_reason") or "").strip())
            elif items:
                cells[key] = IndicatorCell.of_items(items, weight=weight)
            elif target or actual or weight is not None:
                cells[key] = IndicatorCell(target=target, actual=actual, weight=weight)
        values = {f: d.get(f) for f in (*convert.PLAIN_FIELDS, *convert.AMOUNTS)}
        values["execution_rate_text"] = values["execution_rate_text"].strip()
        return Project(**values, indicators=cells, overrides=list(overrides or []), published=published)


class NewTableForm(_Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, empty_label=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class CommentForm(_Form):
    text = forms.CharField(label=_("审核意见"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
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
    text = forms.CharField(label=_("退回理由"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(_Form):
    note = forms.CharField(label=_("发布说明"), max_length=COMMENT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("更正理由（公开）"), max_length=COMMENT_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, correction=False, **kwargs):
        """``correction``: the table was published before, so this publication corrects the
        latest one and the reason is required."""
        super().__init__(*args, **kwargs)
        if correction:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("更正须填写理由（公开页面显示）。")
        else:
            del self.fields["reason"]


class ImportForm(_Form):
    """An upload, the department it is for and the year it goes into: the department's table of
    that year (its draft) — whatever year the file itself names; blank = the file's year."""

    file = forms.FileField(label=_("文件（XLSX、PDF 或表 JSON）"))
    department = forms.ModelChoiceField(label=_("保存到部门"), queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label=_("导入到年度"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, departments, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["year"].choices = [("", _("按文件中的年度")), *((y, str(y)) for y in years)]


class TableHeaderForm(_Form):
    """The table's header lines (附件编号, 标题, 部门简称) and its money unit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    attachment = _text(_("附件编号"), "attachment", strip=True)
    title = _text(_("标题（留空则按年度和部门简称生成）"), "title", strip=True)
    department_short = _text(_("部门简称"), "department_short", strip=True)
    money_unit = forms.ChoiceField(label=_("金额单位"), choices=[(u, language.UNIT_LABELS[u]) for u in ("万元", "元")])

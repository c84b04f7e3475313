"""The target forms: a project's funds and goal, its indicators as structured fields.

Every field has a length limit and amounts reuse the entry form's money field, so hostile
input is a field error (a 4xx page), never a server error. The one-cell target (``≥95%``)
an editor pastes is read on the server by the core (:func:`indicator_from_text`) into
指标性质, 指标值 and 度量单位, and shown back for the editor to confirm before saving.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.core.target_sheet import BASIS_NAMES, NATURE_NAMES_EN, NATURE_SYMBOLS, TargetIndicator, indicator_from_text
from jixiao.core.taxonomy import KIND_BY_KEY
from jixiao.web import language
from jixiao.web.entry.forms import COMMENT_MAX, NAME_MAX, TEXT_MAX, UNIT_MAX, AmountField

from .templatetags.targets_labels import basis_label, kind_label

INDICATORS_MAX = 100  # 三级 rows of one project (real forms have 6–30; the 77-row form in tests/formats fits)
CELL_MAX = 300


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=NAME_MAX)
    department_name = forms.CharField(label=_("主管部门"), max_length=UNIT_MAX, required=False)
    unit = forms.CharField(label=_("实施单位"), max_length=UNIT_MAX, required=False)
    total = AmountField(label=_("年度资金总额"))
    fiscal = AmountField(label=_("其中：财政拨款"))
    other = AmountField(label=_("其他资金"))
    goal = forms.CharField(label=_("年度总体目标"), max_length=TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


# A blank first choice: an extra row left empty stays unchanged (and is skipped). Callables: the
# names follow the page's language, chosen per request (the labels the pages show).
def kind_choices():
    return [("", "—")] + [(k, kind_label(k)) for k in KIND_BY_KEY]


def nature_choices():
    if language.is_english():
        return [("", "—")] + [(k, "qualitative" if k == "qualitative" else f"{v} ({NATURE_NAMES_EN[k]})")
                              for k, v in NATURE_SYMBOLS.items()]
    return [("", "—")] + list(NATURE_SYMBOLS.items())


def basis_choices():
    return [("", "—")] + [(k, basis_label(k)) for k in BASIS_NAMES]


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("一级/二级指标"), choices=kind_choices)
    name = forms.CharField(label=_("三级指标"), max_length=CELL_MAX)
    text = forms.CharField(label=_("粘贴目标"), max_length=CELL_MAX, required=False,
                           help_text=_("如 ≥95%：读取后填入指标性质、指标值和度量单位"))
    nature = forms.ChoiceField(label=_("指标性质"), required=False, choices=nature_choices)
    value = forms.CharField(label=_("指标值"), max_length=CELL_MAX, required=False)
    unit = forms.CharField(label=_("度量单位"), max_length=30, required=False)
    weight = forms.DecimalField(label=_("分值"), required=False, min_value=Decimal(0), max_value=Decimal(100),
                                max_digits=8, decimal_places=2)
    basis = forms.ChoiceField(label=_("指标值设定依据"), required=False, choices=basis_choices)
    last_actual = forms.CharField(label=_("上年实际完成值"), max_length=CELL_MAX, required=False)

    def indicator(self) -> TargetIndicator:
        d = self.cleaned_data
        return TargetIndicator(kind=d["kind"], name=d["name"], nature=d["nature"] or None, value=d["value"],
                               unit=d["unit"], weight=d["weight"], basis=d["basis"] or None,
                               last_actual=d["last_actual"])


class BaseIndicatorFormSet(forms.BaseFormSet):
    def indicators(self) -> list[TargetIndicator]:
        return [f.indicator() for f in self.forms
                if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")]


def indicator_formset(extra: int):
    """The indicator rows: the project's, then ``extra`` empty ones (left empty, they are skipped)."""
    return forms.formset_factory(IndicatorForm, formset=BaseIndicatorFormSet, extra=extra, can_delete=True,
                                 max_num=INDICATORS_MAX, validate_max=True, absolute_max=INDICATORS_MAX)


# A new project gets rows for a typical form (数量, 质量, 时效, 成本, 效益, 满意度 …); an edited one a few more.
IndicatorFormSet = indicator_formset(3)
NewIndicatorFormSet = indicator_formset(8)


def read_pasted(data, prefix: str = "ind") -> tuple[dict, int]:
    """The POSTed data with every pasted target read into its fields (the paste then cleared),
    and how many were read. Rows beyond the formset's bound are not looked at."""
    data = data.copy()
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), INDICATORS_MAX)
    except ValueError:
        return data, 0
    read = 0
    for i in range(total):
        p = f"{prefix}-{i}-"
        text = str(data.get(p + "text", "")).strip()[:CELL_MAX]
        kind = data.get(p + "kind", "")
        if not text or kind not in KIND_BY_KEY:
            continue
        ind = indicator_from_text(kind, str(data.get(p + "name", ""))[:CELL_MAX], text)
        data[p + "nature"] = ind.nature or ""
        data[p + "value"] = ind.value[:CELL_MAX]
        data[p + "unit"] = ind.unit[:30]
        data[p + "text"] = ""
        read += 1
    return data, read


class _DepartmentForm(forms.Form):
    """For one of ``departments`` (those the user may create a sheet for)."""

    department = forms.ModelChoiceField(label=_("部门"), queryset=None)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class NewSheetForm(_DepartmentForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class ReasonForm(forms.Form):
    """One reason of a return: on the whole sheet (project blank) or on one project."""

    project = forms.TypedChoiceField(label=_("项目"), coerce=int, required=False, empty_value=None)
    code = forms.ChoiceField(label=_("问题代码"), required=False)
    text = forms.CharField(label=_("退回理由"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects=(), codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("整张表"))] + [(p.pk, f"{p.seq}. {p.name}") for p in projects]
        self.fields["code"].choices = [("", "—")] + [(c, c) for c in codes]


class ImportForm(_DepartmentForm):
    file = forms.FileField(label=_("绩效目标表文件（XLSX、PDF 或文本）"))
    field_order = ["file", "department"]


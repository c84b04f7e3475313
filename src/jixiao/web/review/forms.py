"""The reviewer's override form: a score within the item's weight and a mandatory reason.

Bad input (text, a negative score, more than the weight, more than 2 decimals, an empty or
over-long reason, NUL characters) is a field error, never a server error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.web.entry.forms import printable_text
from jixiao.web.form_messages import OwnMessages

from .gates import EXPLANATION_MAX
from .overrides import REASON_MAX


class OverrideForm(OwnMessages, forms.Form):
    """One item's override; ``prefix`` is the item key, so every item's form has its own ids."""

    label_suffix = ""

    score = forms.CharField(label=_("调整后得分"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                          "size": 7}))
    reason = forms.CharField(label=_("调整理由"), max_length=REASON_MAX, strip=True,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             validators=[printable_text("override_reason")])  # the bounds every way in shares

    def __init__(self, *args, weight: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight = weight
        self.fields["score"].help_text = _("0 至 %(w)s 分，最多 2 位小数") % {"w": weight}

    def clean_score(self) -> Decimal:
        text = self.cleaned_data["score"].strip().replace("．", ".")  # a full-width point from a Chinese IME
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():  # not a number, NaN or Infinity
            raise forms.ValidationError(_("请输入数字得分（例如 8.5）。"), code="not_a_number")
        if value < 0 or value > self.weight:
            raise forms.ValidationError(_("得分应在 0 至 %(w)s 分之间。") % {"w": self.weight}, code="out_of_range")
        if value.as_tuple().exponent < -2:
            raise forms.ValidationError(_("得分最多保留 2 位小数。"), code="too_precise")
        return value.quantize(Decimal("0.01"))


class ExplanationForm(OwnMessages, forms.Form):
    """The department's written explanation of each open warning (review/gates.py), one
    required text per warning; the field names come from the warnings' keys."""

    label_suffix = ""

    def __init__(self, *args, gate, **kwargs):
        self.gate = gate
        self.base_fields = {w.field_name: forms.CharField(  # this form's own, before Form copies them
            label=_("说明"), max_length=EXPLANATION_MAX, strip=True,
            widget=forms.Textarea(attrs={"rows": 2}), validators=[printable_text("explanation")],
            error_messages={"required": _("请说明这条警告（为什么如此填报，或为何无需修改）。")}) for w in gate.warnings}
        super().__init__(*args, **kwargs)

    def explanations(self) -> dict[str, str]:
        """Each warning's explanation by its key (the form validated)."""
        return {w.key: self.cleaned_data.get(w.field_name, "") for w in self.gate.warnings}


class WithdrawForm(OwnMessages, forms.Form):
    """The public reason of a withdrawal, and the publication it is meant for (refused when
    another was published meanwhile)."""

    label_suffix = ""

    reason = forms.CharField(label=_("撤回理由（公开）"), max_length=EXPLANATION_MAX, strip=True,
                             widget=forms.Textarea(attrs={"rows": 3}), validators=[printable_text("reason")],
                             error_messages={"required": _("撤回须填写理由（公开页面显示）。")})
    publication = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

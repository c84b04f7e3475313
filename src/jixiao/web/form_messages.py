"""Django's stock form validation messages in the app's own wording, from the app's catalogue.

Django's built-in length and range messages ("Ensure this value has at most 5000 characters
(it has 5001).", "确保该变量包含不超过 5000 字符") read like a framework talking, not like the
rest of the forms; ``OwnMessages`` gives every field of a form plain ones, Chinese in the Chinese
UI and English in the English UI (locale/en). The limits and counts are Django's own parameters,
so the numbers are always the field's. Messages Django already words plainly in both languages
(required: 这个字段是必填项。/ This field is required.; an invalid choice) stay Django's.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

_VALIDATOR_MESSAGES = {
    validators.MaxLengthValidator: ngettext_lazy("最多 %(limit_value)d 个字符，现有 %(show_value)d 个。",
                                                 "最多 %(limit_value)d 个字符，现有 %(show_value)d 个。", "limit_value"),
    validators.MinLengthValidator: ngettext_lazy("至少 %(limit_value)d 个字符，现有 %(show_value)d 个。",
                                                 "至少 %(limit_value)d 个字符，现有 %(show_value)d 个。", "limit_value"),
    validators.MaxValueValidator: _("不能大于 %(limit_value)s。"),
    validators.MinValueValidator: _("不能小于 %(limit_value)s。"),
}
INTEGER_INVALID = _("请输入整数。")


class OwnMessages:
    """Mixin for a ``forms.Form``: its fields' stock messages in the app's wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = INTEGER_INVALID
            # A field's validators list is its own copy per form; the validators are replaced,
            # never changed, because Django shares them between the form's instances.
            field.validators = [_own(v) for v in field.validators]


def _own(validator):
    message = _VALIDATOR_MESSAGES.get(type(validator))
    return validator if message is None else type(validator)(validator.limit_value, message=message)

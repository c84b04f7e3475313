"""Small template helpers: dictionary lookup, amounts and rates formatted by the core."""

from django import template

from django.utils.translation import gettext_lazy as _

from jixiao.core import money

register = template.Library()


@register.filter
def lookup(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def amount(value):
    return money.format_amount(value)


@register.filter
def severity_zh(value):
    return SEVERITY.get(value, value)


SEVERITY = {"error": _("错误"), "warning": _("警告"), "info": _("提示")}

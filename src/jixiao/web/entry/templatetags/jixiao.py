"""Small template helpers: dictionary lookup, amounts and rates formatted by the core, and the
labels of the application's own words (not the table's data) in the page's language."""

from django import template

from jixiao.core.model import printed_texts
from jixiao.core.reasons import render
from jixiao.web import language

register = template.Library()


@register.filter
def lookup(mapping, key):
    try:  # None or any other value without .get: nothing
        return mapping.get(key)
    except AttributeError:
        return None


register.filter("amount", language.format_amount)  # 2 decimals, separators of the active language
register.filter("bilingual", language.bilingual)  # message_zh, or message_en in English
register.filter("grade_label", language.grade_label)
register.filter("unit_label", language.unit_label)  # 万元 / 10,000 yuan
register.filter("indicator_name", language.indicator_name)  # 产出指标 / Output indicators
register.filter("attachment_label", language.attachment_label)  # 附件2-3, a word of the application


@register.filter
def reason(value):
    # A score reason (a code and its parameters: jixiao.core.reasons) in the page's language;
    # as ``formula``, a scoring rule's formula (Chinese as printed on the MoF form, or English).
    return render(value, "en" if language.is_english() else "zh")


register.filter("formula", reason)


@register.filter
def cell_target(cell):
    # 年度指标内容 as every output prints it: 「不适用（理由）」 for a cell marked not applicable.
    return printed_texts(cell, "en" if language.is_english() else "zh")[0]


@register.filter
def cell_actual(cell):
    # 完成情况 as every output prints it: 「不适用」 for a cell marked not applicable.
    return printed_texts(cell, "en" if language.is_english() else "zh")[1]

"""Labels of the target fields in the page's language (the taxonomy and the core's names)."""

from django import template

from jixiao.core.target_sheet import BASIS_NAMES, BASIS_NAMES_EN, NATURE_NAMES_EN, NATURE_SYMBOLS
from jixiao.core.taxonomy import KIND_BY_KEY
from jixiao.web import language

register = template.Library()


@register.filter
def kind_label(key):
    kind = KIND_BY_KEY.get(key)
    if kind is None:
        return key
    if language.is_english():
        return f"{kind.category.name_en} · {kind.name_en}"
    return f"{kind.category.name} · {kind.name}"


@register.filter
def nature_label(key):
    if not key:
        return ""
    return NATURE_NAMES_EN.get(key, key) if language.is_english() else NATURE_SYMBOLS.get(key, key)


@register.filter
def basis_label(key):
    if not key:
        return ""
    return BASIS_NAMES_EN.get(key, key) if language.is_english() else BASIS_NAMES.get(key, key)

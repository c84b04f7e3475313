"""The UI language: which one a request gets, and values shown in it.

Simplified Chinese is the default and the authoritative language of every published table;
English is a translation the visitor chooses with the switch in the page header (Django's
``set_language`` view, which stores the choice in the ``django_language`` cookie). By default
the browser's Accept-Language is *not* consulted, so a bureau's pages never change language by
themselves; ``JIXIAO_LANGUAGE_FROM_BROWSER=1`` restores Django's usual negotiation.

Amounts keep their exact ``Decimal`` value: they are rounded half-up to 2 decimals by the core
and only then given the language's separators, so localisation never changes a digit.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import formats, translation
from django.utils.cache import patch_vary_headers

from jixiao.core import money


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, deciding from the chosen language (cookie) only, unless
    ``JIXIAO_LANGUAGE_FROM_BROWSER`` asks for Accept-Language negotiation too."""

    def process_request(self, request):
        if settings.JIXIAO_LANGUAGE_FROM_BROWSER:
            return super().process_request(request)
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # The page depends on the language cookie: shared caches must not mix languages.
        patch_vary_headers(response, ("Cookie",))
        return response


def chosen_language(request) -> str:
    """The language in the visitor's cookie when it is one we offer, else the default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def is_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def format_amount(value: Decimal | None) -> str:
    """Money with exactly 2 decimals (half-up, by the core) in the active language's style:
    ``1234567.80`` in Chinese (as the tables print), ``1,234,567.80`` in English."""
    if value is None:
        return ""
    text = money.format_amount(value)
    # number_format works on the decimal string of a Decimal (no float), and with decimal_pos=2
    # on a value that already has 2 places it only inserts separators.
    return formats.number_format(Decimal(text), decimal_pos=2, use_l10n=True, force_grouping=True)


def bilingual(obj, name: str = "message") -> str:
    """``obj.<name>_en`` in English when it is there, else ``obj.<name>_zh`` (findings, errors
    and check titles carry both texts). Works on objects and on dicts."""
    def get(suffix):
        key = f"{name}_{suffix}"
        if isinstance(obj, dict):
            return obj.get(key)
        return getattr(obj, key, None)

    if is_english():
        en = get("en")
        if en:
            return en
    return get("zh") or ""


# The grades the core's scoring gives (优/良/中/差) are data; these are their labels in the UI.
GRADE_LABELS = {
    "优": translation.pgettext_lazy("grade", "优"),
    "良": translation.pgettext_lazy("grade", "良"),
    "中": translation.pgettext_lazy("grade", "中"),
    "差": translation.pgettext_lazy("grade", "差"),
}


def grade_label(grade: str | None) -> str:
    if not grade:
        return ""
    return str(GRADE_LABELS.get(grade, grade))


# Money units are data (MoneyUnit values); these are their labels in the UI.
UNIT_LABELS = {
    "元": translation.pgettext_lazy("money unit", "元"),
    "万元": translation.pgettext_lazy("money unit", "万元"),
}


def unit_label(unit) -> str:
    value = getattr(unit, "value", unit) or ""
    return str(UNIT_LABELS.get(value, value))


def indicator_name(item) -> str:
    """A 一级/二级指标 (core taxonomy Category or Kind) in the page's language:
    产出指标 / Output indicators, 数量指标 / Quantity indicators."""
    if item is None:
        return ""
    if is_english() and getattr(item, "name_en", ""):
        return f"{item.name_en} indicators"  # the core's English name (jixiao.core.taxonomy)
    return item.name


_ATTACHMENT = re.compile(r"附件\s*([0-9A-Za-z][0-9A-Za-z.\-—–]*)")


def attachment_label(text: str | None) -> str:
    """A table's attachment line (附件2-3, as the bureau numbers the tables it publishes) in the
    page's language: ``Attachment 2-3`` in English. Any other wording is the table's own text
    and is shown as entered."""
    if not text:
        return ""
    if is_english():
        m = _ATTACHMENT.fullmatch(text.strip())
        if m:
            return translation.gettext("附件 %(number)s") % {"number": m.group(1)}
    return text


# A finding's severity (the core's error / warning / info) as the UI and the exports name it.
SEVERITY_LABELS = {
    "error": translation.gettext_lazy("错误"),
    "warning": translation.gettext_lazy("警告"),
    "info": translation.gettext_lazy("提示"),
}


def severity_label(severity: str | None) -> str:
    return str(SEVERITY_LABELS.get(severity or "", severity or ""))

"""The UI language: which one a request gets, and values shown in it.

Simplified Chinese is the default and the authoritative language of every published table;
English is a translation the visitor chooses with the switch in the page header: a link per
language to :func:`switch` (``/i18n/<code>/?next=<page>``), a GET that stores the choice in the
``django_language`` cookie and sends the visitor back to the page. A link, not a form posted
with a CSRF token (Django's ``set_language``), so that a public page carries no token and sets
no CSRF cookie and a shared cache may keep it (docs/web.md, "Public pages"); choosing a
language changes nothing but that preference cookie, so a GET is enough. By default
the browser's Accept-Language is *not* consulted, so a bureau's pages never change language by
themselves; ``JIXIAO_LANGUAGE_FROM_BROWSER=1`` restores Django's usual negotiation.

Amounts keep their exact ``Decimal`` value: they are rounded half-up to 2 decimals by the core
and only then given the language's separators, so localisation never changes a digit.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import formats, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from jixiao.core import money


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, deciding from the chosen language (cookie) only, unless
    ``JIXIAO_LANGUAGE_FROM_BROWSER`` asks for Accept-Language negotiation too."""

    def process_request(self, request):
        if settings.JIXIAO_LANGUAGE_FROM_BROWSER:
            return super().process_request(request)
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:  # the cookie's language when we offer it (LookupError for no cookie, too), else the default
            code = translation.get_supported_language_variant(code)
        except LookupError:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if settings.JIXIAO_LANGUAGE_FROM_BROWSER:
            response = super().process_response(request, response)  # adds Vary: Accept-Language
        else:
            # Accept-Language is not read, so it is not named in Vary: a shared cache keeps one
            # copy per language cookie, not one per browser.
            response.headers.setdefault("Content-Language", translation.get_language())
        # The page depends on the language cookie: shared caches must not mix languages.
        patch_vary_headers(response, ("Cookie",))
        return response


@require_safe
def switch(request, code):
    """The header's language link: store ``code`` in the language cookie (as Django's
    ``set_language`` does) and go back to ``next`` — a path on this site, else the home page."""
    if code not in dict(settings.LANGUAGES):
        raise Http404(code)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    add_never_cache_headers(response)
    return response


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
        return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)

    return (is_english() and get("en")) or get("zh") or ""


def _labeller(labels: dict):
    """The function giving a value's label in the UI (the value itself when it has none; "" for None)."""
    def label(value) -> str:
        value = getattr(value, "value", value)  # an enum member (MoneyUnit) by its value
        return str(labels.get(value or "", value or ""))

    return label


# The grades the core's scoring gives (优/良/中/差) are data; these are their labels in the UI.
GRADE_LABELS = {
    "优": translation.pgettext_lazy("grade", "优"),
    "良": translation.pgettext_lazy("grade", "良"),
    "中": translation.pgettext_lazy("grade", "中"),
    "差": translation.pgettext_lazy("grade", "差"),
}
grade_label = _labeller(GRADE_LABELS)


# Money units are data (MoneyUnit values); these are their labels in the UI.
UNIT_LABELS = {
    "元": translation.pgettext_lazy("money unit", "元"),
    "万元": translation.pgettext_lazy("money unit", "万元"),
}
unit_label = _labeller(UNIT_LABELS)


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
severity_label = _labeller(SEVERITY_LABELS)

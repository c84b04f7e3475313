"""English UI: the catalogue is complete and compiled, the switch changes the language of every
page (anonymous and logged in), and amounts and dates follow the chosen language without
changing a digit of a Decimal.

The completeness test extracts the message IDs the way a translator would (Django's
``makemessages`` into a temporary copy of the web package and its locale folder), so a template
or Python string marked for translation without an English text fails here. It needs GNU
gettext (``scripts/setup.sh --dev`` installs it).
"""

from __future__ import annotations

import gettext as stdlib_gettext
import html
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import engines
from django.template.base import Lexer, TokenType
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

import jixiao.web
from jixiao.web import language

from .conftest import explain_all, make_project

WEB = Path(jixiao.web.__file__).resolve().parent
LOCALE = WEB / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def need_gettext():
    missing = [tool for tool in ("xgettext", "msgmerge", "msgattrib", "msgfmt") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"GNU gettext is not installed ({', '.join(missing)}): run scripts/setup.sh --dev "
                    "or apt-get install gettext")


def entries(po: Path, *flags: str) -> list[str]:
    """The msgids of ``po`` selected by msgattrib ``flags`` (header excluded)."""
    out = subprocess.run(["msgattrib", "--no-wrap", "--no-location", *flags, str(po)], check=True,
                         capture_output=True, text=True).stdout
    ids = re.findall(r'^msgid "(.*)"$', out, flags=re.M)
    return [i for i in ids if i]


# --- the catalogue -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """makemessages run over a copy of the web package, merged into a copy of its catalogue."""
    need_gettext()
    copy = tmp_path_factory.mktemp("i18n") / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    before = PO.read_bytes()
    cwd = Path.cwd()
    try:
        import os

        os.chdir(copy)
        call_command("makemessages", locale=["en"], add_location="file", no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
    assert PO.read_bytes() == before, "the extraction must not touch the committed catalogue"
    return copy / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_marked_string_has_an_english_translation(extracted):
    untranslated = entries(extracted, "--untranslated")
    fuzzy = entries(extracted, "--only-fuzzy")
    assert not untranslated, f"no English text (run the commands in docs/i18n.md): {untranslated}"
    assert not fuzzy, f"fuzzy (guessed) English text, to check and unflag: {fuzzy}"
    assert len(entries(extracted)) > 300  # the extraction really found the UI


def test_committed_catalogue_has_no_stale_or_missing_entries(extracted):
    assert set(entries(PO)) == set(entries(extracted)), "re-run makemessages (docs/i18n.md)"


def test_compiled_catalogue_is_up_to_date(tmp_path):
    need_gettext()
    fresh = tmp_path / "django.mo"
    # --check also verifies that every %(name)s placeholder survives in the translation.
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True, capture_output=True)
    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        got = stdlib_gettext.GNUTranslations(committed)._catalog
        want = stdlib_gettext.GNUTranslations(compiled)._catalog
    assert got == want, "django.mo is older than django.po: run compilemessages (docs/i18n.md)"


def _visible_text(template_source: str):
    """Text of a template outside {% translate %}/{% blocktranslate %}, with link targets removed."""
    inside_block = False
    for token in Lexer(template_source).tokenize():
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents else ""
            if word in ("blocktranslate", "blocktrans"):
                inside_block = True
            elif word in ("endblocktranslate", "endblocktrans"):
                inside_block = False
        elif token.token_type == TokenType.TEXT and not inside_block:
            text = re.sub(r'\b(href|src|action)="[^"]*"', "", token.contents)
            yield re.sub(r'(&amp;|[?&])[\w-]+=[^"&<\s]*', "", text)  # query strings of links


def test_templates_have_no_chinese_text_outside_translation_tags():
    allowed = {"绩"}  # the emblem in the header is a logo, not a word to translate
    offenders = []
    for path in sorted(WEB.glob("*/templates/**/*.html")):
        for text in _visible_text(path.read_text(encoding="utf-8")):
            found = set(CJK.findall(text)) - allowed
            if found:
                offenders.append(f"{path.relative_to(WEB)}: {text.strip()[:60]!r}")
    assert not offenders, "untranslatable text in templates:\n" + "\n".join(offenders)


def test_the_check_finds_an_untranslated_template_string():
    # The lexer check is real: a bare Chinese word is reported, a translated one is not.
    assert list(_visible_text("<p>草稿</p>")) and CJK.search("".join(_visible_text("<p>草稿</p>")))
    src = '{% load i18n %}<p>{% translate "草稿" %}</p>{% blocktranslate %}第 {{ n }} 轮{% endblocktranslate %}'
    assert not CJK.search("".join(_visible_text(src)))


def test_scripts_carry_no_chinese_text():
    # Text shown by our scripts comes from the page or from JSON built with gettext; a Chinese
    # literal in a script would never be translated (vendored libraries excluded).
    for path in WEB.glob("*/static/**/*.js"):
        if "vendor" not in path.parts:
            assert not CJK.search(path.read_text(encoding="utf-8")), path


# --- amounts and dates ---------------------------------------------------------------------

@pytest.mark.parametrize("value, zh, en", [
    (Decimal("1234567.8"), "1234567.80", "1,234,567.80"),
    (Decimal("2.675"), "2.68", "2.68"),            # half-up on the Decimal (a float gives 2.67)
    (Decimal("0.005"), "0.01", "0.01"),
    (Decimal("999.995"), "1000.00", "1,000.00"),
    (Decimal("-1234.5"), "-1234.50", "-1,234.50"),
    (Decimal("123456789012345.6789"), "123456789012345.68", "123,456,789,012,345.68"),
    (Decimal("0"), "0.00", "0.00"),
    (None, "", ""),
])
def test_amounts_keep_two_exact_decimals_in_both_languages(value, zh, en):
    with translation.override("zh-hans"):
        assert language.format_amount(value) == zh
    with translation.override("en"):
        assert language.format_amount(value) == en


def test_dates_follow_the_language():
    from datetime import datetime, timezone

    moment = datetime(2020, 5, 12, 6, 30, 5, tzinfo=timezone.utc)  # 14:30 in Shanghai
    tpl = engines["django"].from_string(
        '{{ t|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}')
    with translation.override("zh-hans"):
        assert tpl.render({"t": moment}) == "2020-05-12|2020-05-12 14:30|2020-05-12 14:30:05"
    with translation.override("en"):
        assert tpl.render({"t": moment}) == "12 May 2020|12 May 2020, 14:30|12 May 2020, 14:30:05"


def test_bilingual_messages_and_grades():
    from jixiao.core.money import MoneyUnit
    from jixiao.core.taxonomy import KIND_BY_KEY
    from jixiao.errors import InputError

    err = InputError("文件无法读取", "the file cannot be read")
    with translation.override("en"):
        assert language.bilingual(err) == "the file cannot be read"
        assert language.bilingual({"message_zh": "甲", "message_en": ""}) == "甲"  # no English: Chinese
        assert [language.grade_label(g) for g in "优良中差"] == ["Excellent", "Good", "Fair", "Poor"]
        assert language.unit_label("万元") == "10,000 yuan" and language.unit_label(MoneyUnit.YUAN) == "yuan"
        assert language.indicator_name(KIND_BY_KEY["quantity"]) == "Quantity indicators"
        assert language.indicator_name(KIND_BY_KEY["quantity"].category) == "Output indicators"
    with translation.override("zh-hans"):
        assert language.bilingual(err) == "文件无法读取"
        assert language.grade_label("良") == "良"
        assert language.unit_label("万元") == "万元"
        assert language.indicator_name(KIND_BY_KEY["quantity"]) == "数量指标"


# --- pages ---------------------------------------------------------------------------------

def lang_of(body: str) -> str:
    return re.search(r'<html lang="([^"]+)"', body).group(1)


def switch(client: Client, code: str, page: str):
    """Follow the header's language link on ``page`` as a browser would (a plain GET)."""
    body = client.get(page).content.decode()
    nav = re.search(r'<nav class="langswitch" id="langswitch".*?</nav>', body, flags=re.S)
    assert nav, "no language switch on " + page
    link = re.search(rf'<a href="([^"]+)"[^>]*hreflang="{code}"', nav.group(0))
    assert link, f"no link to {code} on {page}"
    return client.get(html.unescape(link.group(1)))


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_anonymous_visitor_switches_to_english_and_back(world, csrf_client):
    c = csrf_client
    login_url = reverse("accounts:login")
    zh = c.get(login_url).content.decode()
    assert lang_of(zh) == "zh-hans" and "用户登录" in zh
    r = switch(c, "en", login_url)
    assert r.status_code == 302 and r["Location"] == login_url  # back to the same page
    assert "no-store" in r["Cache-Control"]
    for url, english in ((login_url, "Log in"), (reverse("portal:index"), "Public portal"),
                         ("/no-such-page/", "Page not found")):
        r = c.get(url)
        body = r.content.decode()
        assert lang_of(body) == "en", url
        assert english in body, url
        assert "预算项目绩效自评管理系统" not in body and "公开查询" not in body, url
    assert c.get("/no-such-page/").status_code == 404
    r = switch(c, "zh-hans", reverse("portal:index"))
    assert r["Location"] == reverse("portal:index")
    body = c.get(login_url).content.decode()
    assert lang_of(body) == "zh-hans" and "用户登录" in body


def test_the_switch_is_a_link_that_marks_the_current_language(world, client):
    body = client.get(reverse("portal:index")).content.decode()
    nav = re.search(r'<nav class="langswitch" id="langswitch".*?</nav>', body, flags=re.S).group(0)
    assert "<form" not in nav and "csrfmiddlewaretoken" not in nav
    assert re.search(r'<a [^>]*hreflang="zh-hans" aria-current="true"', nav)
    assert not re.search(r'<a [^>]*hreflang="en" aria-current', nav)


def test_the_switch_returns_to_the_page_with_its_query_string(world, csrf_client):
    url = reverse("portal:index") + "?q=%E7%94%B2&year=2019"
    r = switch(csrf_client, "en", url)
    assert r.status_code == 302 and r["Location"] == url
    assert r.cookies["django_language"].value == "en"


def test_the_switch_refuses_a_language_not_offered_and_any_method_but_get(world, client):
    assert client.get(reverse("language", args=["fr"]) + "?next=/").status_code == 404
    r = client.post(reverse("language", args=["en"]), {"next": "/"})
    assert r.status_code == 405 and "django_language" not in r.cookies


def test_the_switch_never_redirects_to_another_site(world, client):
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        r = client.get(reverse("language", args=["en"]), {"next": bad})
        assert r.status_code == 302 and "evil.example" not in r["Location"], bad
        assert r["Location"] == "/"


@pytest.mark.slow
def test_logged_in_pages_in_english(world, csrf_client):
    from jixiao.web.review import workflow

    c = csrf_client
    c.force_login(world.users["editor"])
    table = world.tables["own"]
    # A project whose parts do not add up: the check's finding must be shown in English too.
    bad = make_project(table, seq=2, name="Training", budget=Decimal("1234567.8"), actual_total=Decimal("1000000"),
                       actual_general_budget=Decimal("900000"), execution_rate_text="81.00%")
    pages = {
        reverse("entry:home"): ("Self-evaluation tables", "自评表</a>"),
        reverse("entry:table", args=[table.pk]): ("Add a project", "新增项目"),
        reverse("entry:project", args=[bad.pk]): ("Save draft", "保存草稿"),
        reverse("entry:project_history", args=[bad.pk]): ("History", "修改历史"),
        reverse("entry:import"): ("Upload and preview", "上传并预览"),
    }
    for url, (_english, chinese) in pages.items():
        body = c.get(url).content.decode()
        assert lang_of(body) == "zh-hans" and chinese in body, url
    switch(c, "en", reverse("entry:home"))
    for url, (english, chinese) in pages.items():
        r = c.get(url)
        body = r.content.decode()
        assert r.status_code == 200, url
        assert lang_of(body) == "en" and english in body and chinese not in body, url
        assert "Log out" in body, url
        if not url.endswith(("/history/", "/import/")):
            assert "Draft" in body, url  # the table's state, a model choice label
    table_page = c.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert "1,234,567.80" in table_page and "1,000,000.00" in table_page  # amounts grouped in English
    project_page = c.get(reverse("entry:project", args=[bad.pk])).content.decode()
    finding = re.search(r"<b>JX101</b>([^<]*)</li>", project_page)
    assert finding and not CJK.search(finding.group(1)), "JX101 must be explained in English"
    c.force_login(world.users["approver"])
    with override_settings(JIXIAO_SUBMIT_BLOCKING=()):  # its JX101 stays, for the English pages
        workflow.submit(table, world.users["approver"], explanations=explain_all(table))
    # The dashboard and the table page cache rendered fragments: a Chinese visit first must not
    # leave its Chinese in the English page.
    zh = Client()
    zh.force_login(world.users["reviewer"])
    assert "部门对比" in zh.get(reverse("dashboard:index") + "?year=2019").content.decode()
    assert "执行率" in zh.get(reverse("entry:table", args=[table.pk])).content.decode()
    c.force_login(world.users["reviewer"])
    body = c.get(reverse("entry:table", args=[table.pk])).content.decode()
    assert "Execution rate" in body and "执行率" not in body
    body = c.get(reverse("dashboard:index") + "?year=2019").content.decode()
    assert "Department comparison" in body and "部门对比" not in body
    assert lang_of(body) == "en" and "Finance Bureau dashboard" in body and "财政局看板" not in body
    assert all(g in body for g in ("Excellent", "Good", "Fair", "Poor"))  # grades are data, shown translated
    chart = json.loads(html.unescape(re.search(r'<script id="dashboard-data"[^>]*>(.*?)</script>', body, re.S).group(1)))
    assert chart["grades"]["labels"] == ["Excellent", "Good", "Fair", "Poor"]  # the chart's labels too
    body = c.get(reverse("dashboard:projects") + "?year=2019").content.decode()
    assert "Budget (10,000 yuan)" in body and "预算金额（万元）" not in body  # column labels per request


def test_amounts_in_chinese_stay_as_the_tables_print_them(world, client):
    client.force_login(world.users["editor"])
    make_project(world.tables["own"], seq=2, budget=Decimal("1234567.8"), actual_total=Decimal("1000000"),
                 actual_general_budget=Decimal("1000000"), execution_rate_text="81.00%")
    body = client.get(reverse("entry:table", args=[world.tables["own"].pk])).content.decode()
    assert "1234567.80" in body and "1,234,567.80" not in body


def test_chinese_is_the_default_whatever_the_browser_asks(world, client):
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert lang_of(body) == "zh-hans"
    r = client.get(reverse("accounts:login"))
    assert "Cookie" in r["Vary"]  # caches keep the languages apart
    with override_settings(JIXIAO_LANGUAGE_FROM_BROWSER=True):
        body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert lang_of(body) == "en"


def test_an_unknown_language_cookie_falls_back_to_chinese(world, client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert lang_of(client.get(reverse("accounts:login")).content.decode()) == "zh-hans"

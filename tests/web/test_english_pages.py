"""The English UI is complete on the main pages: rendered with the language cookie ``en``, no
page shows Chinese (or full-width punctuation) except the users' own data.

Each main page (tests/web/main_pages.py: login, home, table, project form, history, import and
its preview, the review pages, the dashboard and the portal) is rendered by the Django test
client as its user sees it. Its visible text — text nodes outside <script>/<style>, and the
title, aria-label, placeholder and alt attributes — is taken, and the data is removed: every
text stored in the database (main_pages.data_values: names, table contents, comments,
snapshots), every quoted part “…” and a unit directly after a number (score reasons quote the
table's own words and amounts), the page's own query (a search), and whatever an element marks
as data with ``translate="no"`` (the parts of a cell the scorer splits out) or as Chinese with
``lang="zh-hans"`` (the language switch's 简体中文 button). What is left must hold no CJK
character: an untranslated label, a Chinese separator such as ``：`` or ``（``, or a core value
shown without its English label fails here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from jixiao.core import targets

from . import main_pages

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
QUOTED = re.compile(r"“[^“”]*”")
UNIT_AFTER_NUMBER = re.compile(r"(?<=[\d%])(?:" + "|".join(
    re.escape(u) for u in sorted(targets.UNITS, key=len, reverse=True)) + ")")
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ALLOWED = {"绩"}  # the emblem in the header: a logo, not a word


class VisibleText(HTMLParser):
    """Visible texts of a page, one per text node or attribute, outside scripts, styles and
    elements marked as data (``translate="no"``) or as Chinese (``lang="zh…"``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)

    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = (self.hidden() or tag in ("script", "style", "template")
                  or attrs.get("translate") == "no" or (attrs.get("lang") or "").lower().startswith("zh"))
        if not hidden:
            self.texts.extend(attrs[a] for a in ATTRIBUTES if attrs.get(a))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Pop to the matching tag (browsers forgive unclosed <p>, <li>, <td>…; so do we).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip() and not self.hidden():
            self.texts.append(data)


def untranslated(body: str, data: set[str]) -> list[str]:
    """The visible texts of ``body`` that still hold Chinese once the data is taken out."""
    parser = VisibleText()
    parser.feed(body)
    # Longest first, so a name is removed before a shorter name inside it.
    values = sorted((v for v in data if CHINESE.search(v)), key=len, reverse=True)
    left = []
    for text in parser.texts:
        rest = text
        for v in values:
            if v in rest:
                rest = rest.replace(v, " ")
        rest = UNIT_AFTER_NUMBER.sub(" ", QUOTED.sub(" ", rest))
        if set(CHINESE.findall(rest)) - ALLOWED:
            left.append(" ".join(rest.split())[:160])
    return left


@pytest.fixture
def pages(db, golden_path):
    return main_pages.build(golden_path, Client)


def test_every_main_page_in_english_has_no_chinese_outside_the_data(pages):
    world, main = pages
    data = main_pages.data_values()
    offenders, bodies = {}, {}
    for page in main:
        client = Client()
        client.cookies["django_language"] = "en"
        if page.role:
            client.force_login(world.users[page.role])
        r = client.get(page.url)
        assert r.status_code == 200, (page.name, r.status_code)
        body = bodies[page.name] = r.content.decode()
        assert '<html lang="en">' in body, page.name
        left = untranslated(body, data | set(page.query))
        if left:
            offenders[page.name] = left
    assert not offenders, "Chinese left in the English UI:\n" + "\n".join(
        f"{name}: {texts}" for name, texts in offenders.items())
    # The attachment line is stored with the table (附件2-3) but is the app's word: labelled.
    for name in ("table-editor", "portal-publication"):
        assert re.search(r'<p class="attachment">Attachment [\w-]+</p>', bodies[name]), name


@pytest.mark.parametrize("code, text, shown", [
    ("en", "附件2-3", "Attachment 2-3"), ("en", "附件 4", "Attachment 4"), ("zh-hans", "附件2-3", "附件2-3"),
    ("en", "附表：部门自评", "附表：部门自评"), ("en", "", ""),
])
def test_attachment_line_in_the_page_language(code, text, shown):
    from django.utils import translation

    from jixiao.web import language

    with translation.override(code):
        assert language.attachment_label(text) == shown


def test_the_check_finds_untranslated_words_and_spares_the_data():
    data = {"党建事务", "区工商联"}
    body = ('<html lang="en"><head><title>Tables</title><script>var s = "草稿";</script></head><body>'
            '<p>Budget（Unit: 10,000 yuan）</p><td>党建事务</td><p title="附件">x</p>'
            '<button lang="zh-hans">简体中文</button><p>Target “参加人数” ≥100人次 met</p><p>区工商联 · 草稿</p>'
            '<td translate="no">公务接待费5万元</td><span class="emblem">绩</span><input type="submit" value="保存">'
            '<p>100人次 达成</p></body></html>')
    assert untranslated(body, data) == ["Budget（Unit: 10,000 yuan）", "附件", "· 草稿", "保存", "100 达成"]

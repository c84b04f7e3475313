"""Django's stock validation messages speak the app's words in the page's language
(jixiao.web.form_messages): a review comment of 5,001 characters is refused in Chinese in the
Chinese UI and in English in the English UI, on the rendered page as on the form."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jixiao.web.entry.forms import COMMENT_MAX, CommentForm, ProjectForm
from jixiao.web.entry.models import Project

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@pytest.mark.parametrize("code, too_long, required, whole", [
    ("zh-hans", "最多 5000 个字符，现有 5001 个。", "这个字段是必填项。", "请输入整数。"),
    ("en", "At most 5000 characters; this text has 5001.", "This field is required.", "Enter a whole number."),
])
def test_stock_messages_in_the_page_language(code, too_long, required, whole):
    assert COMMENT_MAX == 5000
    with translation.override(code):
        form = CommentForm({"text": "x" * 5001}, projects=Project.objects.none())
        assert form.errors["text"] == [too_long]
        assert CommentForm({"text": ""}, projects=Project.objects.none()).errors["text"] == [required]
        form = ProjectForm({"seq": "1.5", "name": "甲"}, layout=())
        assert form.errors["seq"] == [whole]


def test_limits_are_the_fields_own_and_unchanged_for_other_forms():
    with translation.override("en"):
        form = ProjectForm({"seq": "0", "name": "x" * 1000}, layout=())
        assert form.errors["seq"][0].startswith("At least ")
        assert re.fullmatch(r"At most \d+ characters; this text has 1000\.", form.errors["name"][0])
    # Django's own validator objects are left alone: a plain form keeps Django's wording.
    from django import forms

    class Plain(forms.Form):
        text = forms.CharField(max_length=3)
    with translation.override("en"):
        assert Plain({"text": "abcd"}).errors["text"][0].startswith("Ensure this value")


def test_the_refused_comment_page_shows_the_message_in_each_language(make_world):
    world = make_world("submitted")
    table = world.tables["own"]
    for code, expected in (("zh-hans", "最多 5000 个字符，现有 5001 个。"),
                           ("en", "At most 5000 characters; this text has 5001.")):
        client = Client()
        client.cookies["django_language"] = code
        client.force_login(world.users["reviewer"])
        r = client.post(reverse("review:comment", args=[table.pk]), {"text": "x" * 5001}, follow=True)
        body = r.content.decode()
        assert expected in body, code
        if code == "en":
            assert not CJK.search(expected)

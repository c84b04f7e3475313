"""PlainSelect writes exactly the HTML of Django's template-rendered Select."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils.translation import gettext_lazy, override

from jixiao.web.entry.forms import CommentForm
from jixiao.web.entry.models import Project
from jixiao.web.widgets import PlainSelect

from .conftest import World

NASTY = '<script>alert("x")</script>&amp; \'quoted\' 项目'

CASES = [
    ("flat", [("", "整张表"), (1, "1. 培训"), (2, "2. " + NASTY)], None, {}),
    ("selected", [("", "—"), (1, "a"), (2, "b")], "2", {"id": "id_project", "class": "wide"}),
    ("selected int", [(1, "a"), (2, "b")], 1, {"required": True, "disabled": False, "data-x": 'a"b'}),
    ("lazy labels", [("", gettext_lazy("整张表")), ("x&y", gettext_lazy("项目"))], "x&y", {}),
    ("groups", [("甲 <组>", [(1, "a"), (2, "b")]), ("", "none"), ("乙", [(3, NASTY)])], "3", {"id": "g"}),
    ("empty", [], None, {}),
]


@pytest.mark.parametrize("name,choices,value,attrs", CASES, ids=[c[0] for c in CASES])
def test_same_html_as_django(name, choices, value, attrs):
    for lang in ("zh-hans", "en"):
        with override(lang):
            django_html = forms.Select(choices=choices).render("project", value, attrs=dict(attrs))
            plain_html = PlainSelect(choices=choices).render("project", value, attrs=dict(attrs))
            assert plain_html == django_html


def test_multiple_values_fall_back_to_django_semantics():
    # A Select takes one value; a list selects nothing unless its items match (Django's format_value).
    choices = [(1, "a"), (2, "b")]
    assert PlainSelect(choices=choices).render("p", ["2"]) == forms.Select(choices=choices).render("p", ["2"])


def test_comment_form_project_list(db):
    """The table page's comment form, given the table's projects already read, draws the same
    list (empty label, order, labels) as when it reads them itself."""
    world = World("submitted")
    table = world.tables["own"]
    Project.objects.create(table=table, seq=2, name=NASTY, budget=Decimal("1"), actual_total=Decimal("1"))
    projects = table.projects.all()
    rows = list(projects.order_by("seq", "pk"))
    assert len(rows) >= 2
    reading = CommentForm(projects=projects)
    given = CommentForm(projects=projects, project_rows=rows)
    assert isinstance(given.fields["project"].widget, PlainSelect)
    assert str(given["project"]) == str(reading["project"])
    expected = forms.Select(choices=list(reading.fields["project"].choices)).render(
        "project", None, attrs={"id": "id_project"})
    assert str(reading["project"]) == expected
    # and the POSTed value is still checked against the queryset
    bound = CommentForm({"text": "ok", "project": str(rows[-1].pk)}, projects=projects)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["project"] == rows[-1]
    other = CommentForm({"text": "ok", "project": "999999"}, projects=projects)
    assert not other.is_valid()

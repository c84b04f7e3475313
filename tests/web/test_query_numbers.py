"""Whole numbers in addresses and forms (``?year=``, ``?department=``, a new table's department):
only ASCII digits count. ``²`` and ``①`` are digits to ``str.isdigit`` but not to ``int``; such an
address used to answer 500 on the portal, the dashboard and the home page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.web.query import query_int

from .conftest import World


@pytest.mark.parametrize("value, number", [
    ("2024", 2024), ("007", 7), ("999999999", 999999999), ("1000000000", None), ("²", None), ("①", None),
    ("٣", None), ("２０２４", None), ("-1", None), (" 1", None), ("", None), (None, None), (2024, 2024),
])
def test_a_query_number_is_one_to_nine_ascii_digits(value, number):
    assert query_int(value) == number


@pytest.mark.django_db
def test_a_year_or_department_written_in_other_digits_is_not_given_and_never_a_500():
    world = World("published")
    visitor = Client(raise_request_exception=False)
    for url in (reverse("portal:index"), reverse("portal:targets")):
        assert visitor.get(url, {"year": "²"}).status_code == 200, url
    reviewer = Client(raise_request_exception=False)
    reviewer.force_login(world.users["admin"])
    for url, params in ((reverse("entry:home"), {"year": "²"}), (reverse("dashboard:index"), {"year": "²"}),
                        (reverse("dashboard:projects"), {"year": "①", "department": "²"})):
        assert reviewer.get(url, params).status_code == 200, url
    assert reviewer.post(reverse("entry:table_new"), {"department": "²", "year": "2024"}).status_code == 404

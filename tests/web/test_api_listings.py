"""The API's kept project listings (jixiao.web.api.listings): same pages as COUNT + OFFSET,
read once per generation, bounded in ids and listings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.generate import generate_table
from jixiao.web.api.listings import Listings
from jixiao.web.api.models import PublishedProject
from jixiao.web.entry import convert
from jixiao.web.entry.models import Status

from .conftest import World, bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    world = World("draft")
    for seed, department in ((41, "甲乙部门"), (42, "丙丁部门")):
        t = convert.save_table(generate_table(projects=7, seed=seed, year=2019, department=department),
                               status=Status.DRAFT)
        bring_to(t, "published", world.users["admin"], world.users["reviewer"])
    return world


def listing():
    return PublishedProject.objects.filter(is_current=True).order_by("year", "department", "table_id", "position", "pk")


def table_listing(table_id):
    return lambda: PublishedProject.objects.filter(table_id=table_id).order_by("position")


def queries(call):
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return result, len(ctx.captured_queries)


def test_pages_are_those_of_count_and_offset_and_read_once(published):
    every = list(listing().values_list("pk", flat=True))
    assert len(every) == 14
    kept = Listings()
    (count, ids), first = queries(lambda: kept.page("g1", ("projects",), listing, 0, 5))
    assert (count, ids, first) == (14, every[:5], 2)  # COUNT, then the ids
    for offset, size in ((5, 5), (10, 5), (13, 50), (14, 3), (3, 1)):
        (count, ids), n = queries(lambda offset=offset, size=size: kept.page("g1", ("projects",), listing, offset, size))
        assert (count, ids, n) == (14, every[offset:offset + size], 0)


def test_a_new_generation_reads_the_listing_again_and_drops_the_old(published):
    kept = Listings()
    kept.page("g1", ("projects",), listing, 0, 5)
    PublishedProject.objects.filter(pk=listing().first().pk).update(is_current=False)
    (count, ids), n = queries(lambda: kept.page("g2", ("projects",), listing, 0, 50))
    assert (count, n) == (13, 2) and ids == list(listing().values_list("pk", flat=True))
    # The g1 listing is gone: asking for it reads again (and gives today's rows).
    (count, _ids), n = queries(lambda: kept.page("g1", ("projects",), listing, 0, 50))
    assert (count, n) == (13, 2)


def test_a_listing_longer_than_the_bound_keeps_its_count_only(published):
    kept = Listings(max_listing=10)
    every = list(listing().values_list("pk", flat=True))
    (count, ids), first = queries(lambda: kept.page("g1", ("projects",), listing, 0, 4))
    assert (count, ids, first) == (14, every[:4], 2)  # COUNT, then the page at an OFFSET
    (count, ids), n = queries(lambda: kept.page("g1", ("projects",), listing, 8, 4))
    assert (count, ids, n) == (14, every[8:12], 1)  # the page only: the count is kept
    # A page past the end reads nothing (a huge OFFSET would walk the whole listing).
    assert queries(lambda: kept.page("g1", ("projects",), listing, 500 * 10**9, 500)) == ((14, []), 0)


def test_ids_and_listings_are_bounded_least_recently_used_first(published):
    a, b = PublishedProject.objects.values_list("table_id", flat=True).distinct().order_by("table_id")
    kept = Listings(max_ids=10)
    kept.page("g1", ("table", a), table_listing(a), 0, 3)
    kept.page("g1", ("table", b), table_listing(b), 0, 3)  # 7 + 7 > 10: a's listing goes
    _, n = queries(lambda: kept.page("g1", ("table", b), table_listing(b), 0, 3))
    assert n == 0
    _, n = queries(lambda: kept.page("g1", ("table", a), table_listing(a), 0, 3))
    assert n == 2

    kept = Listings(max_entries=2)
    kept.page("g1", ("table", a), table_listing(a), 0, 3)
    kept.page("g1", ("table", b), table_listing(b), 0, 3)
    kept.page("g1", ("table", a), table_listing(a), 0, 3)  # a used last: b is the one to go
    kept.page("g1", ("projects",), listing, 0, 3)
    assert queries(lambda: kept.page("g1", ("table", a), table_listing(a), 0, 3))[1] == 0
    assert queries(lambda: kept.page("g1", ("table", b), table_listing(b), 0, 3))[1] == 2

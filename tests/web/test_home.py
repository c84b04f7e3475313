"""The signed-in home page lists the tables a user may see one year at a time, 50 a page by
department name, with a name filter: a province's reviewer gets a page of tables, not every
project of every department (only the listed tables' projects are read)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .conftest import make_project


def _tables(world, n, year=2019):
    from jixiao.web.entry.models import Department, DisclosureTable, Year

    y, _ = Year.objects.get_or_create(year=year)
    for i in range(n):
        dept = Department.objects.create(name=f"测试部门{i:03d}", short_name=f"测{i}")
        t = DisclosureTable.objects.create(year=y, department=dept, department_short=dept.short_name)
        make_project(t)


def _admin(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_home_shows_the_newest_year_and_links_the_other_years(world):
    _tables(world, 1, year=2021)
    page = _admin(world).get(reverse("entry:home")).content.decode()
    assert "2021 年度" in page and "2019 年度" not in page
    assert 'href="?year=2019"' in page
    older = _admin(world).get(reverse("entry:home"), {"year": "2019"}).content.decode()
    assert "2019 年度" in older and 'href="?year=2021"' in older


def test_home_lists_fifty_tables_a_page_in_department_name_order(world):
    _tables(world, 60)  # plus the world's two departments
    client = _admin(world)
    first = client.get(reverse("entry:home")).content.decode()
    assert first.count('class="status status-') == 50
    assert "第 1 / 2 页" in first and "page=2" in first
    second = client.get(reverse("entry:home"), {"page": "2"}).content.decode()
    assert second.count('class="status status-') == 12


def test_home_filters_the_year_by_department_name(world):
    _tables(world, 60)
    page = _admin(world).get(reverse("entry:home"), {"q": "测试部门05"}).content.decode()
    assert page.count('class="status status-') == 10  # 测试部门050 … 059
    none = _admin(world).get(reverse("entry:home"), {"q": "不存在的部门"}).content.decode()
    assert none.count('class="status status-') == 0 and "没有名称含此文字的部门。" in none


def test_home_ignores_a_year_or_page_that_is_not_there(world):
    client = _admin(world)
    for params in ({"year": "1900"}, {"year": "abc"}, {"page": "999"}, {"page": "x"}, {"q": "x" * 5000}):
        assert client.get(reverse("entry:home"), params).status_code == 200


def test_a_department_sees_only_its_own_tables_on_home(world):
    _tables(world, 3)
    client = Client()
    client.force_login(world.users["approver"])
    page = client.get(reverse("entry:home")).content.decode()
    assert page.count('class="status status-') == 1

"""The main pages of the web app, with the data that fills them, for the page-wide checks: the
English UI has no untranslated text (test_english_pages.py) and every page fits a phone and uses
a wide screen (test_browser_layout.py).

``build`` loads the golden seed table into two departments and walks them through the workflow:
区工商联's table is published once and then reopened (a draft with a publication, an edited
project and its history), 示范街道办's is submitted, returned with a comment and submitted again
(the bureau's review), and the approver has an import waiting in preview. ``data_values`` lists
every text the users entered or imported, so a check can tell the table's content (data, shown
as entered in every language) from the application's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .conftest import World, bring_to, explain_all


@dataclass(frozen=True)
class MainPage:
    name: str
    role: str | None  # the World user who opens it; None: anonymous
    url: str
    query: tuple[str, ...] = ()  # what the visitor typed (a search): shown back as data


def build(golden_path, client_factory) -> tuple[World, list[MainPage]]:
    """The world and its main pages. ``client_factory()`` gives a fresh Django test client (used
    only to make the import preview, the way an approver makes one)."""
    from jixiao.formats import table_json
    from jixiao.web.entry import convert
    from jixiao.web.entry.models import ImportRun, Project, Publication
    from jixiao.web.review import workflow

    world = World("draft")
    seed = table_json.load(golden_path)
    world.dept_a.name, world.dept_a.short_name = seed.department, "区工商联"
    world.dept_a.save()
    world.dept_b.name, world.dept_b.short_name = "深圳市龙岗区示范街道办事处", "示范街道办"
    world.dept_b.save()
    own, other = world.tables["own"], world.tables["other"]
    for table, user in ((own, world.users["editor"]), (other, world.users["editor_b"])):
        convert.save_table(seed, user=user, existing=table)
        table.refresh_from_db()
    bring_to(own, "published", world.users["approver"], world.users["reviewer"])
    workflow.reopen(own, world.users["approver"])
    own.refresh_from_db()
    bring_to(other, "returned", world.users["approver_b"], world.users["reviewer"])
    workflow.submit(other, world.users["approver_b"], explanations=explain_all(other))
    workflow.comment(other, world.users["reviewer"], "请补充项目2的问题与整改情况",
                     project=other.projects.order_by("seq").first())

    edited = own.projects.order_by("seq")[1]
    edited.indicators = {**edited.indicators, "quantity": {"target": "参加人数≥100人次", "actual": "参加人数140人次"}}
    edited.problems = "培训场地紧张"
    edited.save()
    edited = Project.objects.get(pk=edited.pk)

    uploader = client_factory()
    uploader.force_login(world.users["approver"])
    with golden_path.open("rb") as fh:
        r = uploader.post(reverse("entry:import"), {"file": fh, "department": world.dept_a.pk})
    assert r.status_code == 302, r.status_code
    run = ImportRun.objects.latest("pk")

    publication = Publication.objects.get(table=own)
    reviewed = other.projects.order_by("seq")[1]
    pages = [
        MainPage("login", None, reverse("accounts:login")),
        MainPage("home-editor", "editor", reverse("entry:home")),
        MainPage("home-reviewer", "reviewer", reverse("entry:home")),
        MainPage("table-editor", "editor", reverse("entry:table", args=[own.pk])),
        MainPage("table-review", "reviewer", reverse("entry:table", args=[other.pk])),
        MainPage("project-form", "editor", reverse("entry:project", args=[edited.pk])),
        MainPage("project-new", "editor", reverse("entry:project_new", args=[own.pk])),
        MainPage("history", "editor", reverse("entry:project_history", args=[edited.pk])),
        MainPage("import", "approver", reverse("entry:import")),
        MainPage("import-preview", "approver", reverse("entry:import_preview", args=[run.pk])),
        MainPage("submit-page", "approver", reverse("review:submit", args=[own.pk])),
        MainPage("approve-page", "reviewer", reverse("review:approve", args=[other.pk])),
        MainPage("project-delete", "editor", reverse("entry:project_delete", args=[edited.pk])),
        MainPage("review-scores", "reviewer", reverse("review:project_scores", args=[reviewed.pk])),
        MainPage("dashboard", "reviewer", reverse("dashboard:index") + "?year=2019"),
        MainPage("dashboard-projects", "reviewer", reverse("dashboard:projects") + "?year=2019"),
        MainPage("portal-index", None, reverse("portal:index")),
        MainPage("portal-search", None, reverse("portal:index") + "?q=%E5%85%9A%E5%BB%BA", ("党建",)),
        MainPage("portal-publication", None, reverse("portal:publication", args=[publication.pk])),
        MainPage("portal-project", None, reverse("portal:project", args=[publication.pk, 2])),
    ]
    return world, pages


def data_values() -> set[str]:
    """Every text stored by the app's models (names, table contents, comments, snapshots,
    import reports), split at line breaks: the users' data, never the application's words."""
    from django.apps import apps

    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            for line in value.splitlines():
                if line.strip():
                    found.add(line.strip())
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    for model in apps.get_models():
        if not model.__module__.startswith(("jixiao.", "django.contrib.auth")):
            continue
        for row in model.objects.all().values():
            walk(list(row.values()))
    return found

from django.urls import path, re_path

from . import views

app_name = "api"
urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("years/", views.years, name="years"),
    path("years/<int:year>/projects.csv", views.year_csv, name="year_csv"),
    path("years/<int:year>/tables.json", views.year_json, name="year_json"),
    path("departments/", views.departments, name="departments"),
    path("tables/", views.tables, name="tables"),
    path("tables/<int:pk>/", views.table, name="table"),
    path("tables/<int:pk>/projects/", views.table_projects, name="table_projects"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("indicators/", views.indicators, name="indicators"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/", views.target, name="target"),
    # Anything else under /api/ is a JSON 404 too, not the site's HTML page, a path with a
    # line break (%0A) included ("." would stop there; Django cannot reverse a "(?s)" flag).
    re_path(r"^[\s\S]*$", views.not_found, name="not_found"),
]

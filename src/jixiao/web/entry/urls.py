from django.urls import path

from . import views

app_name = "entry"
urlpatterns = [
    path("", views.home, name="home"),
    path("tables/new/", views.table_new, name="table_new"),
    path("tables/<int:pk>/", views.table_detail, name="table"),
    path("tables/<int:pk>/header/", views.table_header, name="table_header"),
    path("tables/<int:pk>/download/<str:fmt>/", views.table_download, name="table_download"),
    path("tables/<int:table_pk>/projects/new/", views.project_new, name="project_new"),
    path("tables/<int:table_pk>/check/", views.project_check, name="project_check"),
    path("projects/<int:pk>/", views.project_edit, name="project"),
    path("projects/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("projects/<int:pk>/history/", views.project_history, name="project_history"),
    path("projects/<int:pk>/mof/<str:fmt>/", views.project_mof, name="project_mof"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
]

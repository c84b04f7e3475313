from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.sheet_new, name="sheet_new"),
    path("import/", views.import_upload, name="import"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("import/job/<int:pk>/", views.import_job, name="import_job"),
    path("<int:pk>/", views.sheet_detail, name="sheet"),
    path("<int:pk>/project/new/", views.project_new, name="project_new"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_sheet, name="return"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/self-evaluation/", views.prefill_self_evaluation, name="prefill"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("project/<int:pk>/", views.project_edit, name="project"),
    path("project/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("indicator/<int:pk>/", views.indicator_trace, name="trace"),
]

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("publications/<int:pk>/", views.publication, name="publication"),
    path("publications/<int:pk>/projects/<int:position>/", views.project, name="project"),
    path("publications/<int:pk>/projects/<int:position>/mof/<str:fmt>/", views.project_mof, name="project_mof"),
    path("publications/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/", views.target_sheet, name="target_sheet"),
    path("targets/<int:pk>/download/<str:fmt>/", views.target_download, name="target_download"),
]

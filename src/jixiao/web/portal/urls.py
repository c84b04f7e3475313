from django.urls import path
from django.views.generic import RedirectView

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

# The first public pages, kept under their names in the review app (the project's URL map adds
# them there): old links land on the portal (301); a download still serves the snapshot's file.
old_public_pages = [
    path("public/", RedirectView.as_view(pattern_name="portal:index", permanent=True), name="public_index"),
    path("public/publications/<int:pk>/", RedirectView.as_view(pattern_name="portal:publication", permanent=True),
         name="publication"),
    path("public/publications/<int:pk>/download/<str:fmt>/", views.download, name="publication_download"),
]

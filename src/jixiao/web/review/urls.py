from django.urls import path
from django.views.generic import RedirectView

from jixiao.web.portal import views as portal

from . import views

app_name = "review"
urlpatterns = [
    path("tables/<int:pk>/submit/", views.submit, name="submit"),
    path("tables/<int:pk>/comment/", views.comment, name="comment"),
    path("tables/<int:pk>/return/", views.return_table, name="return"),
    path("tables/<int:pk>/approve/", views.approve, name="approve"),
    path("tables/<int:pk>/publish/", views.publish, name="publish"),
    path("tables/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("tables/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("tables/<int:pk>/delete/", views.delete_table, name="delete_table"),
    path("review/projects/<int:pk>/scores/", views.project_scores, name="project_scores"),
    # The old public pages: the portal (/portal/) is the one public site now, its publication
    # pages and downloads under the publication's id too.
    path("public/", RedirectView.as_view(pattern_name="portal:index", permanent=True), name="public_index"),
    path("public/publications/<int:pk>/", RedirectView.as_view(pattern_name="portal:publication", permanent=True),
         name="publication"),
    path("public/publications/<int:pk>/download/<str:fmt>/", portal.download, name="publication_download"),
]

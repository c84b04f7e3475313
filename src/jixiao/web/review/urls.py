from django.urls import path

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
]

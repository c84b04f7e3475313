from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Comment, Department, DisclosureTable, ImportRun, Project, Publication, ReviewRound, Year


@admin.register(Year)
class YearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "deadline")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")


@admin.register(DisclosureTable)
class DisclosureTableAdmin(SimpleHistoryAdmin):
    list_display = ("year", "department", "status", "version", "updated_at")
    list_filter = ("status", "year")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("table", "seq", "name", "budget", "actual_total", "version")
    search_fields = ("name",)


@admin.register(ImportRun)
class ImportRunAdmin(SimpleHistoryAdmin):
    list_display = ("created_at", "department", "year", "filename", "kind", "state", "project_count")


@admin.register(ReviewRound)
class ReviewRoundAdmin(SimpleHistoryAdmin):
    list_display = ("table", "number", "submitted_at", "decision", "decided_at")


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ("round", "project", "author", "created_at")


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ("table", "number", "published_at", "published_by")

    def has_change_permission(self, request, obj=None):
        return False  # publications are frozen

    def has_delete_permission(self, request, obj=None):
        return False

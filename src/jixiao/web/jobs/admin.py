"""The administrator's view of jobs: read-only (a job's row is its state; editing it by hand
would contradict what its worker records)."""

from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "state", "started_by", "created_at", "finished_at", "attempts", "message_code")
    list_filter = ("kind", "state")
    readonly_fields = [field.name for field in Job._meta.fields if not field.primary_key]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

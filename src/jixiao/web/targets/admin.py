from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import TargetIndicator, TargetProject, TargetReason, TargetRound, TargetSheet

for model in (TargetSheet, TargetProject, TargetIndicator, TargetRound, TargetReason):
    admin.site.register(model, SimpleHistoryAdmin)

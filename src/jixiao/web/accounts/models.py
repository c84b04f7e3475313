"""A user's department. Roles are Django groups (see :mod:`.roles`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
                                verbose_name=_("用户"))
    department = models.ForeignKey("entry.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="members", verbose_name=_("所属部门"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用户资料")
        verbose_name_plural = _("用户资料")

    def __str__(self) -> str:
        return f"{self.user} ({self.department or '-'})"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "jixiao.web.dashboard"
    label = "dashboard"
    verbose_name = _("财政局看板")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)

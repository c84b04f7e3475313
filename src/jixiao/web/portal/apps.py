from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "jixiao.web.portal"
    label = "portal"
    verbose_name = _("公开门户")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)

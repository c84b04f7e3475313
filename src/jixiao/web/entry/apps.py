from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    name = "jixiao.web.entry"
    verbose_name = _("自评填报")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "jixiao.web.targets"
    verbose_name = _("绩效目标表")

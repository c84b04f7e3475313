from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "jixiao.web.review"
    verbose_name = _("审核与公开")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jixiao.web.api"
    label = "api"
    verbose_name = _("开放数据接口")

    def ready(self):
        # Index each publication the moment it is written, in the same transaction.
        from django.db.models.signals import post_save

        from jixiao.web.entry.models import Publication

        from . import index

        post_save.connect(index.on_publication_saved, sender=Publication, dispatch_uid="jixiao-api-index")

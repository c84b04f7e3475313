from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jixiao.web.accounts"
    verbose_name = _("用户与角色")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from jixiao.web import session_refresh

        # The session refresh middleware's companion: it has no app of its own.
        user_logged_in.connect(session_refresh.mark_renewed, dispatch_uid="session_refresh_login")

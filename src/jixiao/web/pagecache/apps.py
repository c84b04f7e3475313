from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "jixiao.web.pagecache"
    label = "pagecache"
    verbose_name = "页面缓存 page cache"  # not in the admin: no model is registered there
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from jixiao.web import session_refresh

        from . import generation

        # Every connection of every process that sets Django up (server, CLI commands,
        # management commands) watches its own writes, so none can leave a stale page behind.
        connection_created.connect(generation.watch_connection, dispatch_uid="pagecache_watch_connection")
        # The session refresh middleware's companion (it has no app of its own): the same
        # concern, what a request costs, and the same place settings.py installs both.
        user_logged_in.connect(session_refresh.mark_renewed, dispatch_uid="session_refresh_login")

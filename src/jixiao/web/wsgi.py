"""WSGI entry point (``jixiao serve`` runs it under waitress; any WSGI server can): Django's
own WSGI application, nothing in front of it. Pages are cached, where they may be, by a
reverse proxy in front of the processes following the pages' own ``Cache-Control`` (docs/web.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()

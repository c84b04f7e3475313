"""WSGI entry point (``jixiao serve`` runs it under waitress).

Django's handler behind the page cache's fast path, which answers requests for cached pages
as the page cache's early path answered the same request before, without building a Django
request (pagecache/fastpath.py; off with JIXIAO_PAGE_CACHE=0).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
django_application = get_wsgi_application()

from jixiao.web.pagecache.fastpath import FastPathApplication  # noqa: E402  (after django.setup())

application = FastPathApplication(django_application)

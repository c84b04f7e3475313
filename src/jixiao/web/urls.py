"""URL map: each app's pages under its own prefix (the open-data API, accounts, dashboard, portal,
jobs, 绩效目标表), the review and entry pages at the root, and Django's admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from jixiao.web import language
from jixiao.web.portal.urls import old_public_pages
from jixiao.web.review import urls as review

urlpatterns = [
    # First: the API is asked most often by scripts, and resolving walks the patterns in order
    # (the review and admin patterns before it cost ~5 % of an API answer). No other prefix
    # starts with "api/", so the order changes no URL's view.
    path("api/", include("jixiao.web.api.urls")),
    path("accounts/", include("jixiao.web.accounts.urls")),
    path("i18n/<str:code>/", language.switch, name="language"),  # the header's language links
    path("dashboard/", include("jixiao.web.dashboard.urls")),
    path("portal/", include("jixiao.web.portal.urls")),
    path("jobs/", include("jixiao.web.jobs.urls")),
    path("targets/", include("jixiao.web.targets.urls")),
    # The review app's pages, and the first public pages under its names (the portal answers them).
    path("", include((review.urlpatterns + old_public_pages, review.app_name))),
    path("admin/", admin.site.urls),
    # Browsers (and the admin's pages, which do not link an icon) ask for /favicon.ico.
    path("favicon.ico", RedirectView.as_view(url=static("jixiao/favicon.ico"), permanent=True)),
    path("", include("jixiao.web.entry.urls")),
]

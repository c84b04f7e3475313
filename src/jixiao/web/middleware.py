"""Headers every answer gets: a Content-Security-Policy (Django 5.2 has none built in), and
``Cache-Control: private, no-store`` when the view did not say how its answer may be cached.

Pages use only same-origin scripts and styles (no inline code), so a strict policy costs
nothing and blunts any markup that slipped past escaping. Caching is opt-in: a reverse proxy or
a browser keeps only what a view declared public (the portal's pages and the API: freshness.py);
every other answer — signed-in pages, forms with their CSRF token, errors — is kept by no one.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control
from django.utils.deprecation import MiddlewareMixin

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    def process_response(self, request, response):
        # The admin uses inline scripts; it keeps Django's own protections only.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class PrivateByDefaultMiddleware(MiddlewareMixin):
    """Below WhiteNoise (static files keep WhiteNoise's own headers)."""

    def process_response(self, request, response):
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

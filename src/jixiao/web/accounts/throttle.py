"""Login throttling with django-axes: failures are counted per user name **and** client
address together, so nobody can lock out an account they do not hold the password of.

Counting per user name alone let anyone lock ``admin`` out by typing wrong passwords for it;
counting per address alone let five invented names from one address (behind a proxy: from
everyone) lock out every user there. With the pair as the key (``AXES_LOCKOUT_PARAMETERS =
[["username", "ip_address"]]``), failures for ``admin`` from one address refuse ``admin`` from
that address only, and failures for invented names refuse nobody else. Axes keeps the
failures in the database (``axes_accessattempt``), so every server process and a restart see
the same counts, and administrators see and clear them in the Django admin.

The client address is ``REMOTE_ADDR`` unless the site runs behind proxies it trusts
(``JIXIAO_TRUSTED_PROXIES`` = their number, ``JIXIAO_CLIENT_IP_HEADER`` = the header they set):
then it is the address the outermost trusted proxy saw — the *n*-th entry from the right of
that header — since every entry further left was written by the client and proves nothing.
(django-ipware's proxy count expects the proxies' own addresses in the header and answers
nothing for the common one-entry header, so the address is resolved here.)
"""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings

USERNAME_MAX = 150  # Django's User.username length: a longer name is no account


def username(request, credentials: dict | None) -> str:
    """The user name a failure counts against: as typed, without surrounding spaces, in lower
    case (so ``Admin`` and ``ADMIN`` do not buy an attacker more attempts)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return str(value or "").strip().lower()[:USERNAME_MAX]


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind ``JIXIAO_TRUSTED_PROXIES`` proxies the
    entry of ``JIXIAO_CLIENT_IP_HEADER`` written by the outermost one."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.JIXIAO_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    key = "HTTP_" + settings.JIXIAO_CLIENT_IP_HEADER.upper().replace("-", "_")
    entries = [e.strip() for e in request.META.get(key, "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote  # not through every proxy: the connection's own address
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' backend (first in AUTHENTICATION_BACKENDS: it refuses a locked-out pair before the
    password is checked). A call without a request — ``authenticate()`` from a script or the
    test client's ``login()`` — is no HTTP login and has no address to count: it passes on
    to Django's ModelBackend instead of failing as axes would."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

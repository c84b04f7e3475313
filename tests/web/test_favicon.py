"""Every page links the app's icon (an SVG, and an ICO for older browsers) served as a static
file, and /favicon.ico leads to the ICO."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse


def test_pages_link_an_icon_that_is_served(world):
    client = Client()
    for url in (reverse("accounts:login"), reverse("portal:index"), "/no-such-page/"):
        body = client.get(url).content.decode()
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', body)
        assert len(icons) == 2 and icons[0].endswith("favicon.svg") and icons[1].endswith("favicon.ico"), url
    svg = b"".join(client.get(icons[0]).streaming_content)
    assert svg.startswith(b"<svg") and len(svg) < 2000
    ico = client.get(icons[1])
    assert b"".join(ico.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_favicon_ico_redirects_to_the_static_icon(world):
    r = Client().get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("/static/jixiao/favicon.ico")

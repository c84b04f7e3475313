"""The shipped nginx configuration (deploy/nginx.conf, docs/deploy.md) is valid, and run in front
of a stand-in application it caches what the application's Cache-Control allows, one entry per
language, and never a signed-in visitor's page. Skipped only when nginx is not installed
(scripts/setup.sh --dev installs it). tests/web/test_deployment.py runs it in front of two real
servers."""

from __future__ import annotations

import http.server
import subprocess
import threading
import urllib.error
import urllib.request

import pytest

from .nginx_proxy import HOST, NGINX, NoRedirect, Proxy, local_copy

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/setup.sh --dev)")


def test_the_shipped_configuration_passes_nginx_t(tmp_path):
    conf = local_copy(tmp_path)
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class StandIn(http.server.BaseHTTPRequestHandler):
    """Answers as the application does: /public/ with Cache-Control public and the language
    of the django_language cookie, /private/ with Cache-Control private; every body carries a
    counter, so an answer from nginx's cache is recognised by an old count."""

    count = 0
    lock = threading.Lock()

    def do_GET(self):
        with StandIn.lock:
            StandIn.count += 1
            n = StandIn.count
        cookies = dict(c.strip().split("=", 1) for c in self.headers.get("Cookie", "").split(";") if "=" in c)
        language = cookies.get("django_language", "zh-hans")
        body = f"{self.path} {language} {n}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Cache-Control", "public, max-age=60" if self.path.startswith("/public/") else "private")
        self.send_header("Vary", "Cookie")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_nginx_keeps_public_pages_per_language_and_never_a_signed_in_page(tmp_path):
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    proxy = Proxy(tmp_path, (app.server_address[1],))

    def get(path, cookie=None):
        status, body, headers = proxy.get(path, cookie)
        assert status == 200
        return body.decode(), headers["X-Cache-Status"]

    try:
        chinese, status = get("/public/portal/")
        assert status == "MISS"
        assert get("/public/portal/") == (chinese, "HIT")
        english, status = get("/public/portal/", "django_language=en")
        assert status == "MISS" and " en " in english and english != chinese
        assert get("/public/portal/", "django_language=en") == (english, "HIT")
        assert get("/public/portal/") == (chinese, "HIT")

        # Signed in: never from the cache, never into it.
        signed_in, status = get("/public/portal/", "sessionid=abc")
        assert status == "BYPASS" and signed_in != chinese
        assert get("/public/portal/other/", "sessionid=abc")[1] == "BYPASS"
        assert get("/public/portal/other/")[1] == "MISS"

        # Cache-Control: private is never kept.
        first, _ = get("/private/table/")
        again, status = get("/private/table/")
        assert again != first and status == "MISS"

        # Plain HTTP is sent to HTTPS.
        request = urllib.request.Request(f"http://127.0.0.1:{proxy.http_port}/portal/", headers={"Host": HOST})
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(request, timeout=10)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == f"https://{HOST}/portal/"
    finally:
        proxy.stop()
        app.shutdown()

"""The shipped nginx configuration (deploy/nginx.conf, docs/deploy.md) is valid, and run in front
of a stand-in application it caches what the application's Cache-Control allows, one entry per
language, and never a signed-in visitor's page. Skipped only when nginx is not installed
(scripts/setup.sh --dev installs it)."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/setup.sh --dev)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def certificate(folder: Path) -> None:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=jixiao.example.gov.cn",
                    "-days", "1", "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True)


def local_copy(tmp: Path, http_port: int | None = None, https_port: int | None = None,
               upstream: int | None = None) -> Path:
    """The shipped file with its paths moved into ``tmp`` (and, to run it, its ports and
    upstream on the loopback); every directive that matters is left as shipped."""
    certificate(tmp)
    text = CONF.read_text("utf-8")
    for shipped, local in (("/etc/ssl/jixiao", str(tmp)), ("/var/cache/nginx/jixiao", str(tmp / "cache")),
                           ("/var/log/nginx", str(tmp)), ("/run/nginx.pid", str(tmp / "nginx.pid"))):
        assert shipped in text
        text = text.replace(shipped, local)
    if os.geteuid() == 0:
        text = text.replace("user www-data;", "user root;")  # the workers must reach tmp
    if http_port:
        text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
        lines = [line for line in text.splitlines() if not line.strip().startswith("server 10.0.0.")]
        at = next(i for i, line in enumerate(lines) if line.strip() == "upstream jixiao {")
        lines.insert(at + 1, f"        server 127.0.0.1:{upstream};")
        text = "\n".join(lines)
    path = tmp / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


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
    http_port, https_port = free_port(), free_port()
    conf = local_copy(tmp_path, http_port, https_port, app.server_address[1])
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-e", str(tmp_path / "error.log"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE

    def get(path, cookie=None):
        request = urllib.request.Request(f"https://127.0.0.1:{https_port}{path}",
                                         headers={"Host": "jixiao.example.gov.cn"})
        if cookie:
            request.add_header("Cookie", cookie)
        with urllib.request.urlopen(request, context=insecure, timeout=10) as r:
            return r.read().decode(), r.headers["X-Cache-Status"]

    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                get("/private/warm-up")
                break
            except (urllib.error.URLError, ConnectionError):
                if nginx.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(nginx.stderr.read().decode() if nginx.poll() is not None else "no answer") from None
                time.sleep(0.1)

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
        request = urllib.request.Request(f"http://127.0.0.1:{http_port}/portal/",
                                         headers={"Host": "jixiao.example.gov.cn"})
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(request, timeout=10)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == "https://jixiao.example.gov.cn/portal/"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.shutdown()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

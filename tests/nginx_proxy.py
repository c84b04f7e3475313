"""deploy/nginx.conf run for a test: the shipped file with its paths moved into a temporary
folder and its ports and upstream servers on the loopback (every directive that matters left
as shipped), started as a child process and asked over HTTPS with its self-signed certificate.
Used by tests/test_deploy_nginx.py (a stand-in application) and tests/web/test_deployment.py
(two real ``jixiao serve`` processes)."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
HOST = "jixiao.example.gov.cn"  # server_name in the shipped file
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def certificate(folder: Path) -> None:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={HOST}",
                    "-days", "1", "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True)


def local_copy(tmp: Path, http_port: int | None = None, https_port: int | None = None,
               upstreams: tuple[int, ...] = ()) -> Path:
    """The shipped file with its paths in ``tmp`` and, to run it, its ports and upstream
    servers on the loopback."""
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
        for port in reversed(upstreams):
            lines.insert(at + 1, f"        server 127.0.0.1:{port};")
        text = "\n".join(lines)
    path = tmp / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


class Proxy:
    """nginx in front of ``upstreams`` (ports on 127.0.0.1); ``get`` asks it over HTTPS."""

    def __init__(self, tmp: Path, upstreams: tuple[int, ...]):
        self.http_port, self.https_port = free_port(), free_port()
        conf = local_copy(tmp, self.http_port, self.https_port, upstreams)
        self.proc = subprocess.Popen([NGINX, "-c", str(conf), "-e", str(tmp / "error.log"), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("nginx did not start: " + self.proc.stderr.read().decode()) from None
                time.sleep(0.1)

    def get(self, path: str, cookie: str | None = None) -> tuple[int, bytes, dict]:
        """Status, body and headers of a GET through the proxy (redirects not followed)."""
        request = urllib.request.Request(f"https://127.0.0.1:{self.https_port}{path}", headers={"Host": HOST})
        if cookie:
            request.add_header("Cookie", cookie)
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=self.context), NoRedirect)
        try:
            with opener.open(request, timeout=60) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), dict(exc.headers)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

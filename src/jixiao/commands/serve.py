"""``jixiao serve [--host 127.0.0.1] [--port 8000] [--threads 8] [--workers 1] [--migrate]``: the
web application under waitress, a production WSGI server (never Django's development server).

``--workers N`` (Linux/BSD/macOS) runs N waitress processes on the same port: Python runs one
thread at a time per process, so one process uses about one core however many threads it
has. Each worker listens on its own ``SO_REUSEPORT`` socket and the kernel spreads new
connections across them (waitress has no pre-fork mode of its own). Workers share nothing in
memory: with more than one, set JIXIAO_CACHE_URL (Redis) so the cache is shared (docs/web.md).

Settings come from the environment (docs/web.md): JIXIAO_SECRET_KEY (required),
DATABASE_URL (default: SQLite in JIXIAO_DATA_DIR), JIXIAO_ALLOWED_HOSTS, JIXIAO_HTTPS…
"""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="以 waitress 运行网站 / serve the web application (waitress)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes on the same port (default 1; >1 needs SO_REUSEPORT, i.e. not Windows)")
    p.add_argument("--data", default=None, help="data folder (default $JIXIAO_DATA_DIR or ./data)")
    p.add_argument("--migrate", action="store_true", help="apply database migrations before serving")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..web import bootstrap

    bootstrap.require_secret_key()
    bootstrap.prepare_data_dir(args.data or os.environ.get("JIXIAO_DATA_DIR") or "data")
    bootstrap.setup_django()
    if args.migrate:
        bootstrap.migrate()
    if args.workers > 1:
        return serve_workers(args.host, args.port, args.threads, args.workers)
    return serve(args.host, args.port, args.threads)


def serve(host: str, port: int, threads: int) -> int:
    import waitress

    from ..web.wsgi import application

    sys.stdout.write(f"jixiao: http://{host}:{port}/  (waitress, {threads} threads; Ctrl+C 停止 / to stop)\n")
    sys.stdout.flush()
    waitress.serve(application, host=host, port=port, threads=threads, ident="jixiao")
    return 0


def _reuseport_sockets(host: str, port: int, count: int) -> list:
    """``count`` listening sockets on one address, bound here so that a port in use is a
    clear error before any worker starts."""
    import socket

    from ..errors import InputError

    if not hasattr(socket, "SO_REUSEPORT") or not hasattr(os, "fork"):
        raise InputError("此系统不支持 --workers 大于 1（需要 SO_REUSEPORT）。",
                         "--workers above 1 needs SO_REUSEPORT and fork (not available on this system).")
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sockets = []
    try:
        # SO_REUSEPORT would let this server silently join another one already on the port
        # (same user): a plain bind first fails if anything listens there.
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
        for _ in range(count):
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(address)
            sock.listen(1024)
            sockets.append(sock)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise InputError(f"无法监听 {host}:{port}：{exc.strerror}", f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sockets


def _die_with_parent() -> None:
    """On Linux, a worker gets SIGTERM when the parent dies, even by SIGKILL (no orphans)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the parent's SIGTERM/SIGINT handler still stops the workers


def serve_workers(host: str, port: int, threads: int, workers: int) -> int:
    import signal

    import waitress
    from django.db import connections

    sockets = _reuseport_sockets(host, port, workers)
    connections.close_all()  # no database connection may be shared across fork
    children = []
    for sock in sockets:
        pid = os.fork()
        if pid == 0:
            for other in sockets:
                if other is not sock:
                    other.close()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _die_with_parent()
            from ..web.wsgi import application

            try:
                waitress.serve(application, sockets=[sock], threads=threads, ident="jixiao")
            finally:
                os._exit(0)
        children.append(pid)
    for sock in sockets:
        sock.close()
    sys.stdout.write(f"jixiao: http://{host}:{port}/  (waitress, {workers} processes × {threads} threads; "
                     "Ctrl+C 停止 / to stop)\n")
    sys.stdout.flush()

    def stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    for pid in children:
        while True:
            try:
                _pid, code = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        status = status or (os.waitstatus_to_exitcode(code) not in (0, -signal.SIGTERM, -signal.SIGINT))
    return 1 if status else 0

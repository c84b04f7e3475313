"""``jixiao serve [--host 127.0.0.1] [--port 8000] [--threads 8] [--migrate]``: the web
application under waitress, a production WSGI server (never Django's development server).

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
    return serve(args.host, args.port, args.threads)


def serve(host: str, port: int, threads: int) -> int:
    import waitress

    from ..web.wsgi import application

    sys.stdout.write(f"jixiao: http://{host}:{port}/  (waitress, {threads} threads; Ctrl+C 停止 / to stop)\n")
    sys.stdout.flush()
    waitress.serve(application, host=host, port=port, threads=threads, ident="jixiao")
    return 0

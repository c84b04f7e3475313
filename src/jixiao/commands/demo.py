"""``jixiao demo [--port 8000] [--host 127.0.0.1] [--data DIR]``: the web application with
demo data, served by waitress.

Creates the data folder and its SQLite database, loads the seed table as published and a
second department's table as submitted (under review), creates one user per role, prints
their names and passwords, and serves. A second run reuses the data and the passwords.
"""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("demo", help="运行演示（SQLite、演示用户） / run the demo web application",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--data", default=os.environ.get("JIXIAO_DATA_DIR") or "data",
                   help="data folder (default ./data or $JIXIAO_DATA_DIR)")
    p.add_argument("--threads", type=int, default=8, help="waitress worker threads (default 8)")
    p.add_argument("--no-serve", action="store_true", help="set up and print the users, then exit")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..web import bootstrap

    data_dir = bootstrap.prepare_data_dir(args.data)
    os.environ.pop("DATABASE_URL", None)  # the demo is always the SQLite file in its data folder
    os.environ.pop("JIXIAO_BROKER_URL", None)  # and runs its jobs in process: one command, no broker
    os.environ["JIXIAO_SECRET_KEY"] = bootstrap.demo_secret_key(data_dir)
    hosts = {"127.0.0.1", "localhost", args.host}
    os.environ.setdefault("JIXIAO_ALLOWED_HOSTS", ",".join(sorted(hosts)))
    bootstrap.setup_django()
    bootstrap.migrate()
    from ..web import demo_data

    users = demo_data.load(data_dir)
    out = sys.stdout
    out.write(f"jixiao 演示 / demo — 数据目录 data folder: {data_dir}\n")
    out.write("演示用户 / demo users (密码保存在 / passwords kept in "
              f"{data_dir / demo_data.PASSWORD_FILE}):\n")
    width = max(len(u) for u, *_ in users)
    for username, password, role, department in users:
        out.write(f"  {username.ljust(width)}  {password}  {role}  {department}\n")
    if args.no_serve:
        return 0
    from . import serve

    return serve.serve(args.host, args.port, args.threads)

"""``jixiao worker [--concurrency N]``: run the background jobs (imports, publishing, bulk
exports) that the web application queues on the broker.

A Celery worker for the ``jixiao`` queue of JIXIAO_BROKER_URL (``redis://…``, or ``amqp://…``
for RabbitMQ). Settings come from the environment, the same ones as ``jixiao serve`` (docs/web.md):
JIXIAO_SECRET_KEY, DATABASE_URL, JIXIAO_DATA_DIR (shared with the web processes: uploads and
exports live there) and JIXIAO_BROKER_URL, which is required here. Run one or more workers next
to ``jixiao serve``; stopping a worker (SIGTERM, Ctrl+C) lets its running jobs finish first, and
a job whose worker died is delivered again (docs/web.md "Background jobs").
"""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("worker", help="运行后台任务（导入、公开、批量导出） / run the background jobs",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--concurrency", type=int, default=2,
                   help="jobs run at once, each in its own process (default 2)")
    p.add_argument("--data", default=None, help="data folder (default $JIXIAO_DATA_DIR or ./data)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import InputError
    from ..web import bootstrap

    if args.concurrency < 1:
        raise InputError("--concurrency 须至少为 1", "--concurrency must be at least 1")
    if not os.environ.get("JIXIAO_BROKER_URL", "").strip():
        raise InputError("未设置 JIXIAO_BROKER_URL：后台任务需要消息代理（如 redis://127.0.0.1:6379/0）",
                         "JIXIAO_BROKER_URL is not set: the worker needs a broker (e.g. redis://127.0.0.1:6379/0)")
    bootstrap.require_secret_key()
    bootstrap.prepare_data_dir(args.data or os.environ.get("JIXIAO_DATA_DIR") or "data")
    bootstrap.setup_django()
    from ..web.jobs import tasks

    import logging

    # The log level of the web application's log (JIXIAO_LOG_LEVEL, docs/web.md).
    level = logging.getLevelName(logging.getLogger().getEffectiveLevel())
    sys.stdout.write(f"jixiao worker: {args.concurrency} 个进程 / processes (Ctrl+C 停止 / to stop)\n")
    sys.stdout.flush()
    tasks.app.worker_main(["worker", f"--concurrency={args.concurrency}", f"--loglevel={level}",
                           "--queues=jixiao", "--without-gossip", "--without-mingle", "--hostname=jixiao@%h"])
    return 0

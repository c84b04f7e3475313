"""Starting Django from the jixiao CLI: data folder, secret key, settings, migrations.

``jixiao demo`` keeps a generated secret key in the data folder (mode 0600) so sessions
survive a restart; ``jixiao serve`` takes the key from the environment only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from jixiao.errors import InputError

SECRET_FILE = "secret_key"


def prepare_data_dir(data_dir: str | Path) -> Path:
    path = Path(data_dir).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建数据目录：{path}", f"cannot create the data folder {path}: {exc.strerror}") from None
    os.environ["JIXIAO_DATA_DIR"] = str(path)
    return path


def demo_secret_key(data_dir: Path) -> str:
    """The demo's secret key: generated once, then read back from the data folder."""
    key_file = data_dir / SECRET_FILE
    key = key_file.read_text(encoding="utf-8").strip() if key_file.exists() else ""
    if not key:
        key = secrets.token_urlsafe(50)
        key_file.touch(mode=0o600)  # created readable by its owner only, before the key is in it
        key_file.write_text(key + "\n", encoding="utf-8")
    return key


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # WAL lets readers continue while one request writes (waitress serves with threads).
            cursor.execute("PRAGMA journal_mode=WAL")
    call_command("migrate", interactive=False, verbosity=verbosity)


def require_secret_key() -> None:
    """The environment's secret key, refused (exit 2) when missing or guessable: Django's rule
    (its deployment check security.W009) — at least 50 characters, at least 5 distinct ones,
    not Django's generated ``django-insecure-`` development key. The key signs sessions,
    CSRF tokens and password-reset links, so a short one is a forged login away."""
    from django.core.checks.security.base import (SECRET_KEY_INSECURE_PREFIX, SECRET_KEY_MIN_LENGTH,
                                                  SECRET_KEY_MIN_UNIQUE_CHARACTERS)

    key = os.environ.get("JIXIAO_SECRET_KEY", "")
    if not key:
        raise InputError("未设置 JIXIAO_SECRET_KEY 环境变量（生产环境必须提供密钥）",
                         "JIXIAO_SECRET_KEY is not set (production needs a secret key from the environment)")
    how = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    if (len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
            or key.startswith(SECRET_KEY_INSECURE_PREFIX)):
        raise InputError(
            f"JIXIAO_SECRET_KEY 太弱：须至少 {SECRET_KEY_MIN_LENGTH} 个字符、至少 {SECRET_KEY_MIN_UNIQUE_CHARACTERS} "
            f"种不同字符，且不以 {SECRET_KEY_INSECURE_PREFIX} 开头（当前 {len(key)} 个字符、{len(set(key))} 种）。"
            f"可用以下命令生成：{how}",
            f"JIXIAO_SECRET_KEY is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters, at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} distinct ones, and must not start with {SECRET_KEY_INSECURE_PREFIX} "
            f"(this one has {len(key)} characters, {len(set(key))} distinct). Generate one with: {how}")

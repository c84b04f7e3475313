"""Django settings of the jixiao web application.

Everything a deployment changes comes from the environment (documented with defaults in
docs/web.md); nothing secret lives in the repository. ``jixiao demo`` generates a secret key
into the data folder and exports it before Django starts; ``jixiao serve`` requires one.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jixiao.core.checks import CHECKS, SEVERITIES


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    if not value:
        return default
    raise ImproperlyConfigured(f"{name} must be 1/0/true/false, got {value!r}")


def _env_int(name: str, default: int, least: int | None = None) -> int:
    """The variable's integer (``default`` when unset or blank), refused below ``least``."""
    value = os.environ.get(name, "")
    try:
        number = int(value) if value.strip() else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None
    if least is not None and number < least:
        rule = ("不能为负", "must not be negative") if least == 0 else (f"须至少为 {least}", f"must be at least {least}")
        raise ImproperlyConfigured(f"{name} {rule[0]} / {name} {rule[1]}")
    return number


DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR") or "data").resolve()

SECRET_KEY = os.environ.get("JIXIAO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "JIXIAO_SECRET_KEY 未设置 / JIXIAO_SECRET_KEY is not set "
        "(`jixiao demo` generates one; production sets it in the environment)")

DEBUG = _env_bool("JIXIAO_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                 if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("JIXIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "jixiao.web.accounts",
    "jixiao.web.entry",
    "jixiao.web.review",
    "jixiao.web.api",
    "jixiao.web.dashboard",
    "jixiao.web.portal",
    "jixiao.web.jobs",
    "jixiao.web.targets",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",  # login throttling (accounts/throttle.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jixiao.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jixiao.web.middleware.PrivateByDefaultMiddleware",
    # Session, authentication, messages and history: Django's and simple_history's middlewares,
    # skipped for anonymous GET/HEAD requests to the API (api_reads.py; JIXIAO_API_LEAN).
    "jixiao.web.api_reads.SessionMiddleware",
    "jixiao.web.language.LanguageMiddleware",  # Django's LocaleMiddleware; see language.py
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jixiao.web.session_refresh.SessionRefreshMiddleware",  # instead of SESSION_SAVE_EVERY_REQUEST
    "jixiao.web.api_reads.AuthenticationMiddleware",
    "jixiao.web.api_reads.MessageMiddleware",
    "jixiao.web.api_reads.HistoryRequestMiddleware",
    # Turns a login refused by the throttle into a 429 (accounts/views.py: locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jixiao.web.accounts.roles.context",
            ],
        },
    },
]

# SQLite file in the data folder unless DATABASE_URL names another database (PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'jixiao.sqlite3'}",
        conn_max_age=_env_int("JIXIAO_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Every transaction starts with BEGIN IMMEDIATE: it takes the write lock before its first
    # read, so a check-then-write (a transition, an edit: entry/table_lock.py) waits for another
    # writer instead of failing with "database is locked" when its read snapshot went stale.
    # "timeout" is the busy timeout: how long a statement waits for the lock. WAL is switched
    # on by migrate (bootstrap.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=_env_int("JIXIAO_SQLITE_BUSY_SECONDS", 20), transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache framework (the dashboard's figures, and whatever else asks ``django.core.cache``):
# JIXIAO_CACHE_URL=redis://host:port/db puts it on Redis, shared by every server process and
# host; unset, each process keeps its own in memory (``jixiao demo``, the tests, one process).
JIXIAO_CACHE_URL = os.environ.get("JIXIAO_CACHE_URL", "").strip()
if not JIXIAO_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jixiao"}}
elif JIXIAO_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": JIXIAO_CACHE_URL,
                          "KEY_PREFIX": "jixiao"}}
else:
    raise ImproperlyConfigured("JIXIAO_CACHE_URL 须以 redis:// 开头 / JIXIAO_CACHE_URL must be a redis:// URL, "
                               f"got {JIXIAO_CACHE_URL!r}")

# How long a browser or a proxy may reuse a public page or API answer (freshness.py).
JIXIAO_PUBLIC_CACHE_SECONDS = _env_int("JIXIAO_PUBLIC_CACHE_SECONDS", 60, least=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Anonymous API reads skip the signed-in pages' middlewares (api_reads.py).
JIXIAO_API_LEAN = _env_bool("JIXIAO_API_LEAN", True)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "entry:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): accounts/throttle.py.
JIXIAO_LOGIN_MAX_FAILURES = _env_int("JIXIAO_LOGIN_MAX_FAILURES", 5, least=1)
JIXIAO_TRUSTED_PROXIES = _env_int("JIXIAO_TRUSTED_PROXIES", 0, least=0)
JIXIAO_CLIENT_IP_HEADER = os.environ.get("JIXIAO_CLIENT_IP_HEADER", "").strip() or "X-Forwarded-For"
AUTHENTICATION_BACKENDS = ["jixiao.web.accounts.throttle.ThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = JIXIAO_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=_env_int("JIXIAO_LOGIN_LOCKOUT_SECONDS", 900, least=1))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "jixiao.web.accounts.throttle.username"
AXES_CLIENT_IP_CALLABLE = "jixiao.web.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "jixiao.web.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # failures only; successful logins are not logged a second time
AXES_VERBOSE = False

# Sessions expire after this many seconds of inactivity and when the browser closes; their
# renewal: session_refresh.py.
SESSION_COOKIE_AGE = _env_int("JIXIAO_SESSION_SECONDS", 7200)
JIXIAO_SESSION_REFRESH_SECONDS = _env_int("JIXIAO_SESSION_REFRESH_SECONDS", 60)
if not 0 <= JIXIAO_SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("JIXIAO_SESSION_REFRESH_SECONDS 须小于 JIXIAO_SESSION_SECONDS / "
                               "JIXIAO_SESSION_REFRESH_SECONDS must be below JIXIAO_SESSION_SECONDS")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True

# Security headers (SecurityMiddleware, XFrameOptionsMiddleware, our CSP middleware): Django's
# defaults already send nosniff, X-Frame-Options DENY, same-origin Referrer-Policy and
# Cross-Origin-Opener-Policy, and mark the session cookie HttpOnly and SameSite=Lax
# (tests/web/test_security.py holds them to it).
if _env_bool("JIXIAO_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("JIXIAO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("JIXIAO_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads: the import view refuses a body larger than JIXIAO_UPLOAD_MAX_BYTES before reading it.
JIXIAO_UPLOAD_MAX_BYTES = _env_int("JIXIAO_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Background jobs: imports, publishing and bulk exports (jobs/tasks.py, docs/web.md
# "Background jobs").
JIXIAO_BROKER_URL = os.environ.get("JIXIAO_BROKER_URL", "").strip()
JIXIAO_JOB_VISIBILITY_SECONDS = _env_int("JIXIAO_JOB_VISIBILITY_SECONDS", 3600, least=60)
# Bulk exports' files are deleted this many days after their job finished (0: kept for ever).
JIXIAO_JOB_FILES_DAYS = _env_int("JIXIAO_JOB_FILES_DAYS", 7)
# Form bodies may be large enough for a 10 MB cell to reach the form, which then answers with a
# field error (每格字数上限) instead of a bare "400 Bad Request".
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int("JIXIAO_FORM_MAX_BYTES", 24 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Submission gates: the severities and check codes whose findings stop a submission
# (review/gates.py).
JIXIAO_SUBMIT_BLOCKING = tuple(t.strip() for t in os.environ.get("JIXIAO_SUBMIT_BLOCKING", "error").split(",")
                               if t.strip())
if bad := [t for t in JIXIAO_SUBMIT_BLOCKING if t not in SEVERITIES and t not in CHECKS]:
    raise ImproperlyConfigured(f"JIXIAO_SUBMIT_BLOCKING：未知的级别或检查代码 / unknown severity or check code: {bad}")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
FORMAT_MODULE_PATH = ["jixiao.web.formats"]  # dates and amounts per language (docs/i18n.md)
# Chinese unless the visitor chooses English; 1 = also follow the browser's Accept-Language.
JIXIAO_LANGUAGE_FROM_BROWSER = _env_bool("JIXIAO_LANGUAGE_FROM_BROWSER", False)
TIME_ZONE = os.environ.get("JIXIAO_TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "/static/"
# WhiteNoise serves straight from the apps' static folders: no collectstatic step to forget.
# (Set JIXIAO_STATIC_ROOT only if you run collectstatic for a front proxy.)
STATIC_ROOT = os.environ.get("JIXIAO_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIXIAO_LOG_LEVEL", "WARNING")},
}

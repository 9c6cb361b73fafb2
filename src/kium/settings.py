"""Kium settings: one module, driven by environment variables (DESIGN rule 10).

A fresh clone runs with nothing set: SQLite in ./var/, a generated secret key kept in
./var/secret_key, console providers. ``KIUM_ENV=production`` turns on every safety
setting and refuses to start when something unsafe is left (see ``kium.core.startup``).
The README lists every variable.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("KIUM_VAR_DIR", PROJECT_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


KIUM_ENV = env("KIUM_ENV", "development")
PRODUCTION = KIUM_ENV == "production"
TESTING = env_bool("KIUM_TESTING") or "pytest" in sys.modules


def _development_secret_key() -> str:
    """A per-clone key kept out of the repository, so sessions survive a restart."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(60))
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or ("" if PRODUCTION else _development_secret_key())
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kium.core",
    "kium.accounts",
    "kium.orgs",
    "kium.centres",
    "kium.boards",
    "kium.reservations",
    "kium.notifications",
    "kium.attendance",
    "kium.public",
    "kium.backoffice",
    "kium.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kium.core.csp.CSPMiddleware",  # django-csp, its header text kept (core/csp.py)
    "django_htmx.middleware.HtmxMiddleware",
    "kium.api.middleware.JsonApiErrorsMiddleware",
    "kium.core.middleware.RequestContextMiddleware",
    "kium.core.middleware.IntegrityErrorMiddleware",
    "kium.core.middleware.LockTimeoutMiddleware",
    "kium.accounts.middleware.BackofficeSessionMiddleware",
    "kium.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Axes last: it turns lockouts raised by authenticate() into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kium.urls"
WSGI_APPLICATION = "kium.wsgi.application"
ASGI_APPLICATION = "kium.asgi.application"

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
                "kium.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kium.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes SQLite's write lock when a transaction starts, so "lock, check,
    # write" (core/locking.py) holds on SQLite too; the timeout waits for that lock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and psycopg prepares a statement once it has run
    # KIUM_DB_PREPARE_THRESHOLD times on a connection (Django turns preparing off unless
    # told): the hot reads and writes of a booking or an RF tap are then planned once per
    # connection, not on every request (docs/decisions/0003). Empty turns preparing off,
    # for a pooler in transaction mode (docs/operations.md).
    _prepare = env("KIUM_DB_PREPARE_THRESHOLD", "5").strip()
    if _prepare and not _prepare.isdigit():
        raise ImproperlyConfigured("KIUM_DB_PREPARE_THRESHOLD: a whole number ≥ 0, or empty")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(_prepare) if _prepare else None,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
CACHE_URL = env("CACHE_URL", "locmem://")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kium.accounts.validators.KiumPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "public:login"
LOGIN_REDIRECT_URL = "public:home"
LOGOUT_REDIRECT_URL = "public:home"

# django-axes: lock an account after 5 consecutive failures, keyed by username so a
# botnet cannot dodge it by changing IPs; it stays locked until unlocked by phone
# verification or an officer (no cool-off), per SPEC ACC-2.
AXES_FAILURE_LIMIT = int(env("KIUM_LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_TIME = None
AXES_LOCKOUT_CALLABLE = "kium.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kium.core.net.client_ip"
AXES_VERBOSE = False
# axes.W006 wants the IP in the lockout key. We lock by account on purpose (ACC-2): a
# district office shares one public IP, and locking the IP would lock every officer
# there. Per-IP abuse is limited separately (verification-code rate limits).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The proxy header that carries the client's address (e.g. X-Forwarded-For set by our
# nginx); empty means trust only REMOTE_ADDR.
KIUM_TRUSTED_PROXY_HEADER = env("KIUM_TRUSTED_PROXY_HEADER")
KIUM_TRUSTED_PROXY_COUNT = int(env("KIUM_TRUSTED_PROXY_COUNT", "1"))

# Sessions: back-office idle timeout 30 min (warning a minute before), absolute 12 h.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
KIUM_BACKOFFICE_IDLE_SECONDS = int(env("KIUM_BACKOFFICE_IDLE_SECONDS", str(30 * 60)))
KIUM_BACKOFFICE_ABSOLUTE_SECONDS = int(env("KIUM_BACKOFFICE_ABSOLUTE_SECONDS", str(12 * 3600)))
KIUM_API_TOKEN_HOURS = int(env("KIUM_API_TOKEN_HOURS", "12"))

# --- Providers ------------------------------------------------------------------------
# SMS carries phone-verification codes (and, later, notification fallbacks).
KIUM_SMS_PROVIDER = env("KIUM_SMS_PROVIDER", "console")  # console | solapi
KIUM_SOLAPI_API_KEY = env("KIUM_SOLAPI_API_KEY")
KIUM_SOLAPI_API_SECRET = env("KIUM_SOLAPI_API_SECRET")
KIUM_SOLAPI_BASE_URL = env("KIUM_SOLAPI_BASE_URL", "https://api.solapi.com")
KIUM_SMS_SENDER = env("KIUM_SMS_SENDER")
KIUM_REQUIRE_PHONE_VERIFICATION = env_bool("KIUM_REQUIRE_PHONE_VERIFICATION", PRODUCTION)
KIUM_VERIFICATION_CODE_MINUTES = 10
KIUM_PASSWORD_RESET_MINUTES = 30
DEVELOPMENT_ONLY_PROVIDERS = {"console"}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "kium@localhost")

# --- Background work ------------------------------------------------------------------
TASKS = {
    "default": {
        # Production queues tasks in the database for `manage.py db_worker`, so a request
        # never waits on a provider; development runs them right after commit.
        "BACKEND": env(
            "KIUM_TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}

# --- I18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Applicants' documents (RES-6): never under a public URL; served only by checked views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/no-public-url/"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

# --- Uploads and address search (FAC-2, RES-6) ------------------------------------------
KIUM_PHOTO_MAX_BYTES = int(env("KIUM_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
KIUM_DOCUMENT_MAX_BYTES = int(env("KIUM_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# "demo" searches known addresses offline; "juso" calls 행정안전부 도로명주소 API.
KIUM_ADDRESS_PROVIDER = env("KIUM_ADDRESS_PROVIDER", "demo")
KIUM_JUSO_API_KEY = env("KIUM_JUSO_API_KEY", "")
KIUM_JUSO_API_URL = env("KIUM_JUSO_API_URL", "https://business.juso.go.kr/addrlink/addrLinkApi.do")

# --- Reservations (docs/reservations.md) -------------------------------------------------
KIUM_OFFER_HOURS = int(env("KIUM_OFFER_HOURS", "24"))
KIUM_OFFER_SAME_DAY_HOURS = int(env("KIUM_OFFER_SAME_DAY_HOURS", "2"))
KIUM_OFFER_CUTOFF_HOUR = int(env("KIUM_OFFER_CUTOFF_HOUR", "18"))
KIUM_OFFER_REGULAR_HOURS = int(env("KIUM_OFFER_REGULAR_HOURS", "48"))
KIUM_EXTENSION_CUTOFF_DAYS = int(env("KIUM_EXTENSION_CUTOFF_DAYS", "14"))

# --- Notifications (docs/notifications.md) ---------------------------------------------
# Channels in order of preference; the first the recipient can receive is used.
KIUM_NOTIFY_CHANNELS = tuple(
    channel.strip()
    for channel in env("KIUM_NOTIFY_CHANNELS", "console").split(",")
    if channel.strip()
)
KIUM_ALIMTALK_PF_ID = env("KIUM_ALIMTALK_PF_ID", "")
# {"event": "approved template id", ...} as JSON, e.g. {"reservation.confirmed": "KA01TP…"}
KIUM_ALIMTALK_TEMPLATES = json.loads(env("KIUM_ALIMTALK_TEMPLATES", "{}") or "{}")
KIUM_ALIMTALK_SMS_FALLBACK = env_bool("KIUM_ALIMTALK_SMS_FALLBACK", True)
KIUM_NOTIFY_MAX_ATTEMPTS = int(env("KIUM_NOTIFY_MAX_ATTEMPTS", "8"))
KIUM_NOTIFY_RETRY_BASE_SECONDS = int(env("KIUM_NOTIFY_RETRY_BASE_SECONDS", "30"))
KIUM_NOTIFY_RETRY_MAX_SECONDS = int(env("KIUM_NOTIFY_RETRY_MAX_SECONDS", "3600"))
KIUM_NOTIFY_LEASE_SECONDS = int(env("KIUM_NOTIFY_LEASE_SECONDS", "300"))
KIUM_NOTIFY_PROVIDER_TIMEOUT_SECONDS = int(env("KIUM_NOTIFY_PROVIDER_TIMEOUT_SECONDS", "10"))
# How run_worker learns of a new message (notifications/domain/wake.py): "listen" (the
# outbox table's NOTIFY on PostgreSQL: no extra work in the request) or "task" (a
# django-tasks task after commit). Production on PostgreSQL listens.
KIUM_NOTIFY_WAKE = env(
    "KIUM_NOTIFY_WAKE",
    "listen" if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("postgresql") else "task",
)
# Per person: at most this many messages per window ("count/seconds"; empty = no limit).
# Arrival and departure are exempt (notifications/domain/ratelimit.py).
KIUM_NOTIFY_RATE_LIMIT = env("KIUM_NOTIFY_RATE_LIMIT", "10/3600")
if KIUM_NOTIFY_RATE_LIMIT and not re.fullmatch(r"\d+/\d+", KIUM_NOTIFY_RATE_LIMIT):
    raise ImproperlyConfigured("KIUM_NOTIFY_RATE_LIMIT: count/seconds, e.g. 10/3600")
# "21-8": hold non-urgent messages from 21:00 to 08:00 (arrival/departure always go).
_quiet = env("KIUM_NOTIFY_QUIET_HOURS", "")
KIUM_NOTIFY_QUIET_HOURS = tuple(int(h) for h in _quiet.split("-")) if _quiet else None

# Baseline endpoints for make bench (docs/performance.md); refused in production.
KIUM_BENCH_ENDPOINTS = env_bool("KIUM_BENCH_ENDPOINTS", False)

# --- Map ------------------------------------------------------------------------------
KIUM_MAP_TILE_URL = env("KIUM_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
KIUM_MAP_TILE_ATTRIBUTION = env("KIUM_MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# --- Security headers -----------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            *env_list(
                "KIUM_CSP_IMG_SRC",
                "https://*.tile.openstreetmap.org,https://tile.openstreetmap.org",
            ),
        ],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag anyway
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "kium": {"handlers": ["console"], "level": env("KIUM_LOG_LEVEL", "INFO")},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

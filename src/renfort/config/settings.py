"""Renfort settings: one module, driven by the environment.

Defaults suit production: DEBUG is off unless ``DEBUG=true`` (``make demo`` and ``renfort serve``
set it for development: SQLite under ``var/``, console mail, a development key). Production sets
``DATABASE_URL``, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` (docs/security.md).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from renfort.lib.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
# The project root (holding var/) is the current directory unless RENFORT_HOME says otherwise,
# so an installed package still keeps its data beside the checkout that runs it.
RENFORT_HOME = Path(os.environ.get("RENFORT_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("RENFORT_VAR", RENFORT_HOME / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "renfort-development-only-not-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # django-ninja's own static files: Swagger UI for the API's documentation page.
    "ninja",
    "renfort.accounts",
    "renfort.home",
    "renfort.roster",
    "renfort.assistance",
    "renfort.missions",
    "renfort.calendars",
    "renfort.planning",
    "renfort.agreements",
    "renfort.results",
    "renfort.exports",
    "renfort.demo",
    "renfort.operations",
    "renfort.privacy",
    "renfort.api",
    "renfort.feeds",
    "renfort.imports",
]

MIDDLEWARE = [
    # First: the access log times and ids every request, static files and redirects too.
    "renfort.lib.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "renfort.lib.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in person on field history rows (renfort/lib/audit.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "renfort.accounts.middleware.SessionTimeoutMiddleware",
    "renfort.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renfort.config.urls"
WSGI_APPLICATION = "renfort.config.wsgi.application"

# Django's form renderer, with selects written in Python (lib/form_renderer.py: same HTML).
FORM_RENDERER = "renfort.lib.form_renderer.FastRenderer"
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
                "renfort.accounts.context_processors.navigation",
            ],
            # lib is not an app: its template tags are named here.
            "libraries": {
                "dates_display": "renfort.lib.templatetags.dates_display",
                "forms_display": "renfort.lib.templatetags.forms_display",
                "audit_display": "renfort.lib.templatetags.audit_display",
            },
        },
    }
]


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "renfort.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside a writer; IMMEDIATE makes a writer take the lock when its
        # transaction begins, so concurrent writers wait (up to the timeout) instead of failing.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        options.setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        )
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # The database's pages are on SSD or in memory: a random read costs about what a
        # sequential one does. PostgreSQL's default (4) makes it scan whole history tables
        # rather than follow an index (docs/performance.md, "Indexes"). An empty
        # PG_RANDOM_PAGE_COST leaves the server's own setting.
        cost = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
        if cost:
            options = config.setdefault("OPTIONS", {})
            options.setdefault("options", f"-c random_page_cost={float(cost)}")
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in protection (docs/security.md). django-axes counts failed sign-ins per account and per
# address: AXES_FAILURE_LIMIT failures for one account, or SIGNIN_ADDRESS_FAILURE_LIMIT from one
# address whatever the accounts (an office behind one address fails more often than one
# person), lock for AXES_COOLOFF_TIME, or until the secretariat unlocks (accounts:lockouts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
SIGNIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGNIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "renfort.accounts.signin.SignInAttemptHandler"
AXES_LOCKOUT_CALLABLE = "renfort.accounts.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "renfort.accounts.signin.client_address"
# A success does not wipe the failures (it would let anyone with an account clear the count of
# the address they share with their target); a failure while locked does not extend the lock.
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful sign-ins are not logged by axes (personal data kept for nothing).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # the secretariat's page lists and lifts lockouts
# The client address comes from X-Forwarded-For only behind this many trusted proxies (each
# appends the address it saw); 0, the default, reads the connection's own REMOTE_ADDR.
RENFORT_TRUSTED_PROXIES = int(os.environ.get("RENFORT_TRUSTED_PROXIES", "0"))
if RENFORT_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Two-factor sign-in (TOTP, django-otp): open to everyone, required for these roles.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", ["secretariat"])
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Renfort")
# Sessions end after SESSION_IDLE_TIMEOUT_S without a request, and SESSION_ABSOLUTE_TIMEOUT_S
# after signing in whatever happens (accounts/middleware.py).
SESSION_IDLE_TIMEOUT_S = int(os.environ.get("SESSION_IDLE_TIMEOUT_S", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT_S = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT_S", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_S
# Where people report a vulnerability (docs/security.md).
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "security@localhost")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# "11 Mar 2027" / "11 mars 2027" everywhere (config/formats/). Numbers are grouped where a
# template asks ({{ n|intcomma }}, floatformat:"2g"), not everywhere: ids and years stay bare.
FORMAT_MODULE_PATH = ["renfort.config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (agreement documents) live under MEDIA_ROOT and are served only by views that
# check who asks (agreements/views/documents.py): there is no public media URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
AGREEMENT_DOCUMENT_MAX_BYTES = int(os.environ.get("AGREEMENT_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
# `renfort backup` writes its archives here; `renfort backup --prune` deletes those older than
# BACKUP_RETENTION_DAYS (docs/operations.md). PG_BIN_DIR names the folder of pg_dump, pg_restore
# and psql when they are not on PATH (Debian: /usr/lib/postgresql/<version>/bin).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_RETENTION_DAYS = int(os.environ.get("BACKUP_RETENTION_DAYS", "35"))
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Renfort <renfort@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `renfort worker` leases each task it runs (operations/leases.py, docs/deploy.md): renewed every
# third of TASK_LEASE_SECONDS while the task runs; a task whose lease expired (its worker was
# killed) is put back, and fails after TASK_MAX_ATTEMPTS workers died running it.
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))

# One cache shared by every process and machine (docs/deploy.md): a table in the database
# (`renfort createcachetable`, run by `renfort migrate`'s companion steps), or Redis when
# REDIS_URL is set. Never the per-process memory cache: what one process caches, all must see.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "renfort_cache",
        }
    }

# Cookies: Secure in production (HTTPS), never read by JavaScript (htmx sends the CSRF token
# from the page's hx-headers, not from the cookie), SameSite=Lax (links from mail still work).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# HTTPS only in production: redirect, and tell browsers to remember it (HSTS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes the health endpoint over plain HTTP, behind the TLS it ends.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts and styles from Renfort itself or carrying the
# response's nonce; no inline handler, no style attribute, no eval, no plugin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Browser features Renfort never uses, refused to every page (lib/headers.py).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Logs go to standard error: JSON lines (lib/logs.py: time, level, logger, message, request id;
# one access-log line per request) unless LOG_FORMAT=text, the default when DEBUG is on.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
LOGGING = logging_config(
    json_lines=LOG_FORMAT == "json", level=os.environ.get("LOG_LEVEL", "WARNING")
)

# Planner defaults used by the web workflow.
PLANNER_TIME_LIMIT_S = float(os.environ.get("PLANNER_TIME_LIMIT_S", "10"))
PLANNER_TRAVEL_DAYS = int(os.environ.get("PLANNER_TRAVEL_DAYS", "1"))
# A committed change to a mission, a slot, an assignment or an expert queues a refresh of the
# pool gaps (planning/receivers.py); the test settings turn it off but where a test turns it on.
POOL_GAPS_REFRESH_ON_CHANGE = True
# The results pages' figures are kept in the shared cache until an input changes, at most this
# long (results/figures/cache.py); 0 computes them on every view.
RESULTS_CACHE_SECONDS = int(os.environ.get("RESULTS_CACHE_SECONDS", "600"))
# The JSON API (docs/api.md): requests per token, counted in the shared cache.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
# Calendar feeds' links back (docs/api.md); empty: the address the feed was asked at.
SITE_URL = os.environ.get("SITE_URL", "")
# Spreadsheet imports (docs/imports.md).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "500"))
# A page showing a mission with an open slot to the secretariat queues what it would take
# to staff it (planning.relaxation_requests); the test settings turn it off.
PLANNER_RELAXATIONS_ON_READ = True
# Someone waits on a run from the browser: once the primary is settled, the tie-breaks stop
# after PLANNER_STALL_S without a better one, and after PLANNER_TIE_BREAK_S in any case
# (docs/benchmarks.md, "Browser runs on the demo"). `renfort plan` keeps its own stall rule.
PLANNER_STALL_S = float(os.environ.get("PLANNER_STALL_S", "0.5"))
PLANNER_TIE_BREAK_S = float(os.environ.get("PLANNER_TIE_BREAK_S", "1.5"))
# Old planner runs (docs/planner-web.md, "Old runs"): a finished run started more than
# PLANNER_RUN_RETENTION_DAYS ago is deleted (0 keeps every run), but the PLANNER_RUNS_KEPT newest.
PLANNER_RUN_RETENTION_DAYS = int(os.environ.get("PLANNER_RUN_RETENTION_DAYS", "90"))
PLANNER_RUNS_KEPT = int(os.environ.get("PLANNER_RUNS_KEPT", "20"))
# Static files: in development WhiteNoise finds them in the apps; in production they are
# collected (`renfort collectstatic`, run by `renfort serve --production`) with hashed names and
# compressed copies, served by WhiteNoise with far-future cache headers (docs/deploy.md).
WHITENOISE_USE_FINDERS = DEBUG
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (agreement documents, exports) on several machines: a volume every machine
# mounts at MEDIA_ROOT, or an S3-compatible store when MEDIA_S3_BUCKET is set (django-storages,
# `pip install 'renfort[s3]'`; credentials from the usual AWS_* variables; docs/deploy.md).
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# IATI export (docs/iati.md): the reporting organisation's IATI identifier and type (40:
# multilateral), and the address naming the project's own topic vocabulary (sector vocabulary 99).
# The default identifier is a placeholder: a publisher sets its registered one.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XI-RENFORT")
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "40")
IATI_TOPIC_VOCABULARY_URI = os.environ.get("IATI_TOPIC_VOCABULARY_URI", "urn:renfort:topics")

# Personal data (docs/privacy.md, "Retention"): how long each kind of record is kept, in days,
# before `renfort retention --apply` deletes it (0: kept until deleted by hand). The ledger of
# erased experts (ids only) lives outside the database so that erasures survive the restore
# of an older backup (`renfort retention --reapply-erasures`).
RETENTION_NOTIFICATION_DAYS = int(os.environ.get("RETENTION_NOTIFICATION_DAYS", "365"))
RETENTION_PLANNER_INPUT_DAYS = int(os.environ.get("RETENTION_PLANNER_INPUT_DAYS", "180"))
RETENTION_INVITATION_DAYS = int(os.environ.get("RETENTION_INVITATION_DAYS", "90"))
RETENTION_LOCKOUT_DAYS = int(os.environ.get("RETENTION_LOCKOUT_DAYS", "30"))
RETENTION_SESSION_DAYS = int(os.environ.get("RETENTION_SESSION_DAYS", "0"))
RETENTION_HISTORY_DAYS = int(os.environ.get("RETENTION_HISTORY_DAYS", "3650"))
PRIVACY_ERASURE_LEDGER = Path(
    os.environ.get("PRIVACY_ERASURE_LEDGER", VAR_DIR / "erased-experts.txt")
)

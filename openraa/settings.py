"""OpenRAA settings. Everything a deployment changes comes from the environment:

OPENRAA_SECRET_KEY   required unless OPENRAA_DEBUG=1
OPENRAA_DEBUG        "1" for local development and the demo
DATABASE_URL         e.g. postgres://postgres@127.0.0.1:5432/openraa; SQLite when unset
OPENRAA_SQLITE_PATH  where the embedded SQLite database lives (default ./openraa.sqlite3)
OPENRAA_ALLOWED_HOSTS comma-separated host names
OPENRAA_EMAIL_BACKEND smtp, notify, outbox, console or a Django e-mail backend's dotted path
                     (default: outbox when OPENRAA_DEBUG=1, else smtp); see openraa/common/mail.py
OPENRAA_EMAIL_HOST, OPENRAA_EMAIL_PORT, OPENRAA_EMAIL_HOST_USER, OPENRAA_EMAIL_HOST_PASSWORD,
OPENRAA_EMAIL_USE_TLS ("1") the SMTP relay; OPENRAA_FROM_EMAIL the sender of every e-mail
OPENRAA_NOTIFY_API_KEY, OPENRAA_NOTIFY_TEMPLATE_ID GOV.UK Notify's API key and generic template
OPENRAA_OUTBOX_DIR   where the outbox keeps e-mails instead of sending them (default ./sent-emails)
OPENRAA_TASKS_BACKEND the task backend of scheduled jobs (default: the database, run by `openraa db_worker`)
OPENRAA_SITE_URL     e.g. https://openraa.example.org, put before the links in e-mails
OPENRAA_INVITATION_DAYS how long a staff invitation link works (default 7)
OPENRAA_API_TOKEN_DAYS how long an API token from `openraa api_token` lasts (default 30)
OPENRAA_TLS_PROXY    "1" when a proxy in front ends TLS and sets X-Forwarded-Proto (then, in
                     production, plain HTTP is redirected to HTTPS and HSTS is sent)
OPENRAA_SSL_REDIRECT "1"/"0" overrides whether plain HTTP is redirected to HTTPS
OPENRAA_HSTS_SECONDS the HSTS max-age in production (default one year)
OPENRAA_HSTS_PRELOAD "1" adds preload to HSTS (and so to the browsers' preload list once submitted)
OPENRAA_MEDIA_ROOT   where stored files (documents) live (default: openraa-files beside the SQLite database)
OPENRAA_S3_BUCKET    keep documents in this S3-compatible bucket instead (with OPENRAA_S3_ENDPOINT_URL,
                     OPENRAA_S3_REGION and the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of boto3)
OPENRAA_MAX_UPLOAD_BYTES the largest document a user may upload (default 20 MB)
OPENRAA_VIRUS_SCAN_COMMAND a scanner reading the file on stdin, exit 0 clean / 1 infected (default
                     clamdscan when installed; "off" for none)
OPENRAA_BACKUP_RECIPIENT the age public key (age1...) backups are encrypted to (`openraa backup_key`)
OPENRAA_BACKUP_MAX_AGE_HOURS how old the last backup may be before `openraa check_health` reports it (default 26)
OPENRAA_SENTRY_DSN   report errors to Sentry (or a compatible service) when set; no personal data is sent
OPENRAA_SENTRY_ENVIRONMENT the environment the errors are reported under (default production)
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DEBUG = os.environ.get("OPENRAA_DEBUG") == "1"

SECRET_KEY = os.environ.get("OPENRAA_SECRET_KEY") or (
    "insecure-development-key-never-used-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set OPENRAA_SECRET_KEY (or OPENRAA_DEBUG=1 for a local demo).")

ALLOWED_HOSTS = os.environ.get("OPENRAA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "simple_history",
    "openraa.partnership",
    "openraa.people",
    "openraa.children",
    "openraa.households",
    "openraa.journeys",
    "openraa.matching",
    "openraa.finance",
    "openraa.simulation",
    "openraa.interchange",
    "openraa.performance",
    "openraa.drift",
    "openraa.governance",
    "openraa.support",
    "openraa.permanence",
    "openraa.casework",
    "openraa.families",
    "openraa.audit",
    "openraa.web",
    "openraa.home",
    "openraa.agency",
    "openraa.staff",
    "openraa.demo",
    "openraa.benchmarks",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "openraa.security",
    # Scheduled jobs: django-tasks on Django 5.2, its database backend and `db_worker` (own migrations).
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the load balancer's probe, by the server's address, before the host check refuses it.
    "openraa.home.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "openraa.security.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files stay cacheable, everything the application answers is not.
    "openraa.security.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "openraa.security.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "openraa.security.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "openraa.people.middleware.DenyByDefaultMiddleware",
    "openraa.home.middleware.OwnNotFoundPageMiddleware",
    # Last, as django-axes asks: turns a lock-out into the "you cannot sign in" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openraa.urls"
WSGI_APPLICATION = "openraa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openraa.home.context.navigation",
                "openraa.families.context.adopter",
            ],
        },
    }
]
# GOV.UK field templates live in templates/django/forms; let app templates override Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + os.environ.get("OPENRAA_SQLITE_PATH", str(Path.cwd() / "openraa.sqlite3")),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves many staff at once (`make demo`). WAL lets pages read while one
    # request writes; SQLite still takes one writer at a time, so a writer waits its turn (timeout,
    # seconds) instead of failing with "database is locked". A transaction that reads before it writes
    # cannot wait for that turn (SQLite refuses the upgrade at once rather than risk a deadlock), so
    # every atomic block begins IMMEDIATE: it takes the write lock first. Only write paths open atomic
    # blocks and ATOMIC_REQUESTS stays off, so a page's queries never queue for the lock (its session,
    # saved on every request, is one short write at the end). synchronous=NORMAL in WAL mode: a crash
    # of the process loses nothing committed; a power cut may lose the last commits, never corrupts.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("OPENRAA_STATIC_ROOT", Path.cwd() / "staticfiles"))
# GOV.UK Frontend and the service's own assets live in openraa/static, outside any app folder.
STATICFILES_DIRS = [BASE_DIR / "static"]
# The demo and tests serve straight from the app folders; production runs collectstatic.
WHITENOISE_USE_FINDERS = True

# Stored files (documents, issue 20) go through the default storage only, so the backup walks them
# with the storage API whatever it is (this folder, or an S3 bucket through django-storages). They
# are never served from a public URL (no MEDIA_URL): a view checks who may read each one.
MEDIA_ROOT = Path(
    os.environ.get(
        "OPENRAA_MEDIA_ROOT",
        Path(os.environ.get("OPENRAA_SQLITE_PATH", Path.cwd() / "openraa.sqlite3")).parent / "openraa-files",
    )
)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("OPENRAA_S3_BUCKET"):
    # Private objects, no presigned URLs handed out: the download page streams each file itself.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["OPENRAA_S3_BUCKET"],
            "endpoint_url": os.environ.get("OPENRAA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("OPENRAA_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
# Documents: the largest file a user may upload, and the virus scanner run on each (a command that
# reads the file on its standard input and exits 0 when clean, 1 when infected). Empty: clamdscan
# when it is installed, else no scan. "off" turns scanning off.
OPENRAA_MAX_UPLOAD_BYTES = int(os.environ.get("OPENRAA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
OPENRAA_VIRUS_SCAN_COMMAND = os.environ.get("OPENRAA_VIRUS_SCAN_COMMAND", "").strip()
# Backups (`openraa backup`) are encrypted to this age public key; its private key stays off the server.
OPENRAA_BACKUP_RECIPIENT = os.environ.get("OPENRAA_BACKUP_RECIPIENT", "").strip()
OPENRAA_BACKUP_MAX_AGE_HOURS = int(os.environ.get("OPENRAA_BACKUP_MAX_AGE_HOURS", "26"))

# Sessions end when the browser closes and after 30 minutes without activity.
SESSION_ENGINE = "openraa.staff.sessions"  # sessions that know their user: a leaver's end at once
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = os.environ.get("OPENRAA_SECURE_COOKIES", "0" if DEBUG else "1") == "1"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS only outside development: a browser that has seen it refuses plain HTTP for a year.
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("OPENRAA_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Not preloaded unless asked: the browsers' preload list binds every subdomain to HTTPS for months
# after leaving it, the domain owner's decision, so `check --deploy` is not asked to warn about it.
SECURE_HSTS_PRELOAD = not DEBUG and os.environ.get("OPENRAA_HSTS_PRELOAD") == "1"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a proxy that ends TLS, Django sees plain HTTP and would never send HSTS nor redirect:
# trust the proxy's X-Forwarded-Proto only when told one is there (a client could send it too), and
# then redirect plain HTTP to HTTPS in production. The health check stays reachable over HTTP for
# the proxy's own probes.
TLS_PROXY = os.environ.get("OPENRAA_TLS_PROXY") == "1"
if TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("OPENRAA_SSL_REDIRECT", "1" if TLS_PROXY and not DEBUG else "0") == "1"
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content Security Policy (django-csp 4): nothing inline, nothing from elsewhere. GOV.UK Frontend's
# script and styles are served from /static/; images may be data: URIs (GOV.UK's SVG icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Two-factor authentication (django-otp, TOTP): every signed-in user gives a code from an
# authenticator app before any page; OPENRAA_REQUIRE_2FA=0 switches it off (never in production).
OPENRAA_REQUIRE_2FA = not DEBUG or os.environ.get("OPENRAA_REQUIRE_2FA", "1") != "0"
OTP_TOTP_ISSUER = "OpenRAA"
OTP_TOTP_THROTTLE_FACTOR = 1

# Sign-in lock-out (django-axes): 5 wrong passwords for a username from one IP address lock that
# combination out for 30 minutes; other users, and the same user elsewhere, are unaffected.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "openraa.people.backends.StaffBackend",  # Django's model backend, reading the agency with the user
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
AXES_VERBOSE = False

# API tokens (machine clients) expire; only staff with two-factor sign-in set up may hold one.
OPENRAA_API_TOKEN_DAYS = int(os.environ.get("OPENRAA_API_TOKEN_DAYS", "30"))
# Request limits: a form or JSON body larger than this, or a form of more fields, is refused with a
# 400 before any view reads it (uploaded files are limited by their own forms); JSON may nest only so
# deep (openraa/api/parsers.py), since Python's parser recurses once per level.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("OPENRAA_MAX_REQUEST_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
OPENRAA_MAX_JSON_DEPTH = 20

REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": [
        "openraa.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "openraa.api.parsers.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "openraa.security.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["openraa.api.permissions.PolicyPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenRAA API",
    "DESCRIPTION": "The shared record of a Regional Adoption Agency. Same permissions as the pages.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Name a choice list by what it is, so a later "status" elsewhere cannot take its name.
    "ENUM_NAME_OVERRIDES": {"AgreementStatusEnum": "openraa.api.serializers.AGREEMENT_STATUS_CHOICES"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No personal data in the logs: query strings and request bodies are stripped from every record.
    "filters": {"redact": {"()": "openraa.security.logging.RedactPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "filters": ["redact"], "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "filters": ["redact"], "propagate": False},
    },
}

# E-mail (openraa/common/mail.py): every sender goes through one function; the backend is SMTP, GOV.UK
# Notify or, in the demo, the outbox the administrators' "Sent e-mails" page shows.
EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "openraa.common.mail.NotifyEmailBackend",
    "outbox": "openraa.common.mail.OutboxEmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = os.environ.get("OPENRAA_EMAIL_BACKEND", "outbox" if DEBUG else "smtp")
EMAIL_BACKEND = EMAIL_BACKENDS.get(EMAIL_BACKEND, EMAIL_BACKEND)
if "." not in EMAIL_BACKEND:
    raise ImproperlyConfigured(
        f"OPENRAA_EMAIL_BACKEND={EMAIL_BACKEND!r}: use {', '.join(EMAIL_BACKENDS)} or a dotted path"
    )
OPENRAA_NOTIFY_API_KEY = os.environ.get("OPENRAA_NOTIFY_API_KEY", "")
OPENRAA_NOTIFY_TEMPLATE_ID = os.environ.get("OPENRAA_NOTIFY_TEMPLATE_ID", "")
OPENRAA_OUTBOX_DIR = Path(os.environ.get("OPENRAA_OUTBOX_DIR", Path.cwd() / "sent-emails"))
EMAIL_HOST = os.environ.get("OPENRAA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("OPENRAA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("OPENRAA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OPENRAA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("OPENRAA_EMAIL_USE_TLS") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("OPENRAA_FROM_EMAIL", "OpenRAA <no-reply@openraa.invalid>")
OPENRAA_SITE_URL = os.environ.get("OPENRAA_SITE_URL", "").rstrip("/")
# Staff invitations are Django's password-reset tokens under their own salt: this is how long one works.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("OPENRAA_INVITATION_DAYS", "7")) * 24 * 60 * 60

# Scheduled jobs (the drift digest, governance reminders): cron enqueues them, `openraa db_worker` runs
# them from the database, where each run's outcome and any error are kept.
TASKS = {"default": {"BACKEND": os.environ.get("OPENRAA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Single sign-on (OpenID Connect, mozilla-django-oidc; openraa/security/oidc.py). Each member council's
# provider is a SignInProvider record an administrator adds (Partnership > Single sign-on), its client
# secret in an environment variable OPENRAA_OIDC_SECRET_<name> the record names. One more provider may be
# set here, the fallback for a deployment with one provider for all: OPENRAA_OIDC_ISSUER, e.g.
# https://login.microsoftonline.com/<tenant id>/v2.0 for Entra ID; it signs in any active user by e-mail.
# A sign-in matches an active user by e-mail address and never creates one. OPENRAA_OIDC_TRUSTS_MFA=1
# says the fallback provider always asks for a second factor, so OpenRAA's own code is not asked as well.
OPENRAA_OIDC_ISSUER = os.environ.get("OPENRAA_OIDC_ISSUER", "").rstrip("/")
OPENRAA_OIDC_TRUSTS_MFA = os.environ.get("OPENRAA_OIDC_TRUSTS_MFA") == "1"
OIDC_RP_CLIENT_ID = os.environ.get("OPENRAA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OPENRAA_OIDC_CLIENT_SECRET", "")
if OPENRAA_OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("Set OPENRAA_OIDC_CLIENT_ID and OPENRAA_OIDC_CLIENT_SECRET with OPENRAA_OIDC_ISSUER.")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
# Signing out after a single sign-on ends the provider's session too (RP-initiated logout).
OIDC_OP_LOGOUT_URL_METHOD = "openraa.security.oidc.provider_logout_url"
AUTHENTICATION_BACKENDS.append("openraa.security.oidc.CouncilSignInBackend")
# The callback tries no password, and one office's refused sign-ins must not lock out its neighbours.
AXES_WHITELIST_CALLABLE = "openraa.security.oidc.is_single_sign_on"

# Error reporting (off unless OPENRAA_SENTRY_DSN is set): no personal data leaves, see openraa/security/errors.py.
OPENRAA_SENTRY_DSN = os.environ.get("OPENRAA_SENTRY_DSN", "")
if OPENRAA_SENTRY_DSN:
    from openraa.security.errors import start_error_reporting

    start_error_reporting(OPENRAA_SENTRY_DSN, os.environ.get("OPENRAA_SENTRY_ENVIRONMENT", "production"))

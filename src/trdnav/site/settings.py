"""Django settings, read only from environment variables (see docs/configuration.md).

``TRDNAV_ENV`` selects the posture: ``production`` (the default) refuses unsafe values;
``demo``, ``development`` and ``test`` allow a built-in key and a local SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from trdnav.site.config import (
    env_bool,
    env_int,
    env_list,
    env_str,
    environment,
    parse_database_url,
    reminders_hour,
    replica_databases,
    secret_key,
    site_url_is_plain_http,
    smtp_settings,
)
from trdnav.site.proxy import parse_proxies

TRDNAV_ENV = environment()
IS_PRODUCTION = TRDNAV_ENV == "production"
BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TRDNAV_DATA_DIR", str(Path.cwd() / "var")))

SECRET_KEY = secret_key(TRDNAV_ENV)
DEBUG = env_bool("TRDNAV_DEBUG", default=TRDNAV_ENV == "development")
ALLOWED_HOSTS = env_list(
    "TRDNAV_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("TRDNAV_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Listed so the API docs page serves Swagger UI from our own static files, not a CDN.
    "ninja",
    "trdnav.accounts",
    "trdnav.audit",
    "trdnav.patients",
    "trdnav.assessments",
    "trdnav.clinical",
    "trdnav.history",
    "trdnav.courses",
    "trdnav.dashboard",
    "trdnav.analytics",
    "trdnav.portal",
    "trdnav.safety",
    "trdnav.guide",
    "trdnav.jobs",
    "trdnav.web",
    "trdnav.cds",
]

MIDDLEWARE = [
    # First: forwarded headers count only from TRDNAV_TRUSTED_PROXIES (docs/deployment.md).
    "trdnav.site.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "trdnav.web.middleware.ContentSecurityPolicyMiddleware",
    # Last: on SQLite, pages that only read skip the request-wide write lock (see its module).
    "trdnav.site.transactions.ShortReadTransactionsMiddleware",
]

ROOT_URLCONF = "trdnav.site.urls"
WSGI_APPLICATION = "trdnav.site.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trdnav.accounts.context_processors.access",
            ],
        },
    },
]

_default_db = "sqlite:///" + str(DATA_DIR / "trdnav.sqlite3")
DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", _default_db)).as_django()}
# A read replica for the heavy analytics reads (docs/deployment.md, "Read replica"): the alias
# ``replica`` exists only when DATABASE_READ_URL is set; trdnav.databases routes to it.
DATABASES.update(replica_databases(env_str("DATABASE_READ_URL")))
DATABASE_ROUTERS = ["trdnav.databases.AnalyticsReplicaRouter"]
# Analytics cells counting fewer people than this are suppressed (docs/analytics.md, P-AN3).
TRDNAV_ANALYTICS_MIN_CELL = env_int("TRDNAV_ANALYTICS_MIN_CELL", 5, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after inactivity; clinical data must not stay open on a shared workstation.
SESSION_COOKIE_AGE = env_int("TRDNAV_SESSION_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# --- Production path: HTTPS, proxy trust, refusals (docs/deployment.md) -------------------
_https = env_bool("TRDNAV_HTTPS", default=IS_PRODUCTION)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("TRDNAV_DEBUG=true is refused when TRDNAV_ENV=production")
if IS_PRODUCTION and not _https:
    raise ImproperlyConfigured(
        "TRDNAV_HTTPS=false is refused when TRDNAV_ENV=production; serve behind a TLS proxy"
    )
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("TRDNAV_SSL_REDIRECT", default=False)
# X-Forwarded-Proto/For are honoured only from these addresses (trdnav.site.proxy), never from
# a client: Django's own SECURE_PROXY_SSL_HEADER would trust any sender, so it stays off.
TRDNAV_TRUSTED_PROXIES = env_list("TRDNAV_TRUSTED_PROXIES", [])
parse_proxies(TRDNAV_TRUSTED_PROXIES)
SECURE_PROXY_SSL_HEADER = None
SECURE_HSTS_SECONDS = env_int("TRDNAV_HSTS_SECONDS", 31536000 if _https else 0)
if IS_PRODUCTION and SECURE_HSTS_SECONDS == 0:
    raise ImproperlyConfigured("TRDNAV_HSTS_SECONDS=0 is refused when TRDNAV_ENV=production")
# --- end of production path block -------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Flash messages can carry health data (a score, a safety flag, a patient's e-mail address):
# keep them in the server-side session, never in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TRDNAV_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Set only when a proxy serves collected files; otherwise WhiteNoise serves the app folders.
STATIC_ROOT = env_str("TRDNAV_STATIC_ROOT") or None
# WhiteNoise serves straight from the app folders, so no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str(
    "TRDNAV_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("TRDNAV_EMAIL_FROM", "trdnav@localhost")
# --- SMTP (docs/configuration.md, "E-mail"); checked here so a bad value stops the start ---
_smtp = smtp_settings(production=IS_PRODUCTION)
EMAIL_HOST = _smtp.host
EMAIL_PORT = _smtp.port
EMAIL_USE_TLS = _smtp.use_tls
EMAIL_USE_SSL = _smtp.use_ssl
EMAIL_HOST_USER = _smtp.user
EMAIL_HOST_PASSWORD = _smtp.password
EMAIL_TIMEOUT = _smtp.timeout
# --- end of SMTP block ------------------------------------------------------------------

# Patient portal (docs/portal.md): invitation links expire after this many days; a due
# questionnaire counts as overdue this many days after its due date; e-mailed links start here.
TRDNAV_INVITATION_DAYS = env_int("TRDNAV_INVITATION_DAYS", 7, minimum=1)
TRDNAV_DUE_GRACE_DAYS = env_int("TRDNAV_DUE_GRACE_DAYS", 2, minimum=0)
TRDNAV_SITE_URL = env_str("TRDNAV_SITE_URL", "http://127.0.0.1:8000")
# Production path: links e-mailed to patients must not be plain HTTP to a real host.
if IS_PRODUCTION and site_url_is_plain_http(TRDNAV_SITE_URL):
    raise ImproperlyConfigured(
        f"TRDNAV_SITE_URL={TRDNAV_SITE_URL!r} must start with https:// in production"
    )

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (trdnav.accounts.throttle, django-axes): this many failures for one
# username (from any address), or from one address (for any username), lock it for the window.
TRDNAV_LOGIN_MAX_FAILURES = env_int("TRDNAV_LOGIN_MAX_FAILURES", 5, minimum=1)
TRDNAV_LOGIN_MAX_FAILURES_PER_ADDRESS = env_int(
    "TRDNAV_LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1
)
TRDNAV_LOGIN_LOCK_MINUTES = env_int("TRDNAV_LOGIN_LOCK_MINUTES", 15, minimum=1)

# The dashboard calls a patient's measures overdue after this many days without any
# assessment (policy P-W3, docs/clinical-policies.md).
# CDS Hooks (docs/configuration.md, docs/interop.md): the EHRs allowed to call, as JSON.
TRDNAV_CDS_ISSUERS = env_str("TRDNAV_CDS_ISSUERS")
TRDNAV_CDS_BASE_URL = env_str("TRDNAV_CDS_BASE_URL", TRDNAV_SITE_URL).rstrip("/")
TRDNAV_CDS_JWKS_CACHE_SECONDS = env_int("TRDNAV_CDS_JWKS_CACHE_SECONDS", 300, minimum=0)

TRDNAV_MEASURES_DUE_DAYS = env_int("TRDNAV_MEASURES_DUE_DAYS", 28, minimum=1)

# Background jobs (trdnav.jobs, docs/deployment.md "Worker"): the worker enqueues the day's
# questionnaire reminders once this local hour has come ("off" leaves reminders to cron), and
# deletes finished jobs, with their outputs (exports are patient data), after this many hours.
# Off by default outside production: the demo would otherwise e-mail (to its console) at once.
TRDNAV_REMINDERS_HOUR = reminders_hour(
    env_str("TRDNAV_REMINDERS_HOUR", "7" if IS_PRODUCTION else "off")
)
TRDNAV_JOB_KEEP_HOURS = env_int("TRDNAV_JOB_KEEP_HOURS", 24, minimum=1)

# Logs carry request paths and errors only; patient data never goes to a log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TRDNAV_LOG_LEVEL", "INFO")},
}

# --- Input guards and caching (trdnav.web.guards) -------------------------------------------
# A NUL character in the address is refused before any view runs; every dynamic response is
# ``Cache-Control: no-store`` unless the view says otherwise (static files keep theirs).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "trdnav.web.guards.RejectUnstorableInputMiddleware",
)
# Before the read-transaction middleware, which must stay last (it wraps the view itself).
MIDDLEWARE.insert(
    MIDDLEWARE.index("trdnav.site.transactions.ShortReadTransactionsMiddleware"),
    "trdnav.web.guards.NoStoreMiddleware",
)

# --- Audit trail and accounts (docs/access-control.md) -------------------------------------

# django-axes counts failed log-ins in the database; trdnav.accounts.throttle asks it once per
# scope (username, address), each with its own limit, inside a per-username/per-address gate.
# Axes' backend and middleware are not used: the log-in forms call it (so the locked page is
# the log-in page with a message, and the admin log-in is covered the same way).
INSTALLED_APPS = [*INSTALLED_APPS, "axes"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = "trdnav.accounts.throttle.axes_lockout_parameters"
AXES_FAILURE_LIMIT = "trdnav.accounts.throttle.axes_failure_limit"
AXES_COOLOFF_TIME = "trdnav.accounts.throttle.axes_cool_off"
AXES_USERNAME_CALLABLE = "trdnav.accounts.throttle.axes_username"
AXES_CLIENT_IP_CALLABLE = "trdnav.accounts.throttle.axes_client_ip"
AXES_RESET_ON_SUCCESS = False  # the form clears only the username's failures on success
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful log-ins are in the audit trail already
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Axes backend and middleware are deliberately not installed (see above).
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W002", "axes.W003"]
# A password that is only the person's own name (login or patient record) is refused.
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {"NAME": "trdnav.accounts.names.PersonNameValidator"},
]
# Multi-factor authentication (trdnav.accounts.mfa): TOTP devices and recovery codes via
# django-otp, required for staff of clinics that set ``require_mfa_for_staff``.
INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
_auth_at = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_auth_at],
    "django_otp.middleware.OTPMiddleware",
    "trdnav.accounts.mfa.RequireMFAMiddleware",
    # Refused reads are audited even though the request's transaction is rolled back (it only
    # has process_exception, so its place does not matter; kept off the end of the list).
    "trdnav.audit.refusals.AuditRefusalsMiddleware",
    *MIDDLEWARE[_auth_at:],
]
OTP_TOTP_ISSUER = "TRD Navigator"
# WebAuthn (django-otp-webauthn) as a second factor only: never a password-less log-in.
# The relying party is the host the page was served from; origins default to the CSRF ones.
INSTALLED_APPS = [*INSTALLED_APPS, "django_otp_webauthn"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "TRD Navigator"
OTP_WEBAUTHN_RP_ID_CALLABLE = "trdnav.accounts.mfa.webauthn_rp_id"
# Until an https origin is known (TRDNAV_WEBAUTHN_ORIGINS, CSRF origins or an https site URL)
# passkeys work only on https://localhost: the app still starts, and TOTP still works.
_site_origin = TRDNAV_SITE_URL.rstrip("/") if TRDNAV_SITE_URL.startswith("https://") else ""
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "TRDNAV_WEBAUTHN_ORIGINS",
    [o for o in CSRF_TRUSTED_ORIGINS if o.startswith("https://")]
    or ([_site_origin] if _site_origin else [])
    or (["https://localhost"] if IS_PRODUCTION else ["http://localhost:8000"]),
)

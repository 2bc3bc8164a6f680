"""Settings for the SI joint injection tool, driven by environment variables.

Every variable is listed in the README. Helpers fail closed: an unreadable value
stops start-up instead of silently falling back.
"""

import os
from datetime import time
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from assessments.rules import CONFOUNDER_POLICIES
from assessments.rules.coverage import find as find_coverage_policy
from assessments.rules.profiles import find as find_profile
from assessments.rules.relief import EXPECTED_MINUTES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int_item(name: str, item: str) -> int:
    try:
        return int(item)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must list whole numbers, not {item!r}.") from None


def env_clock(name: str, default: str) -> time:
    value = os.environ.get(name) or default
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a clock time like 18:00, not {value!r}."
        ) from None


def env_range(name: str, default: str) -> tuple[int, int]:
    value = os.environ.get(name) or default
    low_text, _, high_text = value.partition("-")
    try:
        low, high = int(low_text), int(high_text)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be minutes like 60-120, not {value!r}.") from None
    if not 0 < low <= high:
        raise ImproperlyConfigured(f"{name} must be minutes like 60-120, not {value!r}.")
    return (low, high)


def env_clock_range(name: str, default: str) -> tuple[time, time]:
    value = os.environ.get(name) or default
    start_text, _, end_text = value.partition("-")
    start: time | None
    end: time | None
    try:
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    except ValueError:
        start = end = None
    if start is None or end is None or start == end:
        raise ImproperlyConfigured(
            f"{name} must be two different clock times like 21:00-08:00, not {value!r}."
        )
    return (start, end)


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "clinic.admin.ClinicAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "clinic.apps.SignInLimitsConfig",  # django-axes
    "django_otp",
    "clinic.apps.AuthenticatorsConfig",  # django_otp.plugins.otp_totp
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assessments.idle_sessions.ActivityRenewsSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "assessments.no_store.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "assessments.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "assessments.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Each worker thread keeps its connection (a new SQLite connection costs a few ms of
        # PRAGMAs per request); a health check before reuse survives a database restart.
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real embedded database for several writers: a transaction takes the write
    # lock when it begins (a deferred one fails at once with "database is locked" when it
    # upgrades mid-way), a writer waits up to SQLITE_BUSY_SECONDS for the lock, and WAL
    # lets readers go on while one writer commits (synchronous=NORMAL is durable in WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The kept pages (assessments/views/fragments.py): each process's memory by default; one Redis
# that every app server shares when REDIS_URL is set. Short socket timeouts: a Redis that does
# not answer makes the pages be rendered afresh, never hang.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "REDIS_URL must start with redis://, rediss:// or unix:// (e.g. redis://127.0.0.1:6379/0)."
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "si",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 256},
        }
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# The patient's pages, handout and reminders speak the patient's language (the patient
# record's, not the browser's); staff pages stay English. Catalogues: locale/<lang>/.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Security. HTTPS defaults on whenever DEBUG is off; set HTTPS=0 only for plain-HTTP
# loopback use (tests, benchmarks). Behind a TLS proxy set SECURE_PROXY_SSL_HEADER=1.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A failed form check gets the site's own page (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "assessments.errors.csrf_failure"

# Shared clinic computers: a session ends after this many idle minutes. Activity renews it
# at most once a minute (assessments/idle_sessions.py) rather than with a write per request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ACTIVITY_WRITE_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling: a username is locked for 15 minutes after 5 failures from one address,
# and from every address after 20 (a wrong authenticator code counts as a failure).
AXES_HANDLER = "assessments.login_limits.PerParameterLimitHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_FAILURE_LIMITS = [
    env_int("LOGIN_FAILURES_PER_ADDRESS", 5),
    env_int("LOGIN_FAILURES_PER_ACCOUNT", 20),
]
AXES_FAILURE_LIMIT = min(AXES_FAILURE_LIMITS)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the client address is the Nth from the right in X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "assessments.two_factor.client_ip"
AXES_VERBOSE = False  # No banner on every manage.py command.

# Bulk downloads (exports, PDF zips) streaming at once per server process; 0: no bound.
EXPORTS_PER_WORKER = env_int("EXPORTS_PER_WORKER", 1)

# Two-factor (TOTP): required for superusers and clinicians when OTP_REQUIRED=1.
OTP_REQUIRED = env_bool("OTP_REQUIRED")
# With OTP_REQUIRED, a first authenticator needs a one-time code from an administrator.
ENROLMENT_CODE_HOURS = env_int("ENROLMENT_CODE_HOURS", 24)
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "SI joint injections")

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/"

# Signed-report archive; keep it on backed-up storage in production.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"

# History is an audit trail: reverting from it would bypass sign-off and validation.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The clinical rule: see assessments/rules/ and the README. The primary criteria profile
# decides the stored outcome; every built-in profile is shown beside it.
SI_PROFILE = os.environ.get("SI_PROFILE", "LEAFLET")
try:
    SI_PROFILE = find_profile(SI_PROFILE).code
except ValueError as error:
    raise ImproperlyConfigured(f"SI_PROFILE: {error}") from None
SI_CONFOUNDER_POLICY = os.environ.get("SI_CONFOUNDER_POLICY", "warn")
if SI_CONFOUNDER_POLICY not in CONFOUNDER_POLICIES:
    raise ImproperlyConfigured("SI_CONFOUNDER_POLICY must be 'warn' or 'non_diagnostic'.")
for retired in ("SI_THRESHOLD_PERCENT", "SI_THRESHOLD_COMPARATOR"):
    if os.environ.get(retired):
        raise ImproperlyConfigured(
            f"{retired} was replaced by SI_PROFILE: LEAFLET is more than 75 %, CMS-LCD-2023 "
            "at least 75 % (provoked), ASPN-2024 more than 50 %, RESEARCH-80 at least 80 %."
        )

# Payer coverage checklists shown with every block (assessments/rules/coverage.py): codes,
# optionally "@version"; COMPARATIVE is always shown for a block in a comparative series.
# Warnings only: an unmet checklist never stops saving or signing.
SI_COVERAGE_POLICIES = env_list("SI_COVERAGE_POLICIES", "CMS-L39402")
try:
    SI_COVERAGE_POLICIES = [find_coverage_policy(code).key for code in SI_COVERAGE_POLICIES]
except ValueError as error:
    raise ImproperlyConfigured(f"SI_COVERAGE_POLICIES: {error}") from None
# The ICD-10-CM code the clinic records for SI joint pain, printed in the coding hints.
SI_ICD10_CODE = os.environ.get("SI_ICD10_CODE", "M53.3")

# The patient's diary (assessments/diary/schedule.py): slots in minutes after the injection
# for the anaesthetic's hours, then one a day on days 1..DIARY_DAYS at DIARY_DAILY_AT.
DIARY_MINUTES = [
    env_int_item("DIARY_MINUTES", item)
    for item in env_list("DIARY_MINUTES", "15,30,45,60,120,180,240,300,360,420,480")
]
DIARY_DAYS = env_int("DIARY_DAYS", 7)
DIARY_DAILY_AT = env_clock("DIARY_DAILY_AT", "18:00")
# A patient's diary link works until the end of this follow-up day (clinic time).
DIARY_LINK_DAYS = env_int("DIARY_LINK_DAYS", 7)
DIARY_POSTS_PER_HOUR = env_int("DIARY_POSTS_PER_HOUR", 30)
# Expected duration of each local anaesthetic, minutes "low-high" (duration of relief).
# The defaults are the rule's one table (assessments/rules/relief.py).
ANAESTHETIC_MINUTES = {
    agent: env_range(f"{agent.upper()}_MINUTES", f"{low}-{high}")
    for agent, (low, high) in EXPECTED_MINUTES.items()
}

CLINIC_NAME = os.environ.get("CLINIC_NAME", "Demo Spine Clinic")
CLINIC_ADDRESS = os.environ.get("CLINIC_ADDRESS", "1 Example Street, Exampletown")
CLINIC_PHONE = os.environ.get("CLINIC_PHONE", "+44 20 7946 0000")
# The address patients reach the site at, for diary links printed on handouts and by
# `diary_link`, e.g. https://si.example.org. Empty: the address of the staff's own request.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# Mobile numbers typed without "+" are read in this country (ISO 3166 code, e.g. GB, US, ES).
PHONE_REGION = os.environ.get("PHONE_REGION", "").upper()
if PHONE_REGION and not (len(PHONE_REGION) == 2 and PHONE_REGION.isalpha()):
    raise ImproperlyConfigured(
        f"PHONE_REGION must be a two-letter country code, not {PHONE_REGION!r}."
    )

# Diary reminders (assessments/reminders/, `manage.py send_reminders`): none in the quiet
# hours (clinic time); the loop sleeps REMINDER_LOOP_SECONDS between rounds.

REMINDER_QUIET_HOURS = env_clock_range("REMINDER_QUIET_HOURS", "21:00-08:00")
REMINDER_LOOP_SECONDS = env_int("REMINDER_LOOP_SECONDS", 60)

# Email: SMTP from the environment; with DEBUG and no EMAIL_HOST, printed on the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (465), not both."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "reminders@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (assessments/reminders/sms.py): "console" prints them, "twilio" sends them
# through Twilio's Messages API, empty sends none (patients with only a mobile get none).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console" if DEBUG else "").lower()
if SMS_BACKEND not in {"", "console", "twilio"}:
    raise ImproperlyConfigured(
        f"SMS_BACKEND must be empty, 'console' or 'twilio', not {SMS_BACKEND!r}."
    )
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
TWILIO_API_URL = os.environ.get("TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
if not TWILIO_API_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"TWILIO_API_URL must be an http(s) address, not {TWILIO_API_URL!r}."
    )
if SMS_BACKEND == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM):
    raise ImproperlyConfigured(
        "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM."
    )

REPORT_PAGE_SIZE = os.environ.get("REPORT_PAGE_SIZE", "A4").upper()
if REPORT_PAGE_SIZE not in {"A4", "LETTER"}:
    raise ImproperlyConfigured("REPORT_PAGE_SIZE must be 'A4' or 'LETTER'.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

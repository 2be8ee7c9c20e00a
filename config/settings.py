"""The one settings module. Every value that differs between machines comes from the environment
(see README, "Configuration"); a wrong value stops start-up with a clear message (config/env.py)."""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.boolean("DEBUG", False)
# The quick start (`make run`): production settings (error pages, whitenoise) served over plain HTTP on this machine
# only, with a secret key generated once under VAR_DIR. Never for a real installation: it turns HTTPS off.
QUICKSTART = env.boolean("QUICKSTART", False)
LOCAL_HOSTS = ["127.0.0.1", "localhost"]

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG or QUICKSTART else [])
if QUICKSTART and not set(ALLOWED_HOSTS) <= {*LOCAL_HOSTS, "[::1]"}:
    raise ImproperlyConfigured(
        f"QUICKSTART=true serves plain HTTP on this machine only; ALLOWED_HOSTS={','.join(ALLOWED_HOSTS)!r} names "
        "another host. A real installation needs production settings behind HTTPS (README, Production)."
    )


def _quickstart_secret_key() -> str:
    """The quick start's own secret key: generated once into VAR_DIR/secret-key (mode 0600), then read. Written
    aside and linked into place, so processes starting together (make run) never read a half-written file."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        aside = VAR_DIR / f".secret-key.{os.getpid()}"
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another process of the quick start was first: use its key
        finally:
            aside.unlink()
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds no usable secret key: delete the file and start again.")
    return key


SECRET_KEY = env.string("SECRET_KEY", required=not (DEBUG or QUICKSTART))
if not SECRET_KEY:
    SECRET_KEY = _quickstart_secret_key() if QUICKSTART else "django-insecure-development-only-key"
CSRF_TRUSTED_ORIGINS = env.strings("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.string("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "auditlog",
    "health_check",
    "committee",
    "committee.compliance",
    "committee.funding",
    "committee.documents",
    "committee.party_reports",
    "committee.notices",
    "committee.ballots",
    "committee.calendar",
    "committee.duties",
    "meetings",
    "supervision",
    "supervision.activities",
    "deputies",
    "deputies.suggestions",
    "deputies.records",
    "deputies.reports",
    "liaison_stations",
    "livelihood_votes",
    "livelihood_votes.council",
    "livelihood_votes.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),  # runserver serves static files in DEBUG
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "committee.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'committee.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL={_database_url!r} cannot be used: {error}") from None
if DATABASES["default"]["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL={_database_url!r}: only postgres:// (production) and sqlite:// (quick start) are supported."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start's web server and worker share one file. Take the write lock when a transaction begins,
    # waiting for it up to 60 s (a deferred transaction that reads first fails at once with "database is locked"
    # when another process writes; `seed_demo --rest`, run while `make run` serves, holds it for one demo step at
    # a time, which can take tens of seconds on a loaded machine), and let pages read while others write (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 60,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker, cache and background jobs --------------------------------------------------------
REDIS_URL = env.string("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://.")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Embedded quick start: Celery's filesystem transport needs no server; the worker started by
    # `make run` reads the same folder the web process writes to.
    _queue_dir = VAR_DIR / "celery-queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery-control"),  # kombu's default is ./control, in the checkout
        "store_processed": False,
    }
    # A file cache, so the web server and the worker see the same entries (the working-day calendar's version).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if REDIS_URL:
    # A page that enqueues must not hang on an unreachable broker (committee.notices; the sweep catches up).
    CELERY_BROKER_TRANSPORT_OPTIONS |= {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BEAT_SCHEDULE = {
    "notices-sweep": {"task": "notices.sweep", "schedule": 60.0},  # committee.notices: due notices, reminders
    # committee.documents: documents whose render task was lost (broker down when they were issued)
    "documents-enqueue-pending": {"task": "documents.enqueue_pending_documents", "schedule": 300.0},
    # committee.uploads: files kept for a form shown again (an error, a confirmation page) and never sent
    "uploads-clean-held": {"task": "uploads.clean_held", "schedule": 3600.0},
}

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "committee.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "committee.auth.MobileOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.integer("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not QUICKSTART:
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP from inside the container
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.boolean("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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

# --- Audit log -------------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "committee.AuditEntry"
AUDITLOG_STORE_JSON_CHANGES = True

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = env.string("EMAIL_HOST")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "人大街道工委 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 30)  # seconds; must stay well under NOTICES_SENDING_TIMEOUT_SECONDS

# --- Notices and reminders (committee.notices) ------------------------------------------------
NOTICES_MAX_ATTEMPTS = env.integer("NOTICES_MAX_ATTEMPTS", 5)  # per email/SMS notice, then "failed"
NOTICES_RETRY_BACKOFF_SECONDS = env.integer("NOTICES_RETRY_BACKOFF_SECONDS", 30)  # doubles per attempt...
NOTICES_RETRY_BACKOFF_MAX_SECONDS = 300  # ...up to 5 minutes: no long countdowns on Redis
NOTICES_SENDING_TIMEOUT_SECONDS = env.integer("NOTICES_SENDING_TIMEOUT_SECONDS", 600)  # then "sending" → pending
NOTICES_REENQUEUE_AFTER_SECONDS = env.integer("NOTICES_REENQUEUE_AFTER_SECONDS", 300)  # a lost task is re-sent
NOTICES_REMINDER_HOUR = env.integer("NOTICES_REMINDER_HOUR", 8)  # local hour reminders go out on their day
NOTICES_OVERDUE_EVERY_WORKING_DAYS = env.integer("NOTICES_OVERDUE_EVERY_WORKING_DAYS", 3)
NOTICES_CONFIRM_LINK_DAYS = env.integer("NOTICES_CONFIRM_LINK_DAYS", 30)  # signed 签收 links expire
NOTICES_SEND_BATCH = env.integer("NOTICES_SEND_BATCH", 50)  # notices per send task, emails over one SMTP connection
SMS_BACKEND = env.string("SMS_BACKEND", "committee.notices.sms.LogBackend")
SMS_GATEWAY_URL = env.string("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env.string("SMS_GATEWAY_TOKEN")
SMS_GATEWAY_TIMEOUT = env.integer("SMS_GATEWAY_TIMEOUT", 10)

# --- The opinion-handling loop (supervision) -------------------------------------------------
# Working days a unit has to reply, per channel (DOMAIN.md): 12345 hotline 5, snap-and-report 3, deputy
# suggestions 3 months (≈ 60 working days), every other channel 15.
OPINION_DEADLINE_WORKING_DAYS = {
    "hotline_12345": env.integer("OPINION_DEADLINE_HOTLINE", 5),
    "hotline_12345_complex": env.integer("OPINION_DEADLINE_HOTLINE_COMPLEX", 10),  # a 12345 report marked complex
    "snapshot": env.integer("OPINION_DEADLINE_SNAPSHOT", 3),
    "deputy_suggestion": env.integer("OPINION_DEADLINE_DEPUTY_SUGGESTION", 60),
    "*": env.integer("OPINION_DEADLINE_DEFAULT", 15),
}
OPINION_RETURN_WORKING_DAYS = env.integer("OPINION_RETURN_WORKING_DAYS", 7)  # a misassigned case goes back within
OPINION_REMINDER_DAYS_BEFORE = env.integer("OPINION_REMINDER_DAYS_BEFORE", 2)  # working days before the deadline
OPINION_RATING_LINK_DAYS = env.integer("OPINION_RATING_LINK_DAYS", 60)  # signed rating links (SMS) expire
# No-login forms (committee/public.py): POSTs per address and period, e.g. "10/h".
PUBLIC_FORM_RATE = env.string("PUBLIC_FORM_RATE", "10/h")
# 随手拍 (livelihood_votes.governance): photos per report and the size of each, checked by content.
SNAPSHOT_MAX_PHOTOS = env.integer("SNAPSHOT_MAX_PHOTOS", 6)
SNAPSHOT_PHOTO_MAX_BYTES = env.integer("SNAPSHOT_PHOTO_MAX_BYTES", 10 * 1024 * 1024)

# --- Language, time, files ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Working-day calendar (committee/workdays.py): the State Council's arrangement with make-up workdays, plus
# days announced locally (an extra day off, or a working day). Comma-separated ISO dates.
CALENDAR_EXTRA_HOLIDAYS = env.dates("CALENDAR_EXTRA_HOLIDAYS")
CALENDAR_EXTRA_WORKDAYS = env.dates("CALENDAR_EXTRA_WORKDAYS")
if set(CALENDAR_EXTRA_HOLIDAYS) & set(CALENDAR_EXTRA_WORKDAYS):
    raise ImproperlyConfigured("CALENDAR_EXTRA_HOLIDAYS and CALENDAR_EXTRA_WORKDAYS name the same day.")

# The term of the municipal people's congress the "per term" rules (Art 12(2)) are judged over.
CONGRESS_TERM = tuple(env.dates("CONGRESS_TERM")) or (datetime.date(2022, 1, 1), datetime.date(2026, 12, 31))
if len(CONGRESS_TERM) != 2 or CONGRESS_TERM[0] >= CONGRESS_TERM[1]:
    raise ImproperlyConfigured("CONGRESS_TERM must be two dates, start and end: 2022-01-01,2026-12-31.")

# Official documents (committee/documents): folders of licensed font files (仿宋_GB2312, 方正小标宋简体, 黑体,
# 楷体_GB2312), separated by ":"; open Noto CJK / AR PL UKai faces stand in for what is missing.
DOCUMENT_FONT_DIRS = [d for d in env.string("DOCUMENT_FONT_DIR", "").split(":") if d]
for _font_dir in DOCUMENT_FONT_DIRS:
    if not Path(_font_dir).is_dir():
        raise ImproperlyConfigured(f"DOCUMENT_FONT_DIR: {_font_dir!r} is not a folder.")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.string("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(VAR_DIR / "media")))
# committee.uploads: how long files chosen on a form that came back (an error, a confirmation) stay kept.
UPLOAD_HOLD_HOURS = env.integer("UPLOAD_HOLD_HOURS", 12)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed names and gzip/brotli copies, served by whitenoise. The quick start skips the compression
    # (13 s of CPU on every `make run`, for a loopback connection).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if QUICKSTART
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
}

# --- Deputies (deputies): 码上找代表 asks residents for their name and phone only when this is true (Art 11(6)).
DEPUTY_MESSAGE_CONTACT_REQUIRED = env.boolean("DEPUTY_MESSAGE_CONTACT_REQUIRED", False)
# Residents' council members (livelihood_votes.council): how long the list of those who passed the first review is
# publicly noticed (公示) before the party committee confirms them, in working days.
COUNCIL_NOTICE_WORKING_DAYS = env.integer("COUNCIL_NOTICE_WORKING_DAYS", 5)
# Deputies' suggestions and leader contacts (deputies.suggestions).
LEADER_CONTACTS_PER_YEAR = env.integer("LEADER_CONTACTS_PER_YEAR", 2)  # Art 11(2): per leader and assigned deputy
# --- Deputies' duty points (deputies.records, Art 12(1)) -------------------------------------
# Days after a quarter's publication in which a deputy may report 错/重/漏 on a line.
DUTY_CORRECTION_DAYS = env.integer("DUTY_CORRECTION_DAYS", 7)
# Grades of the year's total (DOMAIN.md): at least GOOD → 好, at least FAIR → 较好, below → 差.
DUTY_GRADE_GOOD = env.integer("DUTY_GRADE_GOOD", 80)
DUTY_GRADE_FAIR = env.integer("DUTY_GRADE_FAIR", 60)
# --- Liaison stations (liaison_stations, Art 14–16) ------------------------------------------
# Days before a reception its receivers are told (DOMAIN.md: 3, some standards 2).
STATIONS_ANNOUNCE_DAYS = env.integer("STATIONS_ANNOUNCE_DAYS", 3)
# The receivers a monthly "1+4" reception must have, by kind (ReceiverKind): at least 1 deputy and the four officials
# of "两官一长一员". Data, not code: a street that reads the phrase otherwise changes this mapping.
STATIONS_RECEPTION_COMPOSITION = {"deputy": 1, "judge": 1, "prosecutor": 1, "police": 1, "justice": 1}
# Art 14(3): the day ("MM-DD") by which the year's activity plan of the street station (and its operating rules for
# deputies) must exist.
STATIONS_PLAN_DUE = env.string("STATIONS_PLAN_DUE", "01-31")
# --- Deputies' reports to constituents (deputies.reports, Art 12(2)): fewer voter representatives present than
# this flags the report.
CONSTITUENT_REPORT_MIN_PRESENT = env.integer("CONSTITUENT_REPORT_MIN_PRESENT", 50)

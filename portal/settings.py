"""Settings for the agreements portal.

Every value that differs between the demo run, the tests and production comes from the
environment (django-environ). DEBUG is off unless the environment turns it on (``make run`` and
the test settings do), so a deployment that forgets it never runs on the demo keys: it refuses
to start without its own SECRET_KEY and AUDIT_SEAL_KEY. The other defaults are the demo's: an
SQLite file under var/, Celery tasks run eagerly and e-mail printed to the console. Production
sets the values listed in docs/operations.md; ``manage.py check --deploy`` must then pass with
no warning.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-demo-key-only-for-local-runs-0123456789abcdef")
else:
    SECRET_KEY = env("SECRET_KEY")  # required: no default outside the demo
# Old keys still accepted for signed values while a rotation settles (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    "portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "guardian",
    "oauth2_provider",
    "audit",
    "kernel.notifications",
    "kernel.evidence",
    "agreements",
    "governance",
    "accounts",
    "supply",
    "access_reviews",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SpanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Cache-Control: no-store on every response to a signed-in user and on every download.
    "portal.middleware.NoStoreMiddleware",
    # One access event per request of a signed-in user and per login attempt (history log).
    "audit.middleware.AccessLogMiddleware",
    # Deny by default: every view needs a signed-in user unless marked login_not_required.
    # A suspended or cancelled account, or one whose profile changed, loses its session here.
    "portal.middleware.AccountStateMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Privileged profiles see only the second-factor pages until this session passed a code.
    "accounts.second_factor.SecondFactorMiddleware",
    # A new account sees only its confidentiality letter until it accepts it (000, NOVENA).
    "accounts.letter_gate.PendingLetterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and absolute lifetime of signed-in sessions (ends them and records why).
    "accounts.middleware.SessionLifetimeMiddleware",
    # A session whose institution lost its basis of access ends at its next request (issue 15).
    "accounts.basis_sessions.BasisSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks; it only acts on refusals flagged by accounts.lockout.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Selects start with "Elija una opción", not "---------" (kernel/forms_renderer.py).
FORM_RENDERER = "kernel.forms_renderer.PortalFormRenderer"
# A list filter left empty reads "Todos" (django-filter's empty choice).
FILTERS_EMPTY_CHOICE_LABEL = _lazy("Todos")

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
                "portal.context_processors.navigation",
                "kernel.notifications.context_processors.unread",
            ],
            "libraries": {"pdf_dates": "kernel.pdf_dates", "listing": "kernel.templatetags.listing"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's embedded database, used by several people at once: readers never block the
    # writer (WAL), a writer waits up to 20 s for another instead of failing, and a transaction
    # takes the write lock when it begins (a read lock upgraded later failed at once with
    # "database is locked" when two requests read and then wrote).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # The only backend that signs anyone in: every authenticate() call (portal login, Django
    # admin login, test client) goes through the lockout policy in accounts/lockout.py.
    "accounts.backends.PortalAuthBackend",
    # Object-level grants for profiles whose scope is "assigned" (accounts.services.assignment_grant).
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian: no anonymous user row (every account needs a profile and an institution).
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Argon2id first (see accounts/hashers.py); PBKDF2 so that older hashes still verify.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link lives two hours

# Sessions: idle timeout and absolute lifetime (DESIGN.md, security invariants).
PORTAL_SESSION_IDLE_MINUTES = env.float("PORTAL_SESSION_IDLE_MINUTES", default=15)
PORTAL_SESSION_MAX_HOURS = env.float("PORTAL_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = int(PORTAL_SESSION_IDLE_MINUTES * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Dashboard figures are fresh this long (seconds; 0 computes them on every view), kept once for
# every worker in the "shared" cache and rebuilt by a beat job (portal/dashboards.py). The default
# cache is each process's own memory: nothing to run, and no outage of a shared cache can break a
# page. Counters that must hold across every app server (the password-reset rate limit) and the
# dashboard figures use the "shared" cache: Redis when REDIS_URL is set (production), this
# process's memory in the demo.
PORTAL_FIGURE_CACHE_SECONDS = env.int("PORTAL_FIGURE_CACHE_SECONDS", default=300)
# An account nobody signed in with for this many days is "dormant": flagged on the institution
# administrator's dashboard and in access reviews.
PORTAL_DORMANT_DAYS = env.int("PORTAL_DORMANT_DAYS", default=90)
REDIS_URL = env("REDIS_URL", default="")  # also the Celery broker, below
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"},
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},  # a page never hangs on it
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-shared"}
    ),
}

# Password reset ("¿Olvidó su contraseña?"): at most this many requests per e-mail address and
# per client IP within PORTAL_RESET_WINDOW_SECONDS; beyond that the same answer is shown and
# nothing is sent (accounts/throttle.py).
PORTAL_RESET_LIMIT_PER_ADDRESS = env.int("PORTAL_RESET_LIMIT_PER_ADDRESS", default=3)
PORTAL_RESET_LIMIT_PER_CLIENT = env.int("PORTAL_RESET_LIMIT_PER_CLIENT", default=10)
PORTAL_RESET_WINDOW_SECONDS = 60 * 60

# Lockout (000, OCTAVA 5): failures counted per normalised username, never per IP, until a
# successful sign-in or a reactivation (no window). The PORTAL_LOCKOUT_FAILURES-th failure locks
# the account for PORTAL_LOCKOUT_MINUTES; the first failure after a lock suspends it. Decimals
# allowed (0.05 = three seconds).
PORTAL_LOCKOUT_FAILURES = env.int("PORTAL_LOCKOUT_FAILURES", default=3)
PORTAL_LOCKOUT_MINUTES = env.float("PORTAL_LOCKOUT_MINUTES", default=60.0)

# Second factor (TOTP, django-otp): commission (platform-scope) profiles and any profile holding
# the history log must enrol an authenticator app and type its code after the password.
PORTAL_REQUIRE_SECOND_FACTOR = env.bool("PORTAL_REQUIRE_SECOND_FACTOR", default=True)
# Passkeys / security keys (WebAuthn): the relying party ID is the host people type in the browser.
# Empty = the host of PORTAL_SITE_URL (127.0.0.1 for `make run`); the origin is always that URL's.
PORTAL_WEBAUTHN_RP_ID = env("PORTAL_WEBAUTHN_RP_ID", default="")
OTP_TOTP_ISSUER = "Portal de Convenios"
# The portal's lockout (accounts.lockout) counts wrong codes; django-otp's own delays are off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# django-axes records every counted failure per username (database handler, AccessAttempt and
# AccessFailureLog). The decision to lock or suspend is taken by accounts.lockout under a row
# lock, so axes itself never locks (its counters are not safe against concurrent attempts).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]  # a shared office IP must not lock a whole institution
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_FAILURE_LIMIT = PORTAL_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=PORTAL_LOCKOUT_MINUTES)
AXES_LOCK_OUT_AT_FAILURE = False
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # refusals during a lock are not failures
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.axes_lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]  # masked in post_data
AXES_VERBOSE = False
# Axes records the client IP of each attempt with the history log's function, not its own
# django-ipware reading (which trusted a client's X-Forwarded-For with no proxy in front).
AXES_CLIENT_IP_CALLABLE = "audit.requestinfo.client_ip"
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks for "ip_address" among the lockout parameters; the portal counts per
    # username on purpose (DESIGN.md, security invariants).
    "axes.W006",
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm into the git-ignored node_modules/ (never a CDN, never in git).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
# Uploaded files: a private local folder by default; S3-compatible object storage (shared by
# several app servers) when AWS_STORAGE_BUCKET_NAME is set. Either way nothing is served by URL:
# downloads go through permission-checked views.
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    DEFAULT_FILE_STORAGE_CONFIG = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "location": env("AWS_LOCATION", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "object_parameters": {"ContentDisposition": "attachment"},
        },
    }
else:
    DEFAULT_FILE_STORAGE_CONFIG = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private"), "base_url": None},
    }
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_CONFIG,
    "staticfiles": {
        # Hashed, compressed files served by whitenoise (run collectstatic at deploy time).
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Absolute address of the portal: every link in an e-mail is built from it (portal/site.py),
# never from the request's Host header. Required outside the demo (https in production).
if DEBUG:
    PORTAL_SITE_URL = env("PORTAL_SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
else:
    PORTAL_SITE_URL = env("PORTAL_SITE_URL").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portal de Convenios <no-responder@portal.local>")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "visibility_timeout": 60 * 60}
# A web request never waits long on a missing broker: the outbox row is already committed and
# the sweep below queues it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# On a lost broker connection, unacknowledged tasks come back anyway; every task is idempotent.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULER = "portal.celery:RegisteredTasksScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))

# The one beat schedule of the portal. Add a line for each periodic task; an entry whose task is
# not (yet) registered is left out when beat starts (portal.celery.RegisteredTasksScheduler).
# Every task is idempotent: running it twice, or late, does no harm.
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "portal.notifications.tasks.sweep",
        "schedule": env.float("NOTIFICATION_SWEEP_SECONDS", default=60.0),
    },
    "audit-seal": {"task": "audit.tasks.seal_logs", "schedule": 5 * 60.0},
    "sessions-clear-expired": {"task": "portal.tasks.clear_expired_sessions", "schedule": crontab(minute=17)},
    # The commission's dashboard figures, rebuilt before they go stale (portal/dashboards.py).
    "dashboard-figures-refresh": {
        "task": "portal.tasks.refresh_dashboard_figures",
        "schedule": max(60.0, PORTAL_FIGURE_CACHE_SECONDS * 0.8),
    },
    "lockout-purge-old-attempts": {
        "task": "accounts.tasks.lockout_attempts_purge",
        "schedule": crontab(hour=3, minute=40),
    },
    # Agreements: expiry reminders, overdue designations, SLA checks (times in America/Mexico_City).
    "agreements-daily": {"task": "agreements.daily", "schedule": crontab(hour=6, minute=0)},
    # Accounts of institutions without an agreement in force (or suspended) suspended (issue 15).
    # Sign-in checks the standing by itself, so nobody signs in between midnight and this run.
    "accounts-basis-enforce": {"task": "accounts.basis_enforce", "schedule": crontab(hour=6, minute=5)},
    # Data supply: due and overdue alerts, and delivered files deleted when their retention ends.
    "supply-daily": {"task": "supply.daily", "schedule": crontab(hour=6, minute=20)},
    # Acuerdos due and overdue, pilot programs ending, consent-evidence requests overdue.
    "governance-daily": {"task": "governance.daily", "schedule": crontab(hour=6, minute=10)},
    # Account requests and changes past their business-day due date, told to the commission daily.
    "accounts-overdue-requests": {"task": "accounts.alert_overdue_requests", "schedule": crontab(hour=7, minute=30)},
    # Access reviews: reminders before the due date; campaigns past it closed and their decisions applied.
    "access-reviews-daily": {"task": "access_reviews.daily", "schedule": crontab(hour=6, minute=30)},
}

# --- Notifications outbox (kernel.notifications) -------------------------------------------
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.float("NOTIFICATION_RETRY_BASE_SECONDS", default=60.0)
NOTIFICATION_RETRY_MAX_SECONDS = env.float("NOTIFICATION_RETRY_MAX_SECONDS", default=60.0 * 60)
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env.float("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", default=15.0 * 60)
NOTIFICATION_SWEEP_BATCH = env.int("NOTIFICATION_SWEEP_BATCH", default=500)

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# django-csp 4: no inline script or style anywhere; JavaScript lives in static/js/*.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Signed PDFs and their verification page (kernel.pdfsign, kernel.evidence) -------------
# Every PDF the portal issues as evidence is signed PAdES with the commission's certificate: a
# PEM/DER certificate and key (the key may be encrypted with the passphrase), or one PKCS#12 file.
# Outside the demo one of them is required (deployment check portal.W006). Without them in the
# demo, a demo CA and certificate are generated under var/pdf-signing/ on first use.
PORTAL_PDF_SIGNING_CERT_FILE = env("PORTAL_PDF_SIGNING_CERT_FILE", default="")
PORTAL_PDF_SIGNING_KEY_FILE = env("PORTAL_PDF_SIGNING_KEY_FILE", default="")
PORTAL_PDF_SIGNING_PKCS12_FILE = env("PORTAL_PDF_SIGNING_PKCS12_FILE", default="")
PORTAL_PDF_SIGNING_KEY_PASSPHRASE = env("PORTAL_PDF_SIGNING_KEY_PASSPHRASE", default="")
PORTAL_PDF_SIGNING_CHAIN_FILE = env("PORTAL_PDF_SIGNING_CHAIN_FILE", default="")  # intermediate CAs (PEM)
# Where the demo certificate lives; empty outside the demo, where no certificate is ever made up.
PORTAL_PDF_SIGNING_DEMO_DIR = str(VAR_DIR / "pdf-signing") if DEBUG else ""
# RFC 3161 timestamping authority: when set, each signature carries its timestamp (PAdES B-T).
PORTAL_TSA_URL = env("PORTAL_TSA_URL", default="")
PORTAL_TSA_TIMEOUT_SECONDS = env.int("PORTAL_TSA_TIMEOUT_SECONDS", default=10)
# /verificar/<folio>/: requests per client and minute, and the largest PDF it compares.
PORTAL_VERIFY_LIMIT_PER_MINUTE = env.int("PORTAL_VERIFY_LIMIT_PER_MINUTE", default=30)
PORTAL_VERIFY_MAX_UPLOAD_BYTES = env.int("PORTAL_VERIFY_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

# --- History log (audit) --------------------------------------------------------------------
# HMAC key of the log's seals (audit_seal / audit_verify). Production must set its own, kept
# apart from SECRET_KEY; losing it makes the existing seals unverifiable.
if DEBUG:
    AUDIT_SEAL_KEY = env("AUDIT_SEAL_KEY", default="insecure-demo-seal-key-0123456789abcdef")
else:
    AUDIT_SEAL_KEY = env("AUDIT_SEAL_KEY")
# How many reverse proxies in front of the portal append to X-Forwarded-For (0: none, use the
# socket's address). Only their entries are trusted when finding the client IP
# (audit.requestinfo.client_ip, used by every part of the portal that reads it).
AUDIT_TRUSTED_PROXY_COUNT = env.int("AUDIT_TRUSTED_PROXY_COUNT", default=0)
AUDIT_ACCESS_LOG_ENABLED = True
# How long the history log (queries, changes, access) is kept, in years (001 Cap. IV.5 III–IV):
# shown to auditors on their dashboard; the archive of old months follows it.
AUDIT_LOG_RETENTION_YEARS = env.int("AUDIT_LOG_RETENTION_YEARS", default=5)
AUDIT_SKIP_PATHS = ("/healthz",)
AUDIT_LOGIN_VIEW_NAMES = ("login", "admin:login")
# Successful POSTs to these views are password events (Django sends no signal for them).
AUDIT_PASSWORD_VIEWS = {
    "password_change": "password_change",
    "password_reset_confirm": "password_reset",
    "password_reset": "password_reset_requested",
}

# Signed checkpoints of the history log's Merkle tree (audit.tlog). The Ed25519 signing key
# comes from the environment, never the database: AUDIT_CHECKPOINT_KEY (base64 32-byte seed) or
# AUDIT_CHECKPOINT_KEY_FILE (a file holding it); required when DEBUG is off (deploy check
# audit.E001). With DEBUG on and neither set, a key is generated on first use under var/.
AUDIT_CHECKPOINT_KEY = env("AUDIT_CHECKPOINT_KEY", default="")
AUDIT_CHECKPOINT_KEY_FILE = env("AUDIT_CHECKPOINT_KEY_FILE", default="")
AUDIT_CHECKPOINT_DEMO_KEY_FILE = str(VAR_DIR / "audit-checkpoint.key") if DEBUG else None
# The checkpoints' origin line and the key's name (default: "<host of PORTAL_SITE_URL>/bitacora").
AUDIT_CHECKPOINT_ORIGIN = env("AUDIT_CHECKPOINT_ORIGIN", default="")
AUDIT_CHECKPOINT_KEY_NAME = env("AUDIT_CHECKPOINT_KEY_NAME", default="")
# Verifier keys of rotated-out signing keys ("<name>+<hex id>+<base64>", comma-separated): still
# published at /.well-known/bitacora-key so older checkpoints keep verifying.
AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS = env.list("AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS", default=[])
CELERY_BEAT_SCHEDULE["audit-checkpoint-mail"] = {
    "task": "audit.tasks.mail_checkpoint",
    "schedule": crontab(hour=6, minute=20),
}
# The access-event and event tables are monthly partitions on PostgreSQL (audit.partitions):
# this job creates the current and next two months' partitions ahead (idempotent).
CELERY_BEAT_SCHEDULE["audit-partitions-ahead"] = {
    "task": "audit.tasks.create_partitions",
    "schedule": crontab(hour=2, minute=15),
}
# Months of the history log kept in the database besides the current one; older months may be
# archived and dropped (manage.py audit_archive --month YYYY-MM --drop). Unset: keep everything.
AUDIT_RETENTION_MONTHS = env.int("AUDIT_RETENTION_MONTHS", default=None)
# Where audit_archive writes archived months: the S3-compatible bucket when one is configured
# (under AUDIT_ARCHIVE_LOCATION), otherwise a private local folder.
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["audit_archive"] = {
        "BACKEND": DEFAULT_FILE_STORAGE_CONFIG["BACKEND"],
        "OPTIONS": {
            **DEFAULT_FILE_STORAGE_CONFIG["OPTIONS"],
            "location": env("AUDIT_ARCHIVE_LOCATION", default="audit-archive"),
            "file_overwrite": True,
        },
    }
else:
    STORAGES["audit_archive"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("AUDIT_ARCHIVE_ROOT", default=VAR_DIR / "audit-archive"), "base_url": None},
    }


# --- OpenID Connect provider (accounts/identity) ---------------------------------------------
# The portal signs people in to the platforms its agreements open (django-oauth-toolkit with
# OIDC). The ID-token signing key (RSA, PEM) comes from OIDC_RSA_PRIVATE_KEY (the PEM itself) or
# OIDC_RSA_PRIVATE_KEY_FILE (a path); required outside the demo, which generates one under var/.
# Rotation: put the new key in place and list the old one's file in
# OIDC_RSA_PRIVATE_KEYS_INACTIVE_FILES; the JWKS keeps publishing it until its tokens expired
# (ID tokens live 5 minutes), then drop it (docs/operations.md).
def _oidc_signing_key() -> str:
    pem = env("OIDC_RSA_PRIVATE_KEY", default="")
    if pem:
        return pem.replace("\\n", "\n")
    path = env("OIDC_RSA_PRIVATE_KEY_FILE", default="")
    if path:
        return Path(path).read_text()
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set OIDC_RSA_PRIVATE_KEY or OIDC_RSA_PRIVATE_KEY_FILE (the OIDC signing key).")
    demo_key = VAR_DIR / "oidc-signing-key.pem"
    if not demo_key.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem_bytes = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        demo_key.touch(mode=0o600)
        demo_key.write_bytes(pem_bytes)
    return demo_key.read_text()


# django-oauth-toolkit's own models (named so that migrations may depend on them).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": PORTAL_SITE_URL,
    "OIDC_RSA_PRIVATE_KEY": _oidc_signing_key(),
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [
        Path(p).read_text() for p in env.list("OIDC_RSA_PRIVATE_KEYS_INACTIVE_FILES", default=[])
    ],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only; "plain" is refused
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    # RFC 9700 (OAuth 2.0 Security BCP) throughout: bearer tokens only in the Authorization header,
    # the RFC 9207 ``iss`` in every authorization response, tokens stored hashed, and https
    # redirect URIs only outside the demo (whose platforms answer on loopback http).
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEBUG else ["https"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ID_TOKEN_EXPIRE_SECONDS": 5 * 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 10 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": int(PORTAL_SESSION_MAX_HOURS * 3600),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "auto",
    "SCOPES": {
        "openid": "Identidad (OpenID Connect)",
        "profile": "Nombre, usuario, institución, perfil y sistemas",
        "email": "Correo institucional",
    },
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "accounts.identity.validators.PortalOAuth2Validator",
}

# --- Demo -----------------------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="Portal-Demo-2026")

# Logs go to stdout, one JSON object per line outside the demo (LOG_FORMAT=json|plain).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env("LOG_FORMAT", default="plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},  # 4xx answers are not errors of the portal
        # Failures are in the history log; axes' own INFO lines would repeat each one.
        "axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")},
        # WeasyPrint logs every layout step at INFO; only its warnings matter (issue 21: a quiet demo).
        "weasyprint": {"level": "WARNING"},
        # Each task's success line, and kombu's "no broker hostname" in the eager demo (no broker
        # is used there), say nothing a reader of the console needs.
        "celery.app.trace": {"level": "WARNING"},
        "kombu": {"level": "ERROR" if CELERY_TASK_ALWAYS_EAGER else "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Data supply (000 Anexo técnico): deliveries up to 2 GB; a zip may expand to 8 GB at most and to
# 100 times its compressed size (beyond that it is refused as a decompression bomb).
SUPPLY_MAX_UPLOAD_BYTES = env.int("SUPPLY_MAX_UPLOAD_BYTES", default=2 * 1024**3)
SUPPLY_MAX_UNCOMPRESSED_BYTES = env.int("SUPPLY_MAX_UNCOMPRESSED_BYTES", default=8 * 1024**3)
SUPPLY_MAX_ZIP_RATIO = env.int("SUPPLY_MAX_ZIP_RATIO", default=100)

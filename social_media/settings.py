"""Settings for the whole project, read from the environment (12-factor).

Every variable is listed with its default in `.env.sample` and the README. The defaults
make `make run` work on a machine with nothing but Python: SQLite and kombu's
`filesystem://` broker under `var/`. Tests override a handful of values in
`social_media/settings_test.py`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A missing key must stop a production process instead of silently signing with a
# well-known value; development gets a throwaway key so `make run` needs no set-up.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# A browser shows a cross-origin script only these response headers beyond the basic ones.
CORS_EXPOSE_HEADERS = [
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "Idempotent-Replayed",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "user",
    "post",
    "idempotency",
    "notifications",
    "moderation",
]

MIDDLEWARE = [
    # First: it turns any non-JSON error under /api/ (Django's debug pages too) into JSON.
    "social_media.middleware.JSONErrorsMiddleware",
    "social_media.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "social_media.middleware.PrivateAPIResponsesMiddleware",
    "social_media.middleware.RateLimitHeadersMiddleware",
    "post.feed_cache.FeedCacheGenerationMiddleware",
    # Last, as django-axes requires: it turns a locked-out admin login into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "social_media.urls"
WSGI_APPLICATION = "social_media.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "social_media" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Off by default: a health check is a `SELECT 1` round trip before the first query of every
# request (its cost is in bench/analysis.md), while a connection dropped by a
# database restart costs one failed request per process. Turn on behind flaky networks.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
# Behind PgBouncer in transaction mode each transaction may run on another server session, so
# nothing may live in a session between them: server-side cursors (`.iterator()` on
# PostgreSQL) are turned off; the code keeps no other session state (no PREPARE, no SET).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # A file, not memory, so a Celery worker subprocess in the tests sees the test data; named
    # after the database file, so test runs against different SQLite files never share one.
    _sqlite_name = str(DATABASES["default"]["NAME"])
    _sqlite_test_name = (
        Path(_sqlite_name).with_name(f"test_{Path(_sqlite_name).name}")
        if _sqlite_name and _sqlite_name != ":memory:"
        else VAR_DIR / "test.sqlite3"
    )
    DATABASES["default"]["TEST"] = {"NAME": str(_sqlite_test_name)}
    # `make run`'s web server, Celery worker and beat are separate processes on one file. A
    # deferred transaction that has read and then writes cannot wait for another writer:
    # SQLite fails it at once ("database is locked", a 500). IMMEDIATE takes the write lock at
    # BEGIN, where the busy timeout applies, so writers queue for up to `timeout` seconds.
    # WAL lets readers and the one writer proceed side by side; synchronous=NORMAL is WAL's
    # usual setting (a power cut may lose the last commits, never corrupt the file).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling state lives here, so it must be shared across processes) --------
# `redis://` selects django-redis (django-environ picks it when it is installed).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "user.User"
# django-axes counts failed logins of the admin site (/admin/login/) per client address and
# per account; the API's login has its own throttles (user/throttling.py), so axes leaves
# every other request alone (`AXES_WHITELIST_CALLABLE`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ADMIN_LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "social_media.throttling.client_address"
AXES_WHITELIST_CALLABLE = "social_media.admin_login.is_outside_admin_login"
AXES_USERNAME_CALLABLE = "social_media.admin_login.account_of"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TOKEN_TTL = timedelta(seconds=env.int("TOKEN_TTL_SECONDS", default=30 * 24 * 3600))
REST_KNOX = {
    "TOKEN_TTL": TOKEN_TTL,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": env.bool("TOKEN_SLIDING", default=False),
    "TOKEN_LIMIT_PER_USER": None,
}

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
_FILESYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"


def media_storage(env: environ.Env) -> dict:
    """`STORAGES["default"]`, where uploads go, from MEDIA_STORAGE: `filesystem` (MEDIA_ROOT,
    served at MEDIA_URL) or `s3`, a bucket of S3 or of an S3-compatible store (django-storages).

    Media URLs are handed to anonymous clients and cached by them, so by default they are
    plain, unsigned URLs: the bucket (or the CDN of AWS_S3_CUSTOM_DOMAIN) must let anyone read
    its objects. Names are random and never reused (`file_overwrite` off). Keys come from the
    environment only; without them boto3 uses its own chain (an instance or task role).
    """
    kind = env.str("MEDIA_STORAGE", default="filesystem")
    if kind == "filesystem":
        return {"BACKEND": _FILESYSTEM_STORAGE}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {kind!r}.")
    options = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        # `path` for most S3-compatible stores (MinIO); empty lets boto3 choose.
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
        "file_overwrite": False,
    }
    if not options["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    access_key = env.str("AWS_ACCESS_KEY_ID", default="")
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = env.str("AWS_SECRET_ACCESS_KEY")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Served media is user content: never let a browser sniff it into HTML. On object storage
# the store (or its CDN) serves it, never Django.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG) and (
    STORAGES["default"]["BACKEND"] == _FILESYSTEM_STORAGE
)

# --- Upload and request limits ----------------------------------------------------------
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
MEDIA_MAX_BYTES = env.int("MEDIA_MAX_BYTES", default=10 * 1024 * 1024)
# Decoded images above this many pixels are refused before Pillow allocates them.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Avatars are shown at 512x512: a tighter cap bounds their decode (~64 MB at 16 MP RGBA).
AVATAR_MAX_PIXELS = env.int("AVATAR_MAX_PIXELS", default=16_000_000)
# Whole request bodies above this size are refused with 413 before they are parsed.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Scheduled posts --------------------------------------------------------------------
SCHEDULED_POSTS_MAX_PENDING = env.int("SCHEDULED_POSTS_MAX_PENDING", default=300)
SCHEDULED_POSTS_MAX_PER_DAY = env.int("SCHEDULED_POSTS_MAX_PER_DAY", default=25)
SCHEDULED_POSTS_SWEEP_SECONDS = env.int("SCHEDULED_POSTS_SWEEP_SECONDS", default=30)
UNATTACHED_MEDIA_MAX_AGE_HOURS = env.int("UNATTACHED_MEDIA_MAX_AGE_HOURS", default=24)
# Read notifications older than this are deleted by a daily beat task; unread ones stay.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=90)

# --- REST framework ---------------------------------------------------------------------
PAGE_SIZE = env.int("PAGE_SIZE", default=20)
MAX_PAGE_SIZE = env.int("MAX_PAGE_SIZE", default=100)
# Seconds the first page of a user's feed is served from the cache (post/feed_cache.py);
# others' activity shows up within this time, the user's own writes at once. 0 turns it off.
FEED_CACHE_SECONDS = env.int("FEED_CACHE_SECONDS", default=5)
# How a feed page is read on PostgreSQL (post/models/feed_pages.py): `auto` per followed
# account for a reader who follows few among many, else by the newest posts of everyone;
# `always` and `never` force one way (the page is the same either way).
FEED_PER_AUTHOR = env.str("FEED_PER_AUTHOR", default="auto")

# Reverse proxies in front of the app that append the client's address to X-Forwarded-For.
# 0 (the default) trusts no forwarding header at all: a client can write those headers.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

THROTTLE_RATES = {
    "anon": env.str("THROTTLE_ANON", default="100/min"),
    "user": env.str("THROTTLE_USER", default="1000/min"),
    "login": env.str("THROTTLE_LOGIN", default="10/min"),
    "login_email": env.str("THROTTLE_LOGIN_EMAIL", default="10/min"),
    "login_account": env.str("THROTTLE_LOGIN_ACCOUNT", default="100/hour"),
    "register": env.str("THROTTLE_REGISTER", default="5/hour"),
    "media": env.str("THROTTLE_MEDIA", default="60/hour"),
    "posts": env.str("THROTTLE_POSTS", default="120/hour"),
    "reports": env.str("THROTTLE_REPORTS", default="20/hour"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["user.authentication.ExpiringTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "social_media.pagination.CursorPagination",
    "PAGE_SIZE": PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # JSON only, so the schema declares one request media type per operation and generated
    # clients send one body; the upload views add MultiPartParser themselves.
    "DEFAULT_PARSER_CLASSES": ["social_media.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "social_media.throttling.AnonRateThrottle",
        "social_media.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    # The client address of every per-address limit is REMOTE_ADDR unless NUM_PROXIES trusted
    # proxies are in front; then it is the entry they appended to X-Forwarded-For.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "social_media.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Social Media API",
    "DESCRIPTION": (
        "An open social media REST API: accounts with expiring per-device tokens, profiles, "
        "follows, posts with images and hashtags, a home feed, likes, comments and "
        "scheduled posts.\n\n"
        "**Authentication**: `POST /api/v1/auth/login/` returns a token; send it as "
        "`Authorization: Token <key>`. Click *Authorize* and paste `Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "displayRequestDuration": True},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "HealthStateEnum": ["ok", "error"],
        "ReportTargetTypeEnum": "moderation.models.TargetType",
        "ReportReasonEnum": "moderation.models.Report.Reason",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "social_media.schema_hooks.document_invalid_cursor",
        "social_media.schema_hooks.document_unauthenticated",
        "social_media.schema_hooks.document_throttled",
        "social_media.schema_hooks.document_links",
        "social_media.schema_hooks.document_empty_filters",
        "social_media.schema_hooks.document_uri_too_long",
        "social_media.schema_hooks.document_unsupported_media_type",
        # Last: the answers the hooks above add get the rate-limit headers too.
        "social_media.schema_hooks.document_rate_limit_headers",
    ],
}

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # CELERY_BROKER_DIR lets several local servers (e.g. tests/test_walkthrough.py, which
    # starts one per run) each have a queue of their own instead of sharing var/broker/.
    _broker_dir = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    for _folder in ("queue", "control", "processed"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    # The same transport with atomic writes and claims; see social_media/broker.py.
    CELERY_BROKER_TRANSPORT = "social_media.broker:Transport"
else:
    # Redis redelivers an unacknowledged message after this long. Publishing is idempotent
    # and the beat sweep catches anything lost, so a redelivery costs a no-op, not a post.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
# Celery's Django fixup closes the database connection before and after every task unless
# this is set, so each task paid a new PostgreSQL connection (the scheduled-post burst spent
# more time connecting than publishing; bench/analysis.md). A worker now keeps its connection
# for up to this many tasks. A broken or old one is still replaced: before each task,
# social_media/celery.py closes a connection that had an error or is past CONN_MAX_AGE (0
# turns reuse off again), and CONN_HEALTH_CHECKS checks it on its next use, as per request.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "publish-overdue-scheduled-posts": {
        "task": "post.tasks.publish_overdue_scheduled_posts",
        "schedule": float(SCHEDULED_POSTS_SWEEP_SECONDS),
    },
    "purge-expired-tokens": {
        "task": "user.tasks.purge_expired_tokens",
        "schedule": 3600.0,
    },
    "delete-unattached-media": {
        "task": "post.tasks.delete_unattached_media",
        "schedule": 3600.0,
    },
    "delete-orphaned-avatars": {
        "task": "user.tasks.delete_orphaned_avatars",
        "schedule": 3600.0,
    },
    "delete-expired-idempotency-keys": {
        "task": "idempotency.tasks.delete_expired_idempotency_keys",
        "schedule": 3600.0,
    },
    "delete-expired-notifications": {
        "task": "notifications.tasks.delete_expired_notifications",
        "schedule": 24 * 3600.0,
    },
    "repair-counters": {
        "task": "post.tasks.repair_counters",
        "schedule": 24 * 3600.0,
    },
}

# --- Security ---------------------------------------------------------------------------
# Only a trusted proxy may say the original request was HTTPS; with none in front, a client
# could claim it and defeat SECURE_SSL_REDIRECT.
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

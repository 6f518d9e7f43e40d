"""Settings of the VAE platform, read from environment variables with safe defaults.

Development needs no configuration at all (SQLite file, DEBUG on, console e-mail).
Production is switched on with ``DJANGO_ENV=production``: DEBUG off, secure cookies,
HSTS and HTTPS redirect, and a SECRET_KEY that must be given.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


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


PRODUCTION = os.environ.get("DJANGO_ENV", "development").lower() == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)

_DEV_SECRET_KEY = "dev-insecure-key-only-for-local-development-never-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY doit être défini en production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "referentiel",
    "livret",
    "review",
    "search",
    "portal",
    "demo",
    "django_fsm",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Last, so that its post_migrate (role groups and their permissions) runs once every
    # other app has created its permissions.
    "vae",
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
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Logged-out visitors' public pages from the cache, before Wagtail's routing; after
    # the middleware that tells who is logged in and which messages wait.
    "referentiel.caching.VisitorCacheMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "vae.context_processors.site_menu",
                "vae.context_processors.account_menu",
            ],
        },
    },
]

# SQLite file by default (zero set-up); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "vae.User"
# django-axes first: it refuses an identification once the failure limit is reached,
# before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "/"
# Sign-up confirmation and password reset links stay valid this long (seconds).
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Failed-login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one
# address from one IP, that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "vae.accounts.throttling.username_from_request"
AXES_VERBOSE = False

# The candidacy workflow.
# Recevabilité stays valid this many days after the certifier accepts livret 1.
VAE_ELIGIBILITY_VALIDITY_DAYS = int(os.environ.get("VAE_ELIGIBILITY_VALIDITY_DAYS", "1095"))
# Livret 2 evidence: limits of one uploaded file (PDF, JPEG or PNG).
VAE_EVIDENCE_MAX_BYTES = int(os.environ.get("VAE_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
VAE_EVIDENCE_MAX_PAGES = int(os.environ.get("VAE_EVIDENCE_MAX_PAGES", "300"))
# An image declaring more pixels than this would exhaust memory when decoded: refused
# from its header, before any decoding (an A4 scan at 600 dpi is about 35 million).
VAE_EVIDENCE_MAX_PIXELS = int(os.environ.get("VAE_EVIDENCE_MAX_PIXELS", "60000000"))
# A narrative counts as written for completeness from this many characters.
VAE_NARRATIVE_MIN_CHARS = int(os.environ.get("VAE_NARRATIVE_MIN_CHARS", "200"))
# Base address of the links in e-mails (no request at hand in background tasks).
VAE_SITE_URL = os.environ.get("VAE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence never lives under a web root: it is served by permission-checking
# views only (ARCHITECTURE.md §7). MEDIA_ROOT is outside STATIC_ROOT and has no URL route.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"


def private_files(media_root: Path, folder: str, prefix: str) -> dict:
    """A STORAGES entry for private files (never served but by a permission-checking view):
    a folder of ``media_root`` by default; ``<PREFIX>_STORAGE_BACKEND`` and
    ``<PREFIX>_STORAGE_OPTIONS`` (JSON) move it elsewhere, e.g. to object storage with
    django-storages: ``storages.backends.s3.S3Storage`` and {"bucket_name": "…"}."""
    backend = os.environ.get(f"{prefix}_STORAGE_BACKEND")
    if backend:
        return {
            "BACKEND": backend,
            "OPTIONS": json.loads(os.environ.get(f"{prefix}_STORAGE_OPTIONS", "{}")),
        }
    return {
        "BACKEND": "vae.storage.PrivateStorage",
        "OPTIONS": {"location": str(media_root / folder), "base_url": None},
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": private_files(MEDIA_ROOT, "evidence", "EVIDENCE"),
    "documents": private_files(MEDIA_ROOT, "documents", "DOCUMENTS"),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production, WhiteNoise serves straight from the apps' static folders, so no
# collectstatic is needed to run the site.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Public pages and the rendered référentiel are cached under keys derived from the
# database (referentiel.caching): a per-process memory cache is correct with several app
# servers, a shared one (CACHE_BACKEND, CACHE_LOCATION) only saves each process its
# first rendering.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "vae"),
        # A new release may render the same version differently: its own key space.
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "vae.emails.ReadableConsoleBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "CQP Administrateur de production <vae@localhost>"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Background work (text extraction, indexing, e-mails): immediate in development,
# the database worker in production (``manage.py db_worker``).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks_db.backend.DatabaseBackend"
            if PRODUCTION
            else "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}

WAGTAIL_SITE_NAME = "CQP Administrateur de production cinéma et audiovisuelle"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: they send a hash of each staff e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "vae.forms.AdminLoginForm"
# One login page for everyone: the admin sends anonymous visitors there, and a logged-in
# candidate who opens /admin/ lands on their own space with a message instead of a loop
# on Wagtail's login form.
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview frames our own pages inside the admin, which DENY would break;
# SAMEORIGIN still forbids any other site from framing us. Hence W019 is silenced.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Font subsetting and CSS details of the PDF renderer are not the operator's concern:
    # at WARNING they fill the console with a page per rendered PDF.
    "loggers": {
        "fontTools": {"level": "ERROR"},
        "weasyprint": {"level": "ERROR"},
        # The retention policy's record of what it deleted is kept whatever LOG_LEVEL.
        "vae.personal_data": {"level": "INFO"},
    },
}

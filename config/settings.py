"""Settings of the VAE platform, read from environment variables with safe defaults.

Development needs no configuration at all (SQLite file, DEBUG on, console e-mail).
Production is switched on with ``DJANGO_ENV=production``: DEBUG off, secure cookies,
HSTS and HTTPS redirect, and a SECRET_KEY that must be given.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
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
# Django's deploy check only warns about a short key (security.W009); a key that signs
# sessions, password-reset links and e-mail confirmations must not be guessable, so
# production refuses to start with one.
SECRET_KEY_MIN_LENGTH = 50
if PRODUCTION and (len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        f"SECRET_KEY est trop courte ou trop simple ({len(SECRET_KEY)} caractères) : il en "
        f"faut au moins {SECRET_KEY_MIN_LENGTH}, tirés au hasard. Pour en créer une : "
        "python -c 'from django.core.management.utils import get_random_secret_key; "
        "print(get_random_secret_key())'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "referentiel",
    "livret",
    "review",
    "jury",
    "certificates",
    "cohorts",
    "search",
    "portal",
    "demo",
    "django_fsm",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
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
    # Above everything that may answer on its own (static files, the visitors' page cache,
    # the lockout page): every response gets the CSP and Permissions-Policy headers.
    "vae.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Logged-out visitors' public pages from the cache, before the session, the user and
    # Wagtail's routing; the headers the middleware below add are stored with the page.
    "referentiel.caching.VisitorCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who verified a second factor (request.user.is_verified()), then the staff rules:
    # the second factor required before any page, the working-day session limit.
    "django_otp.middleware.OTPMiddleware",
    "vae.accounts.middleware.StaffAccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
            ],
        },
    },
]

# SQLite file by default (zero set-up); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # In production each worker keeps its connection (a new one costs a PostgreSQL
        # handshake, or SQLite's reading of the schema, on every request), checked before
        # reuse; in development a connection per request shows leaks early.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests write at once (runserver's threads, several workers): a transaction
    # that read first and writes later cannot take SQLite's write lock once another one
    # holds it, and fails at once with « database is locked ». Taking the lock when the
    # transaction begins makes the others wait for it instead (up to ``timeout`` seconds).
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "vae.User"
# django-axes first: it refuses an identification once the failure limit is reached,
# before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, with the user of each request read by compiled SQL.
    "vae.accounts.backends.ModelBackend",
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

# Records of logins (django-axes: address tried, IP, time) are deleted after this many
# days by ``manage.py purge_personal_data`` (RGPD: kept to spot attacks, not to follow
# people; the CNIL advises 6 months to a year for such logs).
VAE_LOGIN_RECORDS_DAYS = int(os.environ.get("VAE_LOGIN_RECORDS_DAYS", "365"))
# Throttling of the account forms (vae.accounts.throttling). Failed logins (django-axes):
# AXES_FAILURE_LIMIT failures lock an account, from wherever they come; VAE_IP_FAILURE_LIMIT
# failures from one client address, across accounts, lock that address; either lock lasts
# AXES_COOLOFF_TIME hours (a password reset or a certifier, in the back office, lifts an
# account's lock sooner).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
VAE_IP_FAILURE_LIMIT = int(os.environ.get("VAE_IP_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "vae.accounts.throttling.AccountOrAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "vae.accounts.throttling.username_from_request"
AXES_CLIENT_IP_CALLABLE = "vae.accounts.throttling.client_ip"
AXES_VERBOSE = False
# The client's address. By default REMOTE_ADDR, the only address the client cannot write.
# Behind reverse proxies of ours, TRUSTED_PROXY_HEADER names the header they set, as a
# request.META key (e.g. HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP), and TRUSTED_PROXY_COUNT
# how many of them append to it (the client is that many addresses from the right end).
# Never set it without such a proxy: anyone could then choose their address.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "").strip().upper().replace("-", "_")
if TRUSTED_PROXY_HEADER and not TRUSTED_PROXY_HEADER.startswith("HTTP_"):
    TRUSTED_PROXY_HEADER = f"HTTP_{TRUSTED_PROXY_HEADER}"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
# Requests that send an e-mail (sign-up, new confirmation link, password reset), counted
# together per typed address and per client address over VAE_EMAIL_REQUEST_WINDOW seconds,
# in the cache named by VAE_THROTTLE_CACHE (in the database, shared by every worker and
# app server: a per-process cache would multiply the limits).
VAE_EMAIL_REQUESTS_PER_ADDRESS = int(os.environ.get("VAE_EMAIL_REQUESTS_PER_ADDRESS", "3"))
VAE_EMAIL_REQUESTS_PER_IP = int(os.environ.get("VAE_EMAIL_REQUESTS_PER_IP", "20"))
VAE_EMAIL_REQUEST_WINDOW = int(os.environ.get("VAE_EMAIL_REQUEST_WINDOW", "3600"))
VAE_THROTTLE_CACHE = "throttle"
# A password re-entered to confirm an act (signing a jury decision, changing one's e-mail):
# wrong ones counted per account over VAE_REAUTH_WINDOW seconds (vae/accounts/reauth.py).
VAE_REAUTH_FAILURES = int(os.environ.get("VAE_REAUTH_FAILURES", "5"))
VAE_REAUTH_WINDOW = int(os.environ.get("VAE_REAUTH_WINDOW", "900"))
# The public verification of certificates and attestations (/verifier/<numéro>/), per
# client address over VAE_VERIFY_WINDOW seconds: lookups, and unknown numbers (fewer:
# numbers are unguessable, someone trying them is enumerating).
VAE_VERIFY_LOOKUPS_PER_IP = int(os.environ.get("VAE_VERIFY_LOOKUPS_PER_IP", "60"))
VAE_VERIFY_MISSES_PER_IP = int(os.environ.get("VAE_VERIFY_MISSES_PER_IP", "10"))
VAE_VERIFY_WINDOW = int(os.environ.get("VAE_VERIFY_WINDOW", "3600"))

# The candidacy workflow.
# Recevabilité stays valid this many days after the certifier accepts livret 1.
VAE_ELIGIBILITY_VALIDITY_DAYS = int(os.environ.get("VAE_ELIGIBILITY_VALIDITY_DAYS", "1095"))
# Minutes added to each jury slot after the questions and answers of its blocs: the jury
# notes its observations and the next candidate comes in (jury.rules.slot_minutes).
VAE_JURY_CHANGEOVER_MINUTES = int(os.environ.get("VAE_JURY_CHANGEOVER_MINUTES", "10"))
# Livret 2 evidence: limits of one uploaded file (PDF, JPEG or PNG).
VAE_EVIDENCE_MAX_BYTES = int(os.environ.get("VAE_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
VAE_EVIDENCE_MAX_PAGES = int(os.environ.get("VAE_EVIDENCE_MAX_PAGES", "300"))
# An image declaring more pixels than this would exhaust memory when decoded: refused
# from its header, before any decoding (an A4 scan at 600 dpi is about 35 million).
VAE_EVIDENCE_MAX_PIXELS = int(os.environ.get("VAE_EVIDENCE_MAX_PIXELS", "60000000"))
# Each evidence file is checked (pypdf) and read (PDFium) in a child process killed past
# these limits (livret/dossier/evidence/box.py). The checks run in the upload request:
# keep their limit below gunicorn's --timeout (30 s by default). The extraction runs in
# the tasks worker. The memory is what the child may add to what it inherits: a 300-page
# genuine file needs well under 100 MB.
VAE_EVIDENCE_CHECK_SECONDS = float(os.environ.get("VAE_EVIDENCE_CHECK_SECONDS", "20"))
VAE_EVIDENCE_EXTRACT_SECONDS = float(os.environ.get("VAE_EVIDENCE_EXTRACT_SECONDS", "60"))
VAE_EVIDENCE_BOX_MEMORY_MB = int(os.environ.get("VAE_EVIDENCE_BOX_MEMORY_MB", "512"))
# A large PDF's text is read by this many boxes at once, each a share of the pages (each
# with the limits above): PDFium costs about 1.5 times poppler per page, and a piece's
# text is awaited by its candidate. The default takes two cores where there are two; 1
# reads every piece in one process.
VAE_EVIDENCE_EXTRACT_PROCESSES = int(
    os.environ.get("VAE_EVIDENCE_EXTRACT_PROCESSES", str(min(2, os.cpu_count() or 1)))
)
# A candidate whose files the box stopped this many times within the window waits for
# the window to pass before uploading again.
VAE_EVIDENCE_OVERRUN_LIMIT = int(os.environ.get("VAE_EVIDENCE_OVERRUN_LIMIT", "3"))
VAE_EVIDENCE_OVERRUN_WINDOW_MINUTES = int(
    os.environ.get("VAE_EVIDENCE_OVERRUN_WINDOW_MINUTES", "60")
)
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
            "vae.static_storage.StaticFilesStorage"
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
    },
    # What every process must compute once for all (the certifier's dashboard:
    # ``cohorts.caching``): gunicorn's workers, the app servers and the task worker share
    # it. In the database by default (its table made by ``manage.py createcachetable``):
    # no cache server to run.
    "shared": {
        "BACKEND": os.environ.get(
            "SHARED_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"
        ),
        "LOCATION": os.environ.get("SHARED_CACHE_LOCATION", "vae_shared_cache"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        # A dashboard is some twenty entries (quarters, sections, charts) per period and
        # bloc looked at, each kept a day: beyond that many, Django drops the expired
        # ones, then a third of the rest.
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # The counters of the e-mail request limits (sign-up, password reset) must be shared
    # by every worker and app server, or each one would allow the limit again: they live
    # in the database (a table made by ``manage.py createcachetable``).
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "vae_throttle_cache",
    },
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
# The platform's own full-text search (search/): "database" (SQLite FTS5 or PostgreSQL by the
# connection's vendor) or "elasticsearch".
VAE_SEARCH_BACKEND = os.environ.get("VAE_SEARCH_BACKEND", "database")
# On SQLite, threads that read beside a request on their own connection (vae.aside): a
# search's ranked page while its facets are counted, the dashboard's sections each on its
# own (two cores: two at once); 0 reads one after the other.
VAE_READERS = int(os.environ.get("VAE_READERS", "2"))
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
# Staff sessions (certifiers, evaluators, jury members: they read candidates' personal
# documents) end when the browser closes and after VAE_STAFF_SESSION_HOURS at the latest,
# counted from the login; candidates keep Django's two weeks (vae.accounts.sessions).
SESSION_ENGINE = "vae.accounts.sessions"
VAE_STAFF_SESSION_MAX_AGE = int(float(os.environ.get("VAE_STAFF_SESSION_HOURS", "10")) * 3600)
# Two-factor authentication (TOTP application + single-use recovery codes, django-otp).
# Always required of whoever reaches the back office (certifiers, superusers); required of
# the roles listed in VAE_OTP_REQUIRED_ROLES (role values: evaluateur, jury, certificateur),
# and offered, from their profile, to those in VAE_OTP_OPTIONAL_ROLES. Evaluators and jury
# members read payslips and identity documents: list them as required once they have
# enrolled (VAE_OTP_REQUIRED_ROLES=certificateur,evaluateur,jury).
VAE_OTP_REQUIRED_ROLES = env_list("VAE_OTP_REQUIRED_ROLES", ["certificateur"])
VAE_OTP_OPTIONAL_ROLES = env_list("VAE_OTP_OPTIONAL_ROLES", ["evaluateur", "jury"])
VAE_OTP_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "VAE CQP Administrateur de production"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview frames our own pages inside the admin, which DENY would break;
# SAMEORIGIN still forbids any other site from framing us. Hence W019 is silenced.
X_FRAME_OPTIONS = "SAMEORIGIN"
# axes.W006 asks for the client address among the lockout parameters: ours locks an account
# from wherever it is tried, and the client address on its own, with its own limit
# (vae.accounts.throttling.AccountOrAddressHandler), which axes' check cannot see.
SILENCED_SYSTEM_CHECKS = ["security.W019", "axes.W006"]
SECURE_REFERRER_POLICY = "same-origin"
# Django's default, said here because the suite checks it: a window we open (a PDF in a
# new tab) cannot reach back into ours, nor can a site that opened us.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4, set by vae.security_headers). The rule for every
# template and every piece of HTML built in Python: no inline <script> code, no on…=
# event handlers, no style="…" attributes, no <style> blocks, no javascript: URLs.
# Scripts are files under static/js/ loaded with <script src defer> (or type="module"),
# styles are files under static/css/; data a script needs goes in data-… attributes or
# {{ value|json_script:"id" }} (a JSON <script> is data, not code: the policy allows it).
# tests/vae/test_security_headers.py sweeps the templates for these,
# tests/demo/test_security_headers.py crawls every page for the headers and the rule, and
# the browser tests fail on any CSP violation (tests/e2e/csp.py).
# E-mail templates (templates/emails/) and the PDFs' templates are not served to a
# browser: inline styles are what mail clients and WeasyPrint need there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # As X_FRAME_OPTIONS: Wagtail's preview and the evidence viewer frame our own pages
        # and files; no other site may frame us.
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin, and it alone, gets these sources on top of the policy: Wagtail 8
# still writes inline <script> for its widgets (the date pickers of our candidacy filters,
# inline panels: wagtailadmin/widgets/date_input.html, panels/inline_panel.html) and its
# bundled editor (vendor.js: Draftail, tooltips) inserts <style> elements. Checked in the
# browser: without these, /admin/candidatures/ and the page editor log 17 violations and
# the editor's « add » buttons do nothing. Our own admin templates follow the strict rule
# all the same (the template sweep covers them); stored files keep their own policy.
VAE_ADMIN_CSP_UPDATE = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
}
# Browser features the platform never uses, switched off for every page and for any
# frame or script that could ask for them. Only features Chromium knows: an unknown one
# makes it log an error on every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
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

# Search (ARCHITECTURE.md §6), VAE_SEARCH_BACKEND=elasticsearch: the Elasticsearch backend
# reads ELASTICSEARCH_URL (credentials may go in it: https://user:password@host:9200) and
# writes through the alias VAE_SEARCH_INDEX (ElasticsearchBackend.rebuild() swaps it).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://localhost:9200")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "10"))
VAE_SEARCH_INDEX = os.environ.get("VAE_SEARCH_INDEX", "vae-search")
# Writes visible to searches after the server's refresh interval (1 s); the tests wait.
ELASTICSEARCH_REFRESH = False

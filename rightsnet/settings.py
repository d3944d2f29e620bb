"""Settings for rightsnet, read from the environment in one place.

Development works with nothing set: SQLite in the project folder, debug on.
With DJANGO_DEBUG off, a missing DJANGO_SECRET_KEY stops the start-up.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from rightsnet.headers import static_file_headers
from rightsnet.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def env_email(name: str) -> str:
    """An email address from the environment, or ""; anything else stops the start-up."""
    value = os.environ.get(name, "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be an email address, not {value!r}.") from None
    return value


def env_count(name: str, default: int) -> int:
    """A whole number (0 or more) from the environment; anything else stops the start-up."""
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "listing",
    "directory",
    "publications",
    "sitedata",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip where no secret is (rightsnet/compression.py): outside all that sets cookies or Vary.
    "rightsnet.compression.PublicGZipMiddleware",
    # Content-Security-Policy and Permissions-Policy (rightsnet/headers.py).
    "csp.middleware.CSPMiddleware",
    "rightsnet.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records request.user as the author of every history entry.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rightsnet.urls"

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
                "rightsnet.context_processors.alternates",
            ],
        },
    },
]

WSGI_APPLICATION = "rightsnet.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every app server when REDIS_URL is set (Django's own Redis
# backend); without it, a per-process memory cache keeps `make run` free of extra
# services. Whatever is cached is invalidated on every write that changes it.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "rightsnet"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rightsnet",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("en", _("English")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru", "en"), "ru": ("en",), "en": ("ru",)}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes (tests and the load test collect into a folder of their own).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# WhiteNoise serves static files before any other middleware: their headers here.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
# The admin's tabbed translation fields use jQuery UI, served here (the CSP allows no CDN).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# Content-Security-Policy (django-csp): this site's own files only; no inline script or
# style, no eval. The one inline block, the organization's JSON-LD, carries the
# response's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Off by default: HTTPS redirects and HSTS usually belong to the reverse proxy in
    # front of gunicorn (`check --deploy` warns W008/W004 until these are set).
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
    _hsts = os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0").strip() or "0"
    if not _hsts.isdigit():
        raise ImproperlyConfigured("DJANGO_SECURE_HSTS_SECONDS must be a whole number of seconds.")
    SECURE_HSTS_SECONDS = int(_hsts)

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# How many reverse proxies in front of the app servers append to X-Forwarded-For.
# 0: clients connect directly and REMOTE_ADDR is the client; the header is ignored.
TRUSTED_PROXY_COUNT = env_count("DJANGO_TRUSTED_PROXY_COUNT", 0)

# django-axes: 5 failed logins for one username from one client address lock that
# pair out for 15 minutes; 20 failures from one address, whatever the usernames,
# lock that address out (rightsnet.auth). Authentication without a request
# (scripts, test clients) is not throttled; every login form passes its request.
AUTHENTICATION_BACKENDS = [
    "rightsnet.auth.RequestAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_HANDLER = "rightsnet.auth.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "rightsnet.auth.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = env_count("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"

# Bulk import of organizations: the largest CSV accepted in the admin and by
# the import_organizations command. Between preview and confirmation the file
# waits in the database (directory.staging), so any app server can confirm it.
IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_COMMAND_MAX_BYTES = int(
    os.environ.get("DJANGO_IMPORT_COMMAND_MAX_BYTES", str(200 * 1024 * 1024))
)

# Where readers send corrections, shown on the about page; "" (the default) when the
# editors have published no address yet, and the page says corrections are not open.
RIGHTSNET_CONTACT_EMAIL = env_email("RIGHTSNET_CONTACT_EMAIL")

# Contacts whose as-of date is older than this many years are shown as historical
# (muted, labelled, no links), like every contact of a closed organization
# (directory/contacts.py).
RIGHTSNET_STALE_CONTACTS_YEARS = env_count("RIGHTSNET_STALE_CONTACTS_YEARS", 3)
if not 1 <= RIGHTSNET_STALE_CONTACTS_YEARS <= 100:
    raise ImproperlyConfigured(
        "RIGHTSNET_STALE_CONTACTS_YEARS must be a number of years, 1 to 100, "
        f"not {RIGHTSNET_STALE_CONTACTS_YEARS}."
    )

# The licence of the published data (the data page, every downloaded file, the data
# package, the snapshot), and the folder of the dated snapshots (``build_snapshot``).
DATA_LICENCE_NAME = os.environ.get("RIGHTSNET_DATA_LICENCE_NAME", "").strip() or "CC BY 4.0"
DATA_LICENCE_URL = (
    os.environ.get("RIGHTSNET_DATA_LICENCE_URL", "").strip()
    or "https://creativecommons.org/licenses/by/4.0/"
)
SNAPSHOT_DIR = Path(os.environ.get("RIGHTSNET_SNAPSHOT_DIR", "") or BASE_DIR / "var" / "snapshots")
# The site's address (https://rightsnet.example.org), for the page addresses in files
# made outside a request (``build_snapshot``); "" where no snapshot is built.
RIGHTSNET_SITE_URL = os.environ.get("RIGHTSNET_SITE_URL", "").strip().rstrip("/")

# Email (rightsnet/mail.py): one address says where mail goes; with nothing set,
# messages are written as files to var/mail/ so a bare machine needs no mail server.
globals().update(
    email_settings(os.environ.get("DJANGO_EMAIL_URL", ""), default_folder=BASE_DIR / "var" / "mail")
)
# The sender of every message the site sends (messages to groups, notes to submitters).
DEFAULT_FROM_EMAIL = (
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or "rightsnet <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Forms the public sends (rightsnet/abuse.py): a person takes at least this many
# seconds to fill one in; a form older than the maximum age is refused, to be sent again.
RIGHTSNET_FORM_MIN_SECONDS = env_count("RIGHTSNET_FORM_MIN_SECONDS", 3)
RIGHTSNET_FORM_MAX_AGE = 24 * 60 * 60
# Sends allowed (count, per seconds) per client address, sender address, receiving
# organization; counted in the cache (Redis in production, shared by app servers).
RIGHTSNET_FORM_LIMITS = {
    "ip": (env_count("RIGHTSNET_LIMIT_PER_IP_HOUR", 20), 60 * 60),
    "sender": (env_count("RIGHTSNET_LIMIT_PER_SENDER_HOUR", 5), 60 * 60),
    "organization": (env_count("RIGHTSNET_LIMIT_PER_ORGANIZATION_DAY", 30), 24 * 60 * 60),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

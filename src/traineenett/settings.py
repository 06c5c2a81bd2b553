"""Settings for Traineenett.

Every setting comes from the environment with a safe default for the embedded mode
(SQLite under ``var/``, console e-mail, debug off unless asked for). Production sets
``TRAINEENETT_SECRET_KEY``, ``DATABASE_URL``, ``TRAINEENETT_ALLOWED_HOSTS`` and
``TRAINEENETT_SECURE=1``; see the README.
"""

import contextlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("TRAINEENETT_HOME", Path.cwd()))
VAR_DIR = BASE_DIR / "var"


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("TRAINEENETT_DEBUG")
SECURE = env_flag("TRAINEENETT_SECURE")
# The embedded default is only for a machine that serves on 127.0.0.1; production must
# set its own key (check --deploy fails on this one).
SECRET_KEY = os.environ.get(
    "TRAINEENETT_SECRET_KEY", "django-insecure-embedded-only-set-TRAINEENETT_SECRET_KEY"
)
ALLOWED_HOSTS = env_list("TRAINEENETT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("TRAINEENETT_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Our apps come first so that their templates (registration/…) win over the admin's.
    "traineenett.core",
    "traineenett.members",
    "traineenett.cohorts",
    "traineenett.recruitment",
    "traineenett.rotation",
    "traineenett.followup",
    "traineenett.surveys",
    "traineenett.competence",
    "traineenett.finance",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
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
    "django_htmx.middleware.HtmxMiddleware",
    "traineenett.core.middleware.ProgramMiddleware",
    # Axes must come last so that it sees the outcome of the log-in view.
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "traineenett.core.forms_widgets.FormRenderer"
ROOT_URLCONF = "traineenett.urls"
WSGI_APPLICATION = "traineenett.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "traineenett.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'traineenett.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work side by side in the embedded mode.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lock-out after repeated failed log-ins (django-axes): five failures for one account
# from one address lock that combination for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("TRAINEENETT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TRAINEENETT_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

INVITATION_VALID_DAYS = 14
# The site's own address, for links in e-mails sent outside a request (cron commands).
SITE_URL = os.environ.get("TRAINEENETT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["traineenett.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("TRAINEENETT_STATIC_ROOT", VAR_DIR / "static"))
# WhiteNoise warns about a missing STATIC_ROOT before collectstatic has run; a read-only
# deployment sets its own STATIC_ROOT, so a failure here is not an error.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("TRAINEENETT_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SECURE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the embedded mode), WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = not SECURE

EMAIL_BACKEND = os.environ.get(
    "TRAINEENETT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("TRAINEENETT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TRAINEENETT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TRAINEENETT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRAINEENETT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("TRAINEENETT_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("TRAINEENETT_FROM_EMAIL", "Traineenett <noreply@localhost>")

SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and not env_flag("TRAINEENETT_BEHIND_TLS_PROXY")
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("TRAINEENETT_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRAINEENETT_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

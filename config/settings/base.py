"""Settings shared by every environment. Secrets and deployment values come from the environment only."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", default="" if not DEBUG else "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "rapport.core",
    "rapport.accounts",
    "rapport.clients",
    "rapport.managers",
    "rapport.assignment",
    "rapport.pipeline",
    "rapport.cases",
    "rapport.feedback",
    "rapport.compensation",
    "rapport.hiring",
    "rapport.insight",
    "rapport.dataio",
    "rapport.privacy",
    "rapport.consent",
    "rapport.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rapport.accounts.middleware.SessionTimeoutMiddleware",
    "rapport.accounts.middleware.DeniedAccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a lockout noticed during authentication into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "rapport.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a write is in progress; IMMEDIATE avoids "database is locked" on upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Argon2id for new and changed passwords; older hashes still verify and are upgraded at the next login.
# Argon2 hashes the whole password, so long passphrases are welcome (no upper limit is set).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Axes watches every login (form, admin, API token) before the model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection: failures are counted per (username, address) pair, so an attacker elsewhere cannot lock
# a person out, and every lockout ends by itself after the cool-off.
AXES_FAILURE_LIMIT = env_int("RAPPORT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RAPPORT_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "rapport.accounts.security.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "new_password1", "new_password2"]
# A failure during a lockout does not restart the cool-off: every lockout ends at a known time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client's address, as the security log records it too (see RAPPORT["PROXY_COUNT"]).
AXES_CLIENT_IP_CALLABLE = "rapport.accounts.security.client_address"

# Sessions: Django gives a new key at every login; ``SessionTimeoutMiddleware`` ends a session idle for
# RAPPORT["SESSION_IDLE_MINUTES"] or older than RAPPORT["SESSION_MAX_HOURS"]; the cookie dies with the latter.
SESSION_COOKIE_AGE = env_int("RAPPORT_SESSION_MAX_HOURS", 8) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers on every response (HSTS only in production, where HTTPS is certain).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: only this site's own files run or style a page; no inline script, style or eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hu", _("Hungarian")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", default="Europe/Budapest")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "rapport.accounts.permissions.RoleWrites",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rapport.core.pagination.NoCountPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "rapport.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "rapport.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

# API tokens (django-rest-knox): only a SHA-512 digest is stored; each token expires and can be revoked.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("RAPPORT_API_TOKEN_HOURS", 10)),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Rapport API",
    "DESCRIPTION": "Clients, client groups, client managers and assignments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ManagerTypeEnum": "rapport.managers.choices.ManagerType",
        "ClientKindEnum": "rapport.clients.choices.ClientKind",
        "MotivationEnum": "rapport.clients.choices.Motivation",
        "StageEnum": "rapport.pipeline.choices.Stage",
        "LostReasonEnum": "rapport.pipeline.choices.LostReason",
        "ChannelEnum": "rapport.cases.choices.Channel",
        "LineKindEnum": "rapport.compensation.choices.LineKind",
        "BandKindEnum": "rapport.compensation.choices.BandKind",
        "CandidateStatusEnum": "rapport.hiring.choices.CandidateStatus",
        "EducationLevelEnum": "rapport.hiring.choices.EducationLevel",
        "EducationFieldEnum": "rapport.hiring.choices.EducationField",
        "EntryStatusEnum": "rapport.hiring.choices.EntryStatus",
        "ParticipationEnum": "rapport.hiring.choices.Participation",
        "ContractTermEnum": "rapport.hiring.choices.ContractTerm",
        "TrainingKindEnum": "rapport.hiring.choices.TrainingKind",
    },
}

# Background tasks (assignment plans): stored in the database, run by ``manage.py db_worker`` (make run starts it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# History: who changed what is kept for every change; nobody may roll it back from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Product settings.
RAPPORT = {
    # Maximum personal clients of a manager when their capacity is not set, by level.
    "DEFAULT_CAPACITY": {"junior": 25, "middle": 40, "senior": 60},
    # Phone numbers without a country code are read as numbers of this region.
    "PHONE_REGION": env_str("RAPPORT_PHONE_REGION", default="HU"),
    "PAGE_SIZE": 25,
    # The address of the site as clients reach it, for links in e-mails (rating links).
    "BASE_URL": env_str("RAPPORT_BASE_URL", default="http://127.0.0.1:8000"),
    # Pipeline: Management may undo a win for this many days after it (the deal fell through).
    "WIN_UNDO_DAYS": env_int("RAPPORT_WIN_UNDO_DAYS", 30),
    # Deleted clients, managers and cases may be restored for this many days; ``manage.py purge-deleted`` then
    # removes (or anonymises) them for good.
    "RESTORE_DAYS": env_int("RAPPORT_RESTORE_DAYS", 15),
    # Names at least this similar (0–1) to an existing client's are warned about when a prospect is created.
    "DUPLICATE_NAME_SIMILARITY": 0.85,
    # Service levels per case priority: hours to acknowledge and to resolve; VIP clients get the tighter table.
    "CASE_SLA": {
        "low": {"acknowledge": 48, "resolve": 240},
        "normal": {"acknowledge": 24, "resolve": 120},
        "high": {"acknowledge": 8, "resolve": 48},
        "urgent": {"acknowledge": 2, "resolve": 24},
    },
    "CASE_SLA_VIP": {
        "low": {"acknowledge": 24, "resolve": 120},
        "normal": {"acknowledge": 8, "resolve": 48},
        "high": {"acknowledge": 4, "resolve": 24},
        "urgent": {"acknowledge": 1, "resolve": 8},
    },
    # Resolved cases are closed by ``manage.py cases close-resolved`` after this many days.
    "CASE_AUTO_CLOSE_DAYS": env_int("RAPPORT_CASE_AUTO_CLOSE_DAYS", 14),
    # Ratings: links expire after this many days; a client is asked at most once in this many days.
    "RATING_LINK_DAYS": env_int("RAPPORT_RATING_LINK_DAYS", 30),
    "RATING_MIN_DAYS_BETWEEN": env_int("RAPPORT_RATING_MIN_DAYS_BETWEEN", 30),
    # Smoothed rating = (C·m + Σ ratings) ÷ (C + n): prior weight C and prior mean m.
    "RATING_PRIOR_WEIGHT": 5,
    "RATING_PRIOR_MEAN": "4.0",
    # PDF documents: a Unicode TrueType font (empty: DejaVu, Liberation or Noto Sans from the system).
    "PDF_FONT": env_str("RAPPORT_PDF_FONT", default=""),
    # Pay: approved months this far back are checked for late facts (adjustments, clawbacks).
    "PAY_ADJUSTMENT_MONTHS": 12,
    # Workspace: clients not contacted for this many days are listed.
    "NOT_CONTACTED_DAYS": env_int("RAPPORT_NOT_CONTACTED_DAYS", 60),
    # Dashboard, key-person risk: a client's knowledge counts as written down when its motivation is recorded and
    # it has an interaction note from the last this many days; a manager holding at least this share of all VIP
    # or of all corporate clients is flagged.
    "KNOWLEDGE_DAYS": env_int("RAPPORT_KNOWLEDGE_DAYS", 90),
    "KEY_PERSON_SHARE": "0.15",
    # HR: candidates not hired are anonymised by ``manage.py hiring anonymise`` this many days after their last
    # activity, unless they consented to be kept.
    "CANDIDATE_RETENTION_DAYS": env_int("RAPPORT_CANDIDATE_RETENTION_DAYS", 180),
    # HR: the most rows a candidate's client-base CSV may have.
    "CLIENT_BASE_MAX_ROWS": 2000,
    # Sessions end after this many idle minutes, and this many hours after the login whatever happens.
    "SESSION_IDLE_MINUTES": env_int("RAPPORT_SESSION_IDLE_MINUTES", 30),
    "SESSION_MAX_HOURS": env_int("RAPPORT_SESSION_MAX_HOURS", 8),
    # Reverse proxies in front of the app: the client's address is taken from X-Forwarded-For, this many entries
    # from its end (0: no proxy, the connection's own address).
    "PROXY_COUNT": env_int("RAPPORT_PROXY_COUNT", 0),
}

# E-mail (rating links): printed to the console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Rapport <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
    # Logins, lockouts and denied access: always kept, whatever the general level.
    "loggers": {"rapport.security": {"level": env_str("SECURITY_LOG_LEVEL", default="INFO")}},
}

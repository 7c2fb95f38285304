"""Settings of the gunicorn server the scale benchmark starts: production's, over plain HTTP.

DEBUG off, Argon2id passwords, persistent connections, the history log on; only what needs HTTPS
(secure cookies, HSTS, SSL redirect) and the hashed static manifest (no collectstatic) are off.
The database is the benchmark's throwaway PostgreSQL, given in DATABASE_URL by the benchmark.
"""

import os

os.environ.setdefault("DEBUG", "False")

from portal.settings import *  # noqa: E402,F403
from portal.settings import STORAGES  # noqa: E402

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STATIC_ROOT = VAR_DIR / "bench-static"  # noqa: F405 - nothing is collected: pages only, no static files
STATIC_ROOT.mkdir(exist_ok=True)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

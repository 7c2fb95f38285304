"""Settings for the test suite: the same as production's shape, on a throwaway PostgreSQL.

The database host and port are filled in by conftest.py once pytest-postgresql has started the
server; nothing connects before that.
"""

import os

os.environ.setdefault("DEBUG", "True")

from .settings import *  # noqa: E402,F403
from .settings import DATABASES  # noqa: E402

DATABASES["default"] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "portal",
    "USER": "postgres",
    "PASSWORD": "",
    "HOST": "127.0.0.1",
    "PORT": "0",
    "ATOMIC_REQUESTS": False,
    "CONN_MAX_AGE": 0,
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production hashes with Argon2id
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
PORTAL_FIGURE_CACHE_SECONDS = 0  # figures reflect each test's data; the cache has its own tests
CELERY_BROKER_URL = "memory://"
# Password-only sign-ins in the suite; the second-factor tests turn it on with the settings fixture.
PORTAL_REQUIRE_SECOND_FACTOR = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

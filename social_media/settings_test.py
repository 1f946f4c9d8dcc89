"""Small overrides for the test suite; everything else comes from the environment."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Tests never share the development server's filesystem queue.
os.environ.setdefault("CELERY_BROKER_DIR", str(Path(__file__).parents[1] / "var" / "test-broker"))

from .settings import *  # noqa: F403

# Tests of what the feed shows change rows directly between two reads of it; the first-page
# cache (post/feed_cache.py) is switched on by its own tests.
FEED_CACHE_SECONDS = 0

# Argon2 is deliberately slow; tests hash hundreds of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A fresh folder per test process; a worker subprocess started by a test is handed its
# parent's folder through TEST_MEDIA_ROOT so both see the same files.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="social-media-media-")
SERVE_MEDIA = True

# No collectstatic before tests: serve static files from the apps, unhashed. Uploads go to
# MEDIA_ROOT above whatever MEDIA_STORAGE says (never into a developer's bucket);
# tests/test_media_s3.py switches to S3 itself.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
